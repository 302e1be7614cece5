import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { RecordBookBranch } from '@pioneer/shared';
import { ACTIVITY_TYPE_LABELS, ACTIVITY_TYPES } from '@pioneer/shared/src/activities';
import { currentPeriodKey, shiftPeriodKey } from '@pioneer/shared/src/checkins';
import { formatShanghai } from '@pioneer/shared/src/time';
// PageContainer first: its styles come before the form's in every page's CSS order (mini-css-extract-plugin).
import PageContainer from '../../components/PageContainer';
import FrequencyForm from '../../components/FrequencyForm';
import DataTable, { type Column } from '../../components/DataTable';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { useWideScreen } from '../../hooks/use-wide-screen';
import { ApiError } from '../../services/api-error';
import { getActivityFrequencies, getIdleBranches, getRecordBook, recordBookXlsxUrl } from '../../services/api';
import { downloadFile } from '../../services/download';
import './index.scss';

const percent = (r: number) => `${Math.round(r * 100)}%`;

/** One type's cell: held / required and whether it is met; a type with no requirement shows what was held. */
function typeCell(b: RecordBookBranch, type: (typeof ACTIVITY_TYPES)[number]) {
  const t = b.byType.find((x) => x.type === type);
  if (!t) return '—';
  if (!t.required) return `${t.held} 次 · 不要求`;
  return (
    <Text className={t.met ? 'rb__ok' : 'rb__short'}>{`${t.held} / ${t.required} ${t.met ? '达标' : '未达标'}`}</Text>
  );
}

/** At a desk: the quarter as one sortable table, a branch per row (the cards below keep each meeting). */
const BRANCH_COLUMNS: readonly Column<RecordBookBranch>[] = [
  { key: 'branch', title: '支部', render: (b) => b.branch.name, sortBy: (b) => b.branch.name },
  {
    key: 'rate',
    title: '出勤率',
    numeric: true,
    render: (b) => percent(b.attendanceRate),
    sortBy: (b) => b.attendanceRate,
  },
  ...ACTIVITY_TYPES.map((type) => ({
    key: type,
    title: ACTIVITY_TYPE_LABELS[type],
    render: (b: RecordBookBranch) => typeCell(b, type),
  })),
  {
    key: 'short',
    title: '未达标项',
    numeric: true,
    render: (b) => b.byType.filter((t) => t.required > 0 && !t.met).length,
    sortBy: (b) => b.byType.filter((t) => t.required > 0 && !t.met).length,
  },
];

/**
 * 三会一课台账: the quarter per branch against the county's required frequencies, attendance rates, XLSX; idle
 * branches; and, for an admin of the county, the form that sets those frequencies.
 */
export default function ActivityRecordsPage() {
  const me = useMe();
  const loggedIn = me.loggedIn;
  const [quarter, setQuarter] = useState(currentPeriodKey('quarter'));
  const book = useRequest(() => getRecordBook({ quarter }), [quarter], loggedIn);
  const idle = useRequest(() => getIdleBranches({ days: 30 }), [], loggedIn);
  const isAdmin = !!me.data?.roles.includes('admin');
  const freq = useRequest(() => getActivityFrequencies(), [], isAdmin);
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const wide = useWideScreen();

  async function exportXlsx() {
    setBusy(true);
    try {
      const name = await downloadFile(recordBookXlsxUrl({ quarter }), `record-book-${quarter}.xlsx`);
      void Taro.showToast({ title: `已导出 ${name}`, icon: 'none' });
    } catch (e) {
      void Taro.showToast({ title: e instanceof ApiError ? e.message : '导出失败', icon: 'none' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <PageContainer
      console="activity-records"
      loggedIn={loggedIn}
      loading={book.loading}
      hasData={!!book.data}
      error={book.error}
      onRetry={book.reload}
    >
      {book.data && (
        <View className="rb">
          <View className="rb__nav">
            <Text
              className="rb__nav-btn"
              data-testid="rb-prev"
              onClick={() => setQuarter((q) => shiftPeriodKey('quarter', q, -1))}
            >
              上一季度
            </Text>
            <Text className="rb__period" data-testid="rb-period">
              {book.data.label}
            </Text>
            <Text
              className="rb__nav-btn"
              data-testid="rb-next"
              onClick={() => setQuarter((q) => shiftPeriodKey('quarter', q, 1))}
            >
              下一季度
            </Text>
          </View>
          {wide && book.data.branches.length > 0 && (
            <DataTable
              rows={book.data.branches}
              columns={BRANCH_COLUMNS}
              rowKey={(b) => b.branch.id}
              testId="rb-table"
            />
          )}
          {book.data.branches.map((b) => (
            <View key={b.branch.id} className="rb__card" data-testid="rb-branch">
              <Text className="rb__title">
                {b.branch.name} · 出勤率 {percent(b.attendanceRate)}
              </Text>
              {b.byType
                .filter((t) => t.required > 0 || t.held > 0)
                .map((t) => (
                  <View key={t.type} className="rb__row" data-testid="rb-type">
                    <Text>{ACTIVITY_TYPE_LABELS[t.type]}</Text>
                    <Text className={t.met ? 'rb__ok' : 'rb__short'}>
                      {t.required
                        ? `${t.held} / 应开 ${t.required} ${t.met ? '达标' : '未达标'}`
                        : `${t.held} 次 · 不要求`}
                    </Text>
                  </View>
                ))}
              {b.activities.map((x) => (
                <Text key={x.id} className="rb__line">
                  {formatShanghai(x.startsAt, 'M月D日')} {ACTIVITY_TYPE_LABELS[x.type]} {x.title} · 实到{' '}
                  {`${x.attended}/${x.expected}`}
                  {x.expectedScope === 'committee' ? '（支委委员）' : ''}
                </Text>
              ))}
            </View>
          ))}
          <Button
            type="primary"
            size="large"
            block
            disabled={busy}
            onClick={() => void exportXlsx()}
            data-testid="rb-export"
          >
            导出 Excel
          </Button>
          {freq.data?.canEdit && (
            <View className="rb__card">
              <Text className="rb__link" data-testid="rb-freq-toggle" onClick={() => setEditing((v) => !v)}>
                {editing ? '收起应开频次设置' : '设置三会一课应开频次'}
              </Text>
            </View>
          )}
          {editing && freq.data?.canEdit && (
            <FrequencyForm
              value={freq.data}
              onSaved={() => {
                void Taro.showToast({ title: '已保存，台账已按新频次统计', icon: 'none' });
                void freq.reload();
                void book.reload();
              }}
            />
          )}
          {idle.data && idle.data.branches.length > 0 && (
            <View className="rb__card" data-testid="rb-idle">
              <Text className="rb__title">30天未开展活动的支部</Text>
              {idle.data.branches.map((b) => (
                <Text key={b.id} className="rb__line">
                  {b.name}（{b.lastActivityAt ? `上次 ${formatShanghai(b.lastActivityAt, 'YYYY-MM-DD')}` : '从未开展'}）
                </Text>
              ))}
            </View>
          )}
        </View>
      )}
    </PageContainer>
  );
}
