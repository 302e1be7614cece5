import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { RosterImport, RosterReportRow, RosterRowStatus } from '@pioneer/shared';
import { ROSTER_COLUMNS } from '@pioneer/shared/src/schemas/roster';
import PageContainer from '../../components/PageContainer';
import DataTable, { type Column } from '../../components/DataTable';
import { useMe } from '../../hooks/use-me';
import { useWideScreen } from '../../hooks/use-wide-screen';
import { ApiError } from '../../services/api-error';
import { downloadFile } from '../../services/download';
import { confirmRoster, dryRunRoster, getRosterImport, rosterTemplateUrl } from '../../services/roster-api';
import { chooseFile } from '../../utils/choose-file';
import './index.scss';

export const STATUS_LABELS: Record<RosterRowStatus, string> = {
  created: '新增',
  updated: '更新',
  unchanged: '无变化',
  error: '有错误',
};
const POLL_MS = 700;

const columns: readonly Column<RosterReportRow>[] = [
  { key: 'row', title: '行号', render: (r) => r.row, numeric: true, sortBy: (r) => r.row },
  { key: 'name', title: '姓名', render: (r) => r.name },
  { key: 'phone', title: '手机号', render: (r) => r.phone },
  { key: 'branch', title: '所在支部', render: (r) => r.branch },
  {
    key: 'status',
    title: '结果',
    render: (r) => <Text className={`roster__status roster__status--${r.status}`}>{STATUS_LABELS[r.status]}</Text>,
    sortBy: (r) => r.status,
  },
  { key: 'reason', title: '原因', render: (r) => r.reason ?? '' },
];

function Counts({ job }: { job: RosterImport }) {
  return (
    <View className="roster__counts" data-testid="roster-counts">
      {(['created', 'updated', 'unchanged', 'error'] as const).map((s) => (
        <Text key={s} className={`roster__count roster__status--${s}`} data-testid={`roster-count-${s}`}>
          {STATUS_LABELS[s]} {job.counts[s]}
        </Text>
      ))}
    </View>
  );
}

/** Progress of the confirmed import, polled by key. */
function Progress({ job }: { job: RosterImport }) {
  const pct = job.total === 0 ? 100 : Math.round((job.done / job.total) * 100);
  return (
    <View className="roster__progress" data-testid="roster-progress" role="progressbar" aria-valuenow={pct}>
      <View className="roster__bar">
        <View className="roster__bar-fill" style={{ width: `${pct}%` }} />
      </View>
      <Text className="roster__progress-text">
        {job.state === 'done'
          ? `导入完成：写入 ${job.total} 人`
          : job.state === 'failed'
            ? job.error
            : `正在导入 ${job.done} / ${job.total}`}
      </Text>
    </View>
  );
}

/** 党员名册导入: upload -> per-row dry run -> confirm -> progress. Rows with errors are never written. */
export default function RosterImportPage() {
  const me = useMe();
  const wide = useWideScreen();
  const isAdmin = !!me.data?.roles.includes('admin') && !!me.data.adminOrg;
  const [job, setJob] = useState<RosterImport>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [onlyErrors, setOnlyErrors] = useState(false);

  useEffect(() => {
    if (job?.state !== 'running') return;
    const timer = setTimeout(() => void getRosterImport(job.key).then(setJob, () => undefined), POLL_MS);
    return () => clearTimeout(timer);
  }, [job]);

  async function pick() {
    const file = await chooseFile(['xlsx', 'csv']);
    if (!file) return;
    setBusy(true);
    setError(undefined);
    setJob(undefined);
    try {
      setJob(await dryRunRoster(file));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '上传失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  async function confirm() {
    if (!job) return;
    const writes = job.counts.created + job.counts.updated;
    const { confirm: ok } = await Taro.showModal({
      title: '确认导入',
      content: `将新增 ${job.counts.created} 人、更新 ${job.counts.updated} 人；${job.counts.error} 行有错误，不会导入。`,
      confirmText: '导入',
    });
    if (!ok || writes === 0) return;
    try {
      setJob(await confirmRoster(job.key));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '导入失败，请重试');
    }
  }

  const rows = (job?.rows ?? []).filter((r) => !onlyErrors || r.status === 'error');
  return (
    <PageContainer
      console="roster-import"
      loggedIn={me.loggedIn}
      loading={me.loading}
      hasData={!!me.data}
      error={me.error}
      onRetry={me.reload}
      empty={!!me.data && !isAdmin}
      emptyText="只有管理员可以导入党员名册"
    >
      <View className="roster">
        <View className="roster__card">
          <Text className="roster__title">导入党员名册（{me.data?.adminOrg?.name}）</Text>
          <Text className="roster__hint">
            表头：{ROSTER_COLUMNS.join('、')}。所在支部写完整路径（如 青山镇/青山村/青山村党支部）或唯一的支部名；角色为
            党员、支部书记 或 驻村干部（须填驻村）。同一手机号再次导入会更新原记录。
          </Text>
          <View className="roster__actions">
            <Button
              size="large"
              onClick={() => void downloadFile(rosterTemplateUrl(), '党员名册模板.xlsx')}
              data-testid="roster-template"
            >
              下载模板
            </Button>
            <Button type="primary" size="large" loading={busy} onClick={() => void pick()} data-testid="roster-pick">
              {busy ? '正在检查…' : '选择文件并预检'}
            </Button>
          </View>
          {error && (
            <Text className="roster__error" data-testid="roster-error">
              {error}
            </Text>
          )}
        </View>
        {job && (
          <View className="roster__card" data-testid="roster-report">
            <Text className="roster__title">
              {job.fileName}：共 {job.rows.length} 行
            </Text>
            <Counts job={job} />
            {job.state === 'checked' && (
              <Button
                type="primary"
                size="large"
                disabled={job.counts.created + job.counts.updated === 0}
                onClick={() => void confirm()}
                data-testid="roster-confirm"
              >
                确认导入（{job.counts.created + job.counts.updated} 人，错误行不导入）
              </Button>
            )}
            {job.state !== 'checked' && <Progress job={job} />}
            <View
              className={`roster__filter${onlyErrors ? ' roster__filter--on' : ''}`}
              onClick={() => setOnlyErrors(!onlyErrors)}
              data-testid="roster-only-errors"
            >
              <Text>{onlyErrors ? '显示全部行' : '只看有错误的行'}</Text>
            </View>
            {wide ? (
              <DataTable
                rows={rows}
                columns={columns}
                rowKey={(r) => String(r.row)}
                testId="roster-table"
                rowClass={(r) => (r.status === 'error' ? 'roster__row--error' : '')}
              />
            ) : (
              <View className="roster__list">
                {rows.slice(0, 200).map((r) => (
                  <View key={r.row} className="roster__item" data-testid="roster-row">
                    <Text className="roster__item-head">
                      第 {r.row} 行 · {r.name} ·{' '}
                      <Text className={`roster__status roster__status--${r.status}`}>{STATUS_LABELS[r.status]}</Text>
                    </Text>
                    <Text className="roster__item-meta">
                      {r.phone} · {r.branch}
                    </Text>
                    {r.reason && <Text className="roster__error">{r.reason}</Text>}
                  </View>
                ))}
              </View>
            )}
          </View>
        )}
      </View>
    </PageContainer>
  );
}
