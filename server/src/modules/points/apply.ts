import { monthKey } from '@pioneer/shared';
import { FeedModel, LedgerModel, ScopeStatsModel, TotalModel, type LedgerDoc } from './points.model';
import { BOARD_CAPACITY, offerToBoards, type BoardItem, type BoardOffer } from './board';
import { feedId, SELF_SCOPE, scopeKey, totalId } from './keys';

export const histogramKey = (points: number) => `p${points}`;

export type BoardRow = Omit<BoardItem, 'p' | 't'>;

type Entry = Pick<
  LedgerDoc,
  '_id' | 'userId' | 'delta' | 'reason' | 'refType' | 'refId' | 'note' | 'at' | 'periods' | 'scopes'
>;

/** The update of one total by an entry (the same for the member's own totals and a scope's). */
function totalUpdate(periodId: string, scopeId: string, entry: Entry) {
  return {
    $inc: { points: entry.delta },
    $max: { reachedAt: entry.at },
    $setOnInsert: { userId: entry.userId, scopeId, periodId },
  };
}

/** $inc one total and return the score before and after; `before` is null when the member had none. */
async function bumpTotal(
  periodId: string,
  scopeId: string,
  entry: Entry,
): Promise<{ before: number | null; after: number }> {
  const old = await TotalModel.findOneAndUpdate(
    { _id: totalId(periodId, scopeId, entry.userId) },
    totalUpdate(periodId, scopeId, entry),
    { upsert: true, returnDocument: 'before' },
  ).lean();
  const before = old ? old.points : null;
  return { before, after: (before ?? 0) + entry.delta };
}

/**
 * The member's own totals of every period in one engine command (an `update` with a statement per total, each
 * atomic on its document): nothing needs their score before, as no histogram or board is kept for them.
 */
async function bumpSelfTotals(entry: Entry): Promise<void> {
  await TotalModel.bulkWrite(
    entry.periods.map((periodId) => ({
      updateOne: {
        filter: { _id: totalId(periodId, SELF_SCOPE, entry.userId) },
        update: totalUpdate(periodId, SELF_SCOPE, entry),
        upsert: true,
      },
    })),
  );
}

/**
 * Moves the member between histogram buckets of the scope and adds the points to the child org's sum. Returns the
 * member's rank at `after` (1 + members above) from the histogram as it stands after the move, and how many
 * members the scope counts in the period.
 */
export async function moveInStats(
  periodId: string,
  scopeId: string,
  childId: string | undefined,
  before: number | null,
  after: number,
  delta: number,
): Promise<{ rank: number; members: number }> {
  const inc: Record<string, number> = {};
  if (before === null) inc.members = 1;
  else inc[`h.${histogramKey(before)}`] = -1;
  inc[`h.${histogramKey(after)}`] = (inc[`h.${histogramKey(after)}`] ?? 0) + 1;
  if (childId) inc[`c.${childId}`] = delta;
  const stats = await ScopeStatsModel.findOneAndUpdate(
    { _id: scopeKey(periodId, scopeId) },
    { $inc: inc },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  return { rank: rankFromHistogram((stats?.h ?? {}) as Record<string, number>, after), members: stats?.members ?? 0 };
}

/** Standard competition rank from a score histogram: 1 + members with more points. */
export function rankFromHistogram(histogram: Record<string, number>, points: number): number {
  let above = 0;
  for (const [bucket, count] of Object.entries(histogram)) if (Number(bucket.slice(1)) > points) above += count;
  return above + 1;
}

/** The scope's total and histogram; returns the board offer when the member can reach the board. */
async function applyToScope(
  entry: Entry,
  periodId: string,
  index: number,
  row: () => Promise<BoardRow>,
): Promise<BoardOffer | null> {
  const scopeId = entry.scopes[index]!;
  const { before, after } = await bumpTotal(periodId, scopeId, entry);
  const { rank, members } = await moveInStats(periodId, scopeId, entry.scopes[index + 1], before, after, entry.delta);
  // A lowered score (a negative adjustment) always reaches the board, so a row never shows more than the total.
  const reach = entry.delta < 0 ? undefined : rank;
  if (reach !== undefined && reach > BOARD_CAPACITY) return null;
  return { key: scopeKey(periodId, scopeId), item: { ...(await row()), p: after, t: entry.at }, rank: reach, members };
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
 * Applies a ledger entry to every derived view: totals per (period, scope), histograms, child sums, boards and the
 * member's feed, then marks it applied. Only key reads and key updates, so its cost does not grow with members.
 * `rowFor` gives the member's board row, asked for only when a board is reached.
 */
export async function applyEntry(entry: Entry, rowFor: () => Promise<BoardRow>): Promise<void> {
  const row = lazyRow(rowFor);
  const scopes: Promise<BoardOffer | null>[] = [];
  for (const periodId of entry.periods)
    entry.scopes.forEach((_, index) => scopes.push(applyToScope(entry, periodId, index, row)));
  const boards = Promise.all(scopes).then((offers) => offerToBoards(offers.filter((o): o is BoardOffer => o !== null)));
  const work: Promise<unknown>[] = [bumpSelfTotals(entry), boards];
  work.push(
    FeedModel.updateOne(
      { _id: feedId(entry.userId, monthKey(entry.at)) },
      { $addToSet: { items: feedItem(entry) } },
      { upsert: true },
    ),
  );
  await Promise.all(work);
  await LedgerModel.updateOne({ _id: entry._id }, { $set: { applied: true } });
}
