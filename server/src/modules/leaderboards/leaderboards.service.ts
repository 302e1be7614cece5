import {
  ownUploadUrl,
  periodId,
  type MemberBoard,
  type MemberBoardQuery,
  type MyRank,
  type OrgBoard,
  type OrgBoardQuery,
} from '@pioneer/shared';
import type { SessionUser } from '../../http/types';
import { authorize, can } from '../../policy';
import { countyOf, hiddenMembers, rankingVisibility } from '../settings/settings.service';
import { childrenOf, heldOrg } from '../orgs/orgs.service';
import { notFound } from '../../http/errors';
import { memberPoints, ranksIn, rankStanding, scopeStanding, topOf, type Histogram } from '../points/standings';

/** The board's org (its chain decides who may see it), as this process holds it (no read while it is unchanged). */
async function boardOrg(id: string) {
  const org = await heldOrg.get(id);
  if (!org || org.dissolvedAt) throw notFound('组织');
  return org;
}

const older = (a: Date, b: Date) => (a < b ? a : b);

/**
 * The one ranking rule for rows and "my rank" alike: standard competition rank (1 + members with more points) among
 * the members this viewer may see on the board. The histogram counts everyone, so members who hid themselves
 * (other than the viewer) and have more points are subtracted: a hidden member is left out of everyone else's
 * ranks, rows and `me` both, and the difference between the two can never reveal how many hidden members rank above.
 */
function visibleRanks(histogram: Histogram, points: readonly number[], hiddenPoints: readonly number[]): number[] {
  return ranksIn(histogram, points).map((rank, i) => rank - hiddenPoints.filter((p) => p > points[i]!).length);
}

function myRank(mine: number | null, histogram: Histogram, hiddenPoints: readonly number[]): MyRank | null {
  return mine === null ? null : { rank: visibleRanks(histogram, [mine], hiddenPoints)[0]!, points: mine };
}

/** The scores, in this scope and period, of the members who hid themselves (the viewer excepted): a key read each. */
async function hiddenScores(
  pid: string,
  scopeId: string,
  hidden: ReadonlySet<string>,
  viewerId: string,
): Promise<number[]> {
  const others = [...hidden].filter((u) => u !== viewerId);
  const totals = await Promise.all(others.map((u) => memberPoints(u, pid, scopeId)));
  return totals.filter((p): p is number => p !== null);
}

/**
 * What the county's ranking visibility lets this viewer see of a scope's boards. Admins covering the scope see
 * everything; members see: `off` nothing, `branch` only their own branch's member board, `scope` anything in
 * their org chain. Withheld boards come back 200 with no rows and `restricted: true` (and my own rank still).
 */
async function visibilityFor(viewer: SessionUser, scope: { _id: string; path: string[] }, kind: 'members' | 'orgs') {
  const visibility = await rankingVisibility(countyOf(scope));
  if (can(viewer, 'org.manage', scope)) return { visibility, restricted: false };
  const allowed =
    visibility === 'scope' || (visibility === 'branch' && kind === 'members' && viewer.orgId === scope._id);
  return { visibility, restricted: !allowed };
}

/**
 * Top N of a scope for a period, and my rank in it, through the points module's standings: key reads of the org,
 * the county's visibility and opted-out members (and their totals here), the scope's standing, my total and the board.
 * Members who opted out are left off others' boards, and every rank shown to this viewer (rows and mine) skips
 * them (see `visibleRank`).
 */
export async function memberBoard(
  viewer: SessionUser,
  query: MemberBoardQuery,
  now = new Date(),
): Promise<MemberBoard> {
  const pid = periodId(query.period, now);
  // My own total: never behind my own awards (held-totals.ts). Asked first: when it is cold its key read is the
  // slowest part of a "my rank" read, so it goes before the org and the views are looked up (nothing of it is shown
  // unless the board is).
  const mine = memberPoints(viewer.id, pid, query.scope);
  mine.catch(() => undefined); // a refused board rejects before `mine` is awaited
  const scope = await boardOrg(query.scope);
  authorize(viewer, 'scope.view', scope, '只能查看本人所在组织（管理员：本辖区）的排行');
  const [{ visibility, restricted }, hidden, standing] = await Promise.all([
    visibilityFor(viewer, scope, 'members'),
    hiddenMembers(countyOf(scope)),
    // "My rank" alone (no rows) may use an older view of the scope: see rankStanding.
    query.limit === 0 ? rankStanding(scope._id, pid) : scopeStanding(scope._id, pid),
  ]);
  const { histogram } = standing;
  const hiddenPoints = await hiddenScores(pid, scope._id, hidden, viewer.id);
  const me = myRank(await mine, histogram, hiddenPoints);
  if (restricted || query.limit === 0)
    return {
      scope: scope._id,
      period: query.period,
      items: [],
      me,
      visibility,
      restricted,
      asOf: standing.asOf.toISOString(),
    };
  const { rows, asOf } = await topOf(scope._id, pid, Math.min(query.limit, standing.members));
  const page = rows.filter((r) => r.userId === viewer.id || !hidden.has(r.userId)).slice(0, query.limit);
  const scores = page.map((r) => r.points);
  const ranks = visibleRanks(histogram, scores, hiddenPoints);
  return {
    scope: scope._id,
    period: query.period,
    items: page.map((r, i) => ({
      rank: ranks[i]!,
      userId: r.userId,
      name: r.name,
      avatarUrl: ownUploadUrl(r.avatar) ?? '',
      orgName: r.orgName,
      points: r.points,
    })),
    me,
    visibility,
    restricted: false,
    asOf: older(asOf, standing.asOf).toISOString(),
  };
}

/** Children of an org ranked by points per member, so a small branch is not punished for being small. */
export async function orgBoard(viewer: SessionUser, query: OrgBoardQuery, now = new Date()): Promise<OrgBoard> {
  const parent = await boardOrg(query.parent);
  authorize(viewer, 'scope.view', parent, '只能查看本人所在组织（管理员：本辖区）的排行');
  const { visibility, restricted } = await visibilityFor(viewer, parent, 'orgs');
  if (restricted) return { parent: parent._id, period: query.period, items: [], visibility, restricted };
  const [children, standing] = await Promise.all([
    childrenOf(parent._id),
    scopeStanding(parent._id, periodId(query.period, now)),
  ]);
  const sums = standing.childSums;
  const rows = children.map((c) => {
    const points = sums[c._id] ?? 0;
    return {
      orgId: c._id,
      name: c.name,
      members: c.memberCount,
      points,
      exact: c.memberCount > 0 ? points / c.memberCount : 0,
    };
  });
  // Ranked on the exact average; shown to one decimal.
  rows.sort((a, b) => b.exact - a.exact || b.points - a.points || a.name.localeCompare(b.name, 'zh'));
  return {
    parent: parent._id,
    period: query.period,
    items: rows.map(({ exact, ...r }) => ({
      ...r,
      average: Math.round(exact * 10) / 10,
      rank: 1 + rows.filter((o) => o.exact > exact).length,
    })),
    visibility,
    restricted: false,
    asOf: standing.asOf.toISOString(),
  };
}
