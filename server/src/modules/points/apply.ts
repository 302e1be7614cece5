import { monthKey, periodIds } from '@pioneer/shared';
import { FeedModel, LedgerModel, MemberTotalsModel, ScopeStatsModel, type LedgerDoc } from './points.model';
import { BOARD_CAPACITY, offerToBoards, type BoardItem, type BoardOffer } from './board';
import { feedId, SELF_SCOPE, scopeKey } from './keys';

export const histogramKey = (points: number) => `p${points}`;

export type BoardRow = Omit<BoardItem, 'p' | 't' | 's'>;

type Entry = Pick<
  LedgerDoc,
  '_id' | 'userId' | 'delta' | 'reason' | 'refType' | 'refId' | 'note' | 'at' | 'periods' | 'scopes'
>;

/** A member's score in each `${periodId}|${scopeId}` before an award (a missing key: none yet), and the award's sequence. */
interface Befores {
  t: Record<string, number | undefined>;
  seq: number;
}

/**
 * Every total of the member the entry counts in (each period, their own and each scope of their chain) in one
 * `findOneAndUpdate` on their document, which returns every score before it: atomic on one document on every engine.
 */
async function bumpMemberTotals(entry: Entry): Promise<Befores> {
  const inc: Record<string, number> = {};
  const max: Record<string, number> = {};
  for (const periodId of entry.periods)
    for (const scopeId of [SELF_SCOPE, ...entry.scopes]) {
      inc[`t.${scopeKey(periodId, scopeId)}`] = entry.delta;
      max[`r.${scopeKey(periodId, scopeId)}`] = entry.at.getTime();
    }
  const old = await MemberTotalsModel.findOneAndUpdate(
    { _id: entry.userId },
    { $inc: { ...inc, v: 1 }, $max: max },
    { upsert: true, returnDocument: 'before' },
  ).lean<{ t?: Befores['t']; v?: number }>();
  return { t: old?.t ?? {}, seq: (old?.v ?? 0) + 1 };
}

/** The rank (1 + members above) of `points` in a period of a scope, and the members counted there. */
export interface Standing {
  rank: number;
  members: number;
}

type StatsDoc = {
  h?: Record<string, Record<string, number>>;
  n?: Record<string, number>;
  c?: Record<string, Record<string, number>>;
};

/**
 * Moves the member between histogram buckets of the scope in every period of the entry (and adds the points to the
 * child org's sums), one `findOneAndUpdate` (FerretDB 1.24 returns the whole document: it has no projection on
 * findAndModify). For each period, the member's rank at the new score from the histogram as it stands after the
 * move, and the scope's members in it.
 */
export async function moveInStats(
  scopeId: string,
  childId: string | undefined,
  moves: { periodId: string; before: number | null; after: number; delta: number }[],
): Promise<Map<string, Standing>> {
  const inc: Record<string, number> = {};
  const add = (path: string, by: number) => (inc[path] = (inc[path] ?? 0) + by);
  for (const { periodId, before, after, delta } of moves) {
    if (before === null) add(`n.${periodId}`, 1);
    else add(`h.${periodId}.${histogramKey(before)}`, -1);
    add(`h.${periodId}.${histogramKey(after)}`, 1);
    if (childId) add(`c.${periodId}.${childId}`, delta);
  }
  const stats = await ScopeStatsModel.findOneAndUpdate(
    { _id: scopeId },
    { $inc: inc },
    { upsert: true, returnDocument: 'after' },
  ).lean<StatsDoc>();
  await dropPeriodsGoneBy(scopeId, stats, moves);
  return new Map(
    moves.map(({ periodId, after }) => [
      periodId,
      { rank: rankFromHistogram(stats?.h?.[periodId] ?? {}, after), members: stats?.n?.[periodId] ?? 0 },
    ]),
  );
}

/**
 * Keeps a scope's document to the periods of now (and those just moved): it is returned whole on every award in
 * the scope, and a county's would otherwise gain a week's and a month's histograms every week and month. Nothing
 * reads a period gone by (boards and ranks are of the current periods; `points:rebuild` recomputes them all). One
 * `$unset`, once per scope when a period rolls over.
 */
