import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { ReportPeriodKind, ReportRow } from '@pioneer/shared';
import {
  REPORT_PERIOD_KINDS,
  REPORT_PERIOD_LABELS,
  currentPeriodKey,
  shiftPeriodKey,
} from '@pioneer/shared/src/checkins';
import PageContainer from '../../components/PageContainer';
import Segmented from '../../components/Segmented';
import DataTable, { type Column } from '../../components/DataTable';
import { useRequest } from '../../hooks/use-request';
import { useSession } from '../../hooks/use-session';
import { useShowCount } from '../../hooks/use-show-count';
import { useWideScreen } from '../../hooks/use-wide-screen';
import { ApiError } from '../../services/api-error';
import { checkinReportUrl, getCheckinReport, type ReportParams } from '../../services/api';
import { downloadFile } from '../../services/download';
import { formatTime } from '../../utils/format';
import './index.scss';

/** Short labels fit one row; the assessment each period serves (季度通报 …) is named under the period. */
const KIND_SHORT: Record<ReportPeriodKind, string> = { month: '月度', quarter: '季度', half: '半年', year: '全年' };
const KIND_OPTIONS = REPORT_PERIOD_KINDS.map((k) => ({ value: k, label: KIND_SHORT[k], testId: `period-${k}` }));
const isH5 = process.env.TARO_ENV === 'h5';

function Row({ row }: { row: ReportRow }) {
  const short = row.present < row.required;
  return (
    <View className="report__row" data-testid="report-row">
      <View className="report__row-main">
        <Text className="report__name">{row.name}</Text>
        <Text className="report__sub">
          {row.branch}
          {row.village ? ` · 驻${row.village}` : ''}
        </Text>
        <Text className="report__sub">最近打卡：{row.lastCheckinAt ? formatTime(row.lastCheckinAt) : '无'}</Text>
      </View>
      <View className="report__nums">
        <Text className={`report__present${short ? ' report__present--short' : ''}`} data-testid="report-present">
          {row.present}/{row.required}
        </Text>
        <Text className="report__sub">
          待审{row.pending} · 存疑{row.flagged}
        </Text>
      </View>
    </View>
  );
}

/** At a desk: one sortable row per cadre (sort by 出勤 to see who falls short first). */
const COLUMNS: readonly Column<ReportRow>[] = [
  { key: 'name', title: '姓名', render: (r) => r.name, sortBy: (r) => r.name },
  { key: 'branch', title: '支部', render: (r) => r.branch, sortBy: (r) => r.branch },
  { key: 'village', title: '派驻村', render: (r) => r.village ?? '—', sortBy: (r) => r.village ?? '' },
  {
    key: 'present',
    title: '出勤 / 应出勤',
    numeric: true,
    render: (r) => (
      <Text
        className={r.present < r.required ? 'report__present--short' : undefined}
      >{`${r.present}/${r.required}`}</Text>
    ),
    sortBy: (r) => r.present - r.required,
  },
  { key: 'pending', title: '待审', numeric: true, render: (r) => r.pending, sortBy: (r) => r.pending },
  { key: 'flagged', title: '存疑', numeric: true, render: (r) => r.flagged, sortBy: (r) => r.flagged },
  {
    key: 'last',
    title: '最近打卡',
    render: (r) => (r.lastCheckinAt ? formatTime(r.lastCheckinAt) : '无'),
    sortBy: (r) => r.lastCheckinAt ?? '',
  },
];

/** 季度通报 · 半年考核 · 年终评估: cadres' attendance for a period, with Excel/CSV export. */
export default function CheckinReportPage() {
  const loggedIn = useSession();
  const shown = useShowCount();
  const [kind, setKind] = useState<ReportPeriodKind>('month');
  const [key, setKey] = useState(() => currentPeriodKey('month'));
  const [exporting, setExporting] = useState(false);
  const wide = useWideScreen();
  const params: ReportParams = { kind, key };
  const report = useRequest(() => getCheckinReport(params), [kind, key, shown], loggedIn && shown > 0);
  const r = report.data?.period.key === key ? report.data : undefined;
  const latest = key >= currentPeriodKey(kind);

  function pickKind(next: ReportPeriodKind) {
    setKind(next);
    setKey(currentPeriodKey(next));
  }

  async function exportAs(format: 'xlsx' | 'csv') {
    setExporting(true);
    try {
      const name = await downloadFile(checkinReportUrl(params, format), `checkins-${key}.${format}`);
      void Taro.showToast({ title: isH5 ? `已下载 ${name}` : '已打开报表', icon: 'none' });
    } catch (e) {
      void Taro.showToast({ title: e instanceof ApiError ? e.message : '导出失败，请重试', icon: 'none' });
    } finally {
      setExporting(false);
    }
  }

  const short = r ? r.rows.filter((x) => x.present < x.required).length : 0;
  return (
    <PageContainer
      console="checkin-report"
      loggedIn={loggedIn}
      loading={report.loading}
      hasData={!!r}
      error={report.error}
      onRetry={report.reload}
    >
      <View className="report">
        <Segmented label="统计周期" options={KIND_OPTIONS} value={kind} onChange={pickKind} />
        <View className="report__period">
          <Text className="report__nav" data-testid="report-prev" onClick={() => setKey(shiftPeriodKey(kind, key, -1))}>
            ‹ 上一期
          </Text>
          <Text className="report__label" data-testid="report-period">
            {r?.period.label ?? key}
          </Text>
          <Text
            className={`report__nav${latest ? ' report__nav--off' : ''}`}
            data-testid="report-next"
            onClick={() => !latest && setKey(shiftPeriodKey(kind, key, 1))}
          >
            下一期 ›
          </Text>
        </View>

        {r && (
          <>
            <View className="report__summary" data-testid="report-summary">
              <Text>
                {REPORT_PERIOD_LABELS[kind]} · {r.org.name} · 驻村干部{r.total ?? r.rows.length}人
              </Text>
              {/* One page is 500 rows (a county has a cadre or two per village); a larger list is in the export. */}
              {r.nextCursor && <Text data-testid="report-truncated">列表显示前{r.rows.length}人，完整名单请导出</Text>}
              <Text>
                每月应出勤{r.requiredPerMonth}天
                {short > 0 ? ` · ${short}人未达到` : r.rows.length > 0 ? ' · 全部达到' : ''}
              </Text>
            </View>
            <View className="report__export">
              <Button
                type="primary"
                size="large"
                block
                disabled={exporting || r.rows.length === 0}
                onClick={() => void exportAs('xlsx')}
                data-testid="export-xlsx"
              >
                导出 Excel
              </Button>
              {isH5 && (
                <Button
                  size="large"
                  block
                  disabled={exporting || r.rows.length === 0}
                  onClick={() => void exportAs('csv')}
                  data-testid="export-csv"
                >
                  导出 CSV
                </Button>
              )}
            </View>
            <View className="report__list">
              {r.rows.length === 0 ? (
                <Text className="report__empty">本单位没有驻村干部</Text>
              ) : wide ? (
                <DataTable rows={r.rows} columns={COLUMNS} rowKey={(x) => x.userId} testId="report-table" />
              ) : (
                r.rows.map((row) => <Row key={row.userId} row={row} />)
              )}
            </View>
          </>
        )}
      </View>
    </PageContainer>
  );
}
