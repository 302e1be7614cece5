import { periodId, type MemberBoard, type MemberBoardQuery, type MyRank, type OrgBoard, type OrgBoardQuery } from '@pioneer/shared';
import { forbidden } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { canViewScope } from '../orgs/org-scope';
import { childrenOf, requireOrg } from '../orgs/orgs.service';
import { scopeKey, totalId } from '../points/apply';
import { readBoard, rebuildBoard } from '../points/board';
import { ScopeStatsModel, TotalModel } from '../points/points.model';
import { boardRowFor } from '../points/points.service';

type Histogram = Record<string, number>;

/** Standard competition rank from the score histogram: 1 + members with more points. Cost: one document. */
export function rankFromHistogram(histogram: Histogram, points: number): number {
  let above = 0;
  for (const [key, count] of Object.entries(histogram)) {
    if (Number(key.slice(1)) > points) above += count;
  }
  return above + 1;
}

async function myRank(userId: string, key: string, histogram: Histogram): Promise<MyRank | null> {
  const [pid, scopeId] = key.split('|') as [string, string];
  const mine = await TotalModel.findById(totalId(pid, scopeId, userId)).lean();
  if (!mine) return null;
  return { rank: rankFromHistogram(histogram, mine.points), points: mine.points };
}

/**
 * Top N of a scope for a period, and my rank in it: three key reads (board pointer, board version, histogram)
 * and one for my total, whatever the number of members.
 */
export async function memberBoard(viewer: SessionUser, query: MemberBoardQuery, now = new Date()): Promise<MemberBoard> {
  const scope = await requireOrg(query.scope);
  if (!canViewScope(viewer, scope)) throw forbidden('只能查看本人所在组织（管理员：本辖区）的排行');
  const key = scopeKey(periodId(query.period, now), scope._id);
  const [board, stats] = await Promise.all([readBoard(key), ScopeStatsModel.findById(key).lean()]);
  const histogram = (stats?.h ?? {}) as Histogram;
  const trusted = (b: typeof board) => b.items.filter((i) => b.floor === null || i.p > b.floor);
  let items = trusted(board);
  if (items.length < Math.min(query.limit, stats?.members ?? 0)) items = (await rebuildBoard(key, boardRowFor)).items;
  const page = items.slice(0, query.limit);
  return {
    scope: scope._id,
    period: query.period,
    items: page.map((i) => ({ rank: rankFromHistogram(histogram, i.p), userId: i.u, name: i.n, avatarUrl: i.a, orgName: i.o, points: i.p })),
    me: await myRank(viewer.id, key, histogram),
  };
}

/** Children of an org ranked by points per member, so a small branch is not punished for being small. */
export async function orgBoard(viewer: SessionUser, query: OrgBoardQuery, now = new Date()): Promise<OrgBoard> {
  const parent = await requireOrg(query.parent);
  if (!canViewScope(viewer, parent)) throw forbidden('只能查看本人所在组织（管理员：本辖区）的排行');
  const [children, stats] = await Promise.all([childrenOf(parent._id), ScopeStatsModel.findById(scopeKey(periodId(query.period, now), parent._id)).lean()]);
  const sums = (stats?.c ?? {}) as Record<string, number>;
  const rows = children.map((c) => {
    const points = sums[c._id] ?? 0;
    return { orgId: c._id, name: c.name, members: c.memberCount, points, exact: c.memberCount > 0 ? points / c.memberCount : 0 };
  });
  // Ranked on the exact average; shown to one decimal.
  rows.sort((a, b) => b.exact - a.exact || b.points - a.points || a.name.localeCompare(b.name, 'zh'));
  return {
    parent: parent._id,
    period: query.period,
    items: rows.map(({ exact, ...r }) => ({ ...r, average: Math.round(exact * 10) / 10, rank: 1 + rows.filter((o) => o.exact > exact).length })),
  };
}