async function dropPeriodsGoneBy(scopeId: string, stats: StatsDoc | null, moves: { periodId: string }[]) {
  const keep = new Set([...periodIds(new Date()), ...moves.map((m) => m.periodId)]);
  const held = new Set([
    ...Object.keys(stats?.h ?? {}),
    ...Object.keys(stats?.n ?? {}),
    ...Object.keys(stats?.c ?? {}),
  ]);
  const gone = [...held].filter((p) => !keep.has(p));
  if (gone.length === 0) return;
  const unset = Object.fromEntries(gone.flatMap((p) => [`h.${p}`, `n.${p}`, `c.${p}`].map((f) => [f, 1])));
  await ScopeStatsModel.updateOne({ _id: scopeId }, { $unset: unset });
}

/** Standard competition rank from a score histogram: 1 + members with more points. */
export function rankFromHistogram(histogram: Record<string, number>, points: number): number {
  let above = 0;
  for (const [bucket, count] of Object.entries(histogram)) if (Number(bucket.slice(1)) > points) above += count;
  return above + 1;
}

/** The scope's histograms of every period; returns the board offers the member can reach. */
async function applyToScope(
  entry: Entry,
  index: number,
  befores: Befores,
  row: () => Promise<BoardRow>,
): Promise<BoardOffer[]> {
  const scopeId = entry.scopes[index]!;
  const moves = entry.periods.map((periodId) => {
    const before = befores.t[scopeKey(periodId, scopeId)] ?? null;
    return { periodId, before, after: (before ?? 0) + entry.delta, delta: entry.delta };
  });
  const standings = await moveInStats(scopeId, entry.scopes[index + 1], moves);
  const offers: BoardOffer[] = [];
  for (const { periodId, after } of moves) {
    const { rank, members } = standings.get(periodId)!;
    // A lowered score (a negative adjustment) always reaches the board, so a row never shows more than the total.
    const reach = entry.delta < 0 ? undefined : rank;
    if (reach !== undefined && reach > BOARD_CAPACITY) continue;
    offers.push({
      key: scopeKey(periodId, scopeId),
      item: { ...(await row()), p: after, t: entry.at, s: befores.seq },
      rank: reach,
      members,
    });
  }
  return offers;
}

/** The member's board row, read once and only when a board is reached (at scale most awards reach none). */
function lazyRow(rowFor: () => Promise<BoardRow>): () => Promise<BoardRow> {
  let row: Promise<BoardRow> | undefined;
  return () => (row ??= rowFor());
}

export function feedItem(entry: Entry) {
  return {
    id: entry._id,
    delta: entry.delta,
    reason: entry.reason,
    at: entry.at,
    refType: entry.refType,
    refId: entry.refId,
    note: entry.note ?? null,
  };
}

/**
 * Applies a ledger entry to every derived view: the member's totals (one command), each scope's histograms and child
 * sums (one command per scope), the boards it reaches (one bulk command for small scopes) and the member's feed,
 * then marks it applied. Only key reads and key updates, so its cost does not grow with members.
 * `rowFor` gives the member's board row, asked for only when a board is reached.
 */
export async function applyEntry(entry: Entry, rowFor: () => Promise<BoardRow>): Promise<void> {
  const row = lazyRow(rowFor);
  const views = bumpMemberTotals(entry)
    .then((befores) => Promise.all(entry.scopes.map((_, index) => applyToScope(entry, index, befores, row))))
    .then((offers) => offerToBoards(offers.flat()));
  const feed = FeedModel.updateOne(
    { _id: feedId(entry.userId, monthKey(entry.at)) },
    { $addToSet: { items: feedItem(entry) } },
    { upsert: true },
  ).exec();
  await Promise.all([views, feed]);
  await LedgerModel.updateOne({ _id: entry._id }, { $set: { applied: true } });
}
