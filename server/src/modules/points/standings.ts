import { rankFromHistogram, scopeView } from './apply';
import { boardView, readBoard, rebuildBoard, type Board, type BoardItem } from './board';
import { parseScopeKey, scopeKey } from './keys';
import { sharedValue } from '../../db/shared-view';
import { ownTotals } from './held-totals';
import { boardRowFor } from './points.service';

/**
 * What the points module tells the leaderboards (its only door into them): standings of a scope in a period, a
 * member's score there, and the top board with readable rows. The storage layout (documents, keys, compact rows)
 * stays inside points/.
 */

/** A score histogram: `p<points>` -> members with that score. */
export type Histogram = Record<string, number>;

export interface ScopeStanding {
  /** Every counted member's score, for ranks (hidden members included: the caller subtracts what it must). */
  histogram: Histogram;
  /** Members with points in the scope and period. */
  members: number;
  /** Points earned in each child org of the scope, by child id. */
  childSums: Record<string, number>;
  /** When the scope's document was read: a shared view, at most the configured bound old (db/shared-view.ts). */
  asOf: Date;
}

/**
 * The scope's standing in a period from the view this process holds of its document (a key read at most once per
 * bound; this process's own awards are on it at once, another's within the bound).
 */
export async function scopeStanding(scopeId: string, periodId: string): Promise<ScopeStanding> {
  const { value: doc, asOf } = await scopeView(scopeId);
  return {
    histogram: { ...(doc.h?.[periodId] ?? {}) },
    members: doc.n?.[periodId] ?? 0,
    childSums: { ...(doc.c?.[periodId] ?? {}) },
    asOf,
  };
}

/**
 * How long a rank-only read ("my rank", no rows) may use a scope's view: longer than the shared-view bound, because
 * the rank it gives cannot be worse than the true one. The member's own total is never behind their own awards
 * (held-totals.ts), so their own moves are always counted; scores only rise, so a histogram older than the live one
 * counts no more members above them (a lowered score, a manual adjustment downwards, may count someone above them for
 * as long). What it may miss is others passing them in the last RANK_VIEW_BOUNDS shared-view bounds (30 s at the
 * default), and the reply's `asOf` says how old it is.
 */
export const RANK_VIEW_BOUNDS = 30;
const rankViews = sharedValue(
  (key: string) => {
    const { periodId, scopeId } = parseScopeKey(key);
    return scopeStanding(scopeId, periodId);
  },
  10_000,
  RANK_VIEW_BOUNDS,
);

/** The scope's standing for a rank-only read: the view this process holds, kept up to RANK_VIEW_BOUNDS bounds. */
export function rankStanding(scopeId: string, periodId: string): Promise<ScopeStanding> {
  return rankViews.get(scopeKey(periodId, scopeId));
}

/**
 * A member's points in a scope and period, or null when they have none there: their totals as held here (exact for
 * this process's writes, another's within the bound, and read again when the client has seen a newer sequence: see
 * held-totals.ts).
 */
export async function memberPoints(userId: string, periodId: string, scopeId: string): Promise<number | null> {
  return (await ownTotals(userId, [periodId])).t[scopeKey(periodId, scopeId)] ?? null;
}

/** Standard competition rank: 1 + members of the histogram with more points. */
export function rankIn(histogram: Histogram, points: number): number {
  return rankFromHistogram(histogram, points);
}

/**
 * rankIn for each of many scores (a board page). One score: one pass over the buckets. Many: the buckets parsed and
 * sorted once and walked with the scores best first, instead of a pass over every bucket per row (a county board's
 * histogram has a bucket per distinct score, and a page 50 rows: this loop was ~5 % of a board read's Node CPU).
 */
export function ranksIn(histogram: Histogram, points: readonly number[]): number[] {
  if (points.length < 2) return points.map((p) => rankIn(histogram, p));
  const buckets = Object.entries(histogram)
    .map(([bucket, count]) => [Number(bucket.slice(1)), count] as const)
    .sort((a, b) => b[0] - a[0]);
  const bestFirst = points.map((_, i) => i).sort((a, b) => points[b]! - points[a]!);
  const ranks = new Array<number>(points.length);
  let next = 0;
  let above = 0;
  for (const i of bestFirst) {
    while (next < buckets.length && buckets[next]![0] > points[i]!) above += buckets[next++]![1];
    ranks[i] = above + 1;
  }
  return ranks;
}

/** A board row as the leaderboards see it. */
export interface TopRow {
  userId: string;
  name: string;
  /** As stored (an own upload's key or ''); the caller turns it into a URL. */
  avatar: string;
  orgName: string;
  points: number;
}

const readable = (i: BoardItem): TopRow => ({ userId: i.u, name: i.n, avatar: i.a, orgName: i.o, points: i.p });

/**
 * The top of a scope in a period from the view this process holds (see boardView), best first, ties by who reached
 * the score first. Rows above the board's floor are exact; rows at it may be a subset of a tie (same rank either
 * way), so they are shown too, and only a board with fewer rows than `wanted` (at most the scope's members) is
 * rebuilt from the members' totals (a scan, rare).
 */
export async function topOf(
  scopeId: string,
  periodId: string,
  wanted: number,
): Promise<{ rows: TopRow[]; asOf: Date }> {
  const key = scopeKey(periodId, scopeId);
  const shown = (b: Board) => b.items.filter((i) => b.floor === null || i.p >= b.floor);
  const held = await boardView(key);
  if (shown(held.value).length >= wanted) return { rows: shown(held.value).map(readable), asOf: held.asOf };
  // Fewer rows than members: the view may be older than the count (read again), or the board short (rebuild).
  const stored = await readBoard(key);
  if (shown(stored).length >= wanted) return { rows: shown(stored).map(readable), asOf: new Date() };
  return { rows: (await rebuildBoard(key, boardRowFor)).items.map(readable), asOf: new Date() };
}
