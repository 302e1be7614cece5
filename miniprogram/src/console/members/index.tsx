import { useEffect, useRef, useState } from 'react';
import { useReachBottom } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { MemberRow, MemberStatus, Role } from '@pioneer/shared';
import { MEMBER_STATUSES, MEMBER_STATUS_LABELS } from '@pioneer/shared/src/members';
import PageContainer from '../../components/PageContainer';
import Segmented from '../../components/Segmented';
import TextField from '../../components/TextField';
import DataTable, { type Column } from '../../components/DataTable';
import { useMe } from '../../hooks/use-me';
import { usePaged } from '../../hooks/use-paged';
import { useRequest } from '../../hooks/use-request';
import { useWideScreen } from '../../hooks/use-wide-screen';
import { getOrgTree, searchMembers, type MemberSearch } from '../../services/org-admin-api';
import { roleLabels } from '../../utils/format';
import { allRows } from '../org-tree/tree-rows';
import MemberPanel from './member-panel';
import TransfersPanel from './transfers-panel';
import './index.scss';

const ROLE_FILTERS: ReadonlyArray<{ value: Role | ''; label: string }> = [
  { value: '', label: '全部角色' },
  { value: 'secretary', label: '支部书记' },
  { value: 'cadre', label: '驻村干部' },
  { value: 'admin', label: '管理员' },
];
const CATEGORY_FILTERS = [
  { value: '', label: '全部类别' },
  { value: '正式党员', label: '正式党员' },
  { value: '预备党员', label: '预备党员' },
] as const;
const STATUS_OPTIONS = MEMBER_STATUSES.map((s) => ({
  value: s,
  label: MEMBER_STATUS_LABELS[s],
  testId: `status-filter-${s}`,
}));

function Chips<V extends string>({
  options,
  value,
  onChange,
  testId,
}: {
  options: ReadonlyArray<{ value: V; label: string }>;
  value: V;
  onChange: (v: V) => void;
  testId: string;
}) {
  return (
    <View className="members__chips">
      {options.map((o) => (
        <View
          key={o.value || 'all'}
          className={`members__chip${o.value === value ? ' members__chip--on' : ''}`}
          data-testid={`${testId}-${o.value || 'all'}`}
          onClick={() => onChange(o.value)}
        >
          <Text>{o.label}</Text>
        </View>
      ))}
    </View>
  );
}

function Card({ m, onOpen }: { m: MemberRow; onOpen: () => void }) {
  return (
    <View className="members__row" data-testid="member-row" data-name={m.name} onClick={onOpen}>
      <View className="members__row-head">
        <Text className="members__name">{m.name}</Text>
        <Text className="members__phone">{m.contact ?? ''}</Text>
      </View>
      {/* Each fact stays whole on a phone: lines break between them, never inside 支部书记. */}
      <View className="members__facts">
        <Text className="members__meta">{m.org?.name ?? '—'}</Text>
        <Text className="members__meta">{roleLabels(m.roles).join('、')}</Text>
        {m.category ? <Text className="members__meta">{m.category}</Text> : null}
      </View>
      {m.pendingTransferTo && <Text className="members__badge">转往{m.pendingTransferTo}</Text>}
    </View>
  );
}

/**
 * 党员管理 for secretaries (their branch) and admins (their subtree): search by name or phone tail, filter by
 * branch, role, category and 党籍状态; per member: roles (admins), 组织关系转接, 党籍状态, 积分调整; transfers to accept.
 */
