import { useEffect, useState } from 'react';
import { Text, View } from '@tarojs/components';
import type { Me, MemberBoard, OrgBoard, Period } from '@pioneer/shared';
import PageContainer from '../../components/PageContainer';
import Segmented from '../../components/Segmented';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { usePullRefresh } from '../../hooks/use-pull-refresh';
import { getMemberBoard, getOrgBoard } from '../../services/api';
import { PERIOD_LABELS, PERIODS } from '../../utils/format';
import { scopesOf } from './scopes';
import './index.scss';

type Tab = 'members' | 'orgs';

const TAB_OPTIONS = [
  { value: 'members', label: '个人排名', testId: 'tab-members' },
  { value: 'orgs', label: '组织排名', testId: 'tab-orgs' },
] as const;

const PERIOD_OPTIONS = PERIODS.map((p) => ({ value: p, label: PERIOD_LABELS[p], testId: `period-${p}` }));

function RankBadge({ rank }: { rank: number }) {
  return <Text className={`board__rank${rank <= 3 ? ` board__rank--top board__rank--${rank}` : ''}`}>{rank}</Text>;
}

function MemberRows({ board, meId }: { board: MemberBoard; meId?: string }) {
  return (
    <View className="board__list">
      {board.items.map((r) => (
        <View
          key={r.userId}
          className={`board__row${r.rank <= 3 ? ' board__row--top' : ''}${r.userId === meId ? ' board__row--me' : ''}`}
          data-testid="lb-row"
        >
          <RankBadge rank={r.rank} />
          <View className="board__who">
            <Text className="board__name">{r.name}</Text>
            <Text className="board__sub">{r.orgName}</Text>
          </View>
          <Text className="board__points">{r.points}分</Text>
        </View>
      ))}
    </View>
  );
}

function OrgRows({ board }: { board: OrgBoard }) {
  return (
    <View className="board__list">
      {board.items.map((r) => (
        <View key={r.orgId} className={`board__row${r.rank <= 3 ? ' board__row--top' : ''}`} data-testid="lb-org-row">
          <RankBadge rank={r.rank} />
          <View className="board__who">
            <Text className="board__name">{r.name}</Text>
            <Text className="board__sub">
              {r.members}人 · 总分{r.points}
            </Text>
          </View>
          <View className="board__avg">
            <Text className="board__points">{r.average}</Text>
            <Text className="board__sub">人均</Text>
          </View>
        </View>
      ))}
    </View>
  );
}

type Visibility = NonNullable<MemberBoard['visibility']>;

/**
 * What the county's ranking visibility lets this member see, so only that is offered: 'scope' everything; 'branch'
 * my branch's members only (no 本村/本镇/全县 chips, no 组织排名); 'off' my own rank only. Admins see every board.
 */
function offeredBy(visibility: Visibility | undefined, me: Me | undefined) {
  const all = !visibility || visibility === 'scope' || !!me?.roles.includes('admin');
  return { allScopes: all, orgTab: all, scopeChips: all || visibility === 'branch' };
}

export default function Leaderboard() {
  const me = useMe();
  const [visibility, setVisibility] = useState<Visibility>();
  const offered = offeredBy(visibility, me.data);
  const scopes = me.data ? scopesOf(me.data).filter((s) => offered.allScopes || s.type === 'branch') : [];
  const [tab, setTab] = useState<Tab>('members');
  const [period, setPeriod] = useState<Period>('month');
  const [scopeId, setScopeId] = useState<string>();
  // Org ranking compares the children of the chosen scope; a branch has none, so it is not offered there.
  const choices = tab === 'members' ? scopes : scopes.filter((s) => s.type !== 'branch');
  // Default to the nearest org (my branch); keep the member's choice across refreshes of `me`.
  const scope = choices.find((s) => s.id === scopeId) ?? choices[0];

  const members = useRequest(
    () => getMemberBoard({ scope: scope?.id ?? '', period, limit: 50 }),
    [scope?.id, period],
    tab === 'members' && !!scope,
  );
  const orgs = useRequest(
    () => getOrgBoard({ parent: scope?.id ?? '', period }),
    [scope?.id, period],
    tab === 'orgs' && !!scope,
  );
  // Every board reply carries the county's visibility: remember it, and offer only what it allows.
  const seen = members.data?.visibility ?? orgs.data?.visibility;
  useEffect(() => {
    if (seen) setVisibility(seen);
  }, [seen]);
  useEffect(() => {
    if (!offered.orgTab && tab === 'orgs') setTab('members');
  }, [offered.orgTab, tab]);
  const board = tab === 'members' ? members : orgs;
  usePullRefresh(board.reload);
  const items = board.data?.items;
  const scopeOptions = choices.map((s) => ({ value: s.id, label: s.label, testId: `scope-${s.type}` }));

  return (
    <PageContainer
      className="board"
      loggedIn={me.loggedIn}
      loading={me.loading}
      hasData={!!me.data}
      error={me.error}
      onRetry={me.reload}
      empty={!!me.data && scopes.length === 0}
      emptyText="加入党支部后即可查看积分排行"
    >
      <View className="board__head">
        {offered.orgTab && <Segmented label="排行类型" options={TAB_OPTIONS} value={tab} onChange={(t) => setTab(t)} />}
        {offered.scopeChips && scopeOptions.length > 0 && (
          <Segmented
            label="排行范围"
            options={scopeOptions}
            value={scope?.id ?? ''}
            onChange={(id) => setScopeId(id)}
          />
        )}
        <Segmented label="时间范围" options={PERIOD_OPTIONS} value={period} onChange={(p) => setPeriod(p)} />
      </View>

      {tab === 'orgs' && scopeOptions.length === 0 ? (
        <PageContainer inline empty emptyText="本支部没有下级组织可比较" />
      ) : (
        <PageContainer
          inline
          loading={board.loading}
          hasData={board.data !== undefined}
          error={board.error}
          onRetry={board.reload}
          empty={items !== undefined && items.length === 0}
          emptyText={
            board.data?.restricted
              ? board.data.visibility === 'off'
                ? '本县暂未开放排行榜'
                : '本县排行榜仅在本支部内查看'
              : '这个时间段还没有人得分'
          }
        >
          {tab === 'members' && members.data && <MemberRows board={members.data} meId={me.data?.id} />}
          {tab === 'orgs' && orgs.data && <OrgRows board={orgs.data} />}
        </PageContainer>
      )}

      {tab === 'members' && (
        <View className="board__me" data-testid="lb-me">
          <Text className="board__me-label">我的排名</Text>
          {members.data?.me ? (
            <Text className="board__me-value">
              第{members.data.me.rank}名 · {members.data.me.points}分
            </Text>
          ) : (
            <Text className="board__me-value">{members.loading ? '…' : '暂无排名'}</Text>
          )}
        </View>
      )}
    </PageContainer>
  );
}
