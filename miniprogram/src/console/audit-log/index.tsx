import { useEffect, useRef, useState } from 'react';
import { useReachBottom } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { AuditEntry, AuditGroup, Me } from '@pioneer/shared';
// Runtime values from the module itself, not the package index (keeps zod out of the page bundle).
import { AUDIT_GROUP_LABELS } from '@pioneer/shared/src/audit';
import LoadMore from '../../components/LoadMore';
import PageContainer from '../../components/PageContainer';
import Segmented, { type SegmentedOption } from '../../components/Segmented';
import DataTable, { type Column } from '../../components/DataTable';
import { useMe } from '../../hooks/use-me';
import { usePaged } from '../../hooks/use-paged';
import { useWideScreen } from '../../hooks/use-wide-screen';
import { getAuditLog } from '../../services/api';
import { formatTime } from '../../utils/format';
import './index.scss';

type Filter = AuditGroup | 'all';

/** The groups an admin asks about most (评分与整顿: the 支部评分 and 整顿 moves); the rest stay under 全部. */
const FILTERS: readonly Filter[] = ['all', 'roles', 'points', 'reviews', 'attendance', 'posts', 'settings', 'county'];
const OPTIONS: SegmentedOption<Filter>[] = FILTERS.map((f) => ({
  value: f,
  label: f === 'all' ? '全部' : AUDIT_GROUP_LABELS[f],
  testId: `filter-${f}`,
}));

/** An admin reads the org they run (its whole subtree), a secretary their branch. */
export function auditOrgOf(me: Me | undefined): { id: string; name: string } | null {
  if (!me) return null;
  if (me.roles.includes('admin') && me.adminOrg) return me.adminOrg;
  if (me.roles.includes('secretary') && me.org) return me.org;
  return null;
}

function Row({ item }: { item: AuditEntry }) {
  return (
    <View className="audit__row" data-testid="audit-row">
      <View className="audit__head">
        <Text className="audit__action">{item.actionLabel}</Text>
        {item.summary ? <Text className="audit__summary">{item.summary}</Text> : null}
      </View>
      <Text className="audit__line">对象：{item.target.label}</Text>
      <Text className="audit__line">操作人：{item.actor.name || '—'}</Text>
      {item.reason ? <Text className="audit__line">理由：{item.reason}</Text> : null}
      <Text className="audit__time">{formatTime(item.at)}</Text>
    </View>
  );
}

/** At a desk: one sortable row per entry; 加载更多 below still fetches older ones. */
const COLUMNS: readonly Column<AuditEntry>[] = [
  { key: 'at', title: '时间', render: (i) => formatTime(i.at), sortBy: (i) => i.at },
  {
    key: 'action',
    title: '操作',
    render: (i) => (
      <>
        <Text className="audit__action">{i.actionLabel}</Text>
        {i.summary ? <Text className="audit__summary">{` ${i.summary}`}</Text> : null}
      </>
    ),
    sortBy: (i) => i.actionLabel,
  },
  { key: 'target', title: '对象', render: (i) => i.target.label, sortBy: (i) => i.target.label },
  { key: 'actor', title: '操作人', render: (i) => i.actor.name || '—', sortBy: (i) => i.actor.name },
  { key: 'reason', title: '理由', render: (i) => i.reason || '—' },
];

export default function AuditLog() {
  const me = useMe();
  const org = auditOrgOf(me.data);
  const [filter, setFilter] = useState<Filter>('all');
  const wide = useWideScreen();
  const log = usePaged(
    (cursor) => getAuditLog({ org: org!.id, action: filter === 'all' ? undefined : filter }, cursor),
    !!org,
  );
  useReachBottom(log.loadMore);

  // A new filter starts again from the newest entry (the first load is usePaged's own).
  const shownFilter = useRef(filter);
  useEffect(() => {
    if (shownFilter.current === filter) return;
    shownFilter.current = filter;
    void log.reload();
  }, [filter, log]);

  const forbidden = !!me.data && !org;
  const firstLoad = !log.loaded;
  return (
    <PageContainer
      console="audit-log"
      loggedIn={me.loggedIn}
      loading={me.loading}
      hasData={!!me.data}
      error={me.error}
      empty={forbidden}
      emptyText="只有管理员和支部书记可以查看操作记录"
      onRetry={me.reload}
    >
      {org ? <Text className="audit__scope">{org.name}</Text> : null}
      <Segmented options={OPTIONS} value={filter} onChange={setFilter} label="操作类型" />
      {/* The list has its own states, so the filter stays usable when a group has nothing yet. */}
      <PageContainer
        inline
        loading={log.loading}
        hasData={!firstLoad}
        error={firstLoad ? log.error : undefined}
        empty={log.loaded && log.items.length === 0}
        emptyText="暂无操作记录"
        onRetry={log.reload}
      >
        {wide ? (
          <DataTable rows={log.items} columns={COLUMNS} rowKey={(i) => i.id} pageSize={50} testId="audit-table" />
        ) : (
          <View className="audit">
            {log.items.map((item) => (
              <Row key={item.id} item={item} />
            ))}
          </View>
        )}
        <LoadMore page={log} />
      </PageContainer>
    </PageContainer>
  );
}