export default function MembersPage() {
  const me = useMe();
  const isAdmin = !!me.data?.roles.includes('admin') && !!me.data.adminOrg;
  const scope = isAdmin ? me.data!.adminOrg : me.data?.roles.includes('secretary') ? me.data.org : null;
  const tree = useRequest(() => getOrgTree(me.data!.adminOrg!.id), [me.data?.adminOrg?.id], isAdmin);
  const wide = useWideScreen();
  const [q, setQ] = useState('');
  const [filters, setFilters] = useState<MemberSearch>({ status: 'active' });
  const [selected, setSelected] = useState<string | null>(null);
  // A change made on a member (a transfer started) also changes the pending transfers shown above the list.
  const [changes, setChanges] = useState(0);
  const list = usePaged((cursor) => searchMembers(scope!.id, filters, cursor), !!scope);
  useReachBottom(list.loadMore);

  // New filters load once the page in flight has come back (usePaged drops a load started while one is running).
  const shown = useRef(filters);
  useEffect(() => {
    if (list.loading || shown.current === filters) return;
    shown.current = filters;
    setSelected(null);
    void list.reload();
  }, [filters, list]);
  const set = (patch: MemberSearch) => setFilters((f) => ({ ...f, ...patch }));
  const branches = tree.data
    ? allRows(tree.data)
        .filter((r) => r.node.type === 'branch')
        .map((r) => ({ value: r.node.id, label: r.node.name }))
    : [];
  const picked = list.items.find((m) => m.id === selected);
  const panel =
    picked && me.data ? (
      <MemberPanel
        key={picked.id}
        member={picked}
        meId={me.data.id}
        tree={tree.data}
        onChanged={() => {
          setChanges((n) => n + 1);
          void list.reload();
        }}
      />
    ) : null;

  const columns: readonly Column<MemberRow>[] = [
    { key: 'name', title: '姓名', render: (m) => m.name, sortBy: (m) => m.name },
    { key: 'org', title: '所在支部', render: (m) => m.org?.name ?? '—', sortBy: (m) => m.org?.name ?? '' },
    { key: 'roles', title: '角色', render: (m) => roleLabels(m.roles).join('、') },
    { key: 'category', title: '类别', render: (m) => m.category ?? '—' },
    { key: 'contact', title: '手机', render: (m) => m.contact ?? '—' },
    {
      key: 'state',
      title: '状态',
      render: (m) => (m.pendingTransferTo ? `转往${m.pendingTransferTo}` : MEMBER_STATUS_LABELS[m.status]),
    },
    {
      key: 'open',
      title: '操作',
      render: (m) => (
        <Text className="members__link" data-testid="member-open" onClick={() => setSelected(m.id)}>
          管理
        </Text>
      ),
    },
  ];
  return (
    <PageContainer
      console="members"
      loggedIn={me.loggedIn}
      loading={me.loading}
      hasData={!!me.data}
      error={me.error}
      onRetry={me.reload}
      empty={!!me.data && !scope}
      emptyText="只有支部书记和管理员可以管理党员"
    >
      {scope && (
        <View className="members">
          <Text className="members__scope">{scope.name}</Text>
          <TransfersPanel orgId={scope.id} version={changes} onDecided={() => void list.reload()} />
          <View className="members__card members__filters">
            <View className="members__search">
              <TextField
                label="搜索"
                bare
                placeholder="姓名或手机尾号"
                value={q}
                onChange={setQ}
                testId="member-search"
              />
              <Button
                type="primary"
                size="large"
                data-testid="member-search-go"
                onClick={() => set({ q: q.trim() || undefined })}
              >
                搜索
              </Button>
            </View>
            <Segmented
              options={STATUS_OPTIONS}
              value={filters.status ?? 'active'}
              onChange={(s: MemberStatus) => set({ status: s })}
              label="党籍状态"
            />
            <Chips
              options={ROLE_FILTERS}
              value={filters.role ?? ''}
              onChange={(r) => set({ role: r || undefined })}
              testId="role-filter"
            />
            <Chips
              options={CATEGORY_FILTERS}
              value={filters.category ?? ''}
              onChange={(c) => set({ category: c || undefined })}
              testId="category-filter"
            />
            {branches.length > 1 && (
              <Chips
                options={[{ value: '', label: '全部支部' }, ...branches]}
                value={filters.org ?? ''}
                onChange={(o) => set({ org: o || undefined })}
                testId="branch-filter"
              />
            )}
          </View>
          <PageContainer
            inline
            loading={list.loading}
            hasData={list.loaded}
            error={list.loaded ? undefined : list.error}
            empty={list.loaded && list.items.length === 0}
            emptyText="没有符合条件的党员"
            onRetry={list.reload}
          >
            {wide ? (
              <>
                {panel}
                <DataTable
                  rows={list.items}
                  columns={columns}
                  rowKey={(m) => m.id}
                  pageSize={50}
                  testId="members-table"
                  rowClass={(m) => (m.id === selected ? 'members__tr--on' : undefined)}
                />
              </>
            ) : (
              <View className="members__list">
                {list.items.map((m) => (
                  <View key={m.id}>
                    <Card m={m} onOpen={() => setSelected(selected === m.id ? null : m.id)} />
                    {m.id === selected && panel}
                  </View>
                ))}
              </View>
            )}
            <View className="members__more">
              {list.done ? (
                <Text className="members__meta">共 {list.items.length} 人</Text>
              ) : (
                <Button size="large" block loading={list.loading} onClick={list.loadMore} data-testid="load-more">
                  加载更多
                </Button>
              )}
            </View>
          </PageContainer>
        </View>
      )}
    </PageContainer>
  );
}
