import { monthKey } from '@pioneer/shared';
import { FeedModel, LedgerModel, ScopeStatsModel, TotalModel, type LedgerDoc } from './points.model';
import { offerToBoard, type BoardItem } from './board';
import { feedId, SELF_SCOPE, scopeKey, totalId } from './keys';

// Kept for callers that import the key builders from here; keys.ts owns them.
export { SELF_SCOPE, scopeKey, totalId };
export const histogramKey = (points: number) => `p${points}`;

export type BoardRow = Omit<BoardItem, 'p' | 't'>;

type Entry = Pick<LedgerDoc, '_id' | 'userId' | 'delta' | 'reason' | 'refType' | 'refId' | 'note' | 'at' | 'periods' | 'scopes'>;

/** $inc one total and return the score before and after; `before` is null when the member had none. */
async function bumpTotal(periodId: string, scopeId: string, entry: Entry): Promise<{ before: number | null; after: number }> {
  const old = await TotalModel.findOneAndUpdate(
    { _id: totalId(periodId, scopeId, entry.userId) },
    {
      $inc: { points: entry.delta },
      $max: { reachedAt: entry.at },
      $setOnInsert: { userId: entry.userId, scopeId, periodId },
    },
    { upsert: true, returnDocument: 'before' },
  ).lean();
  const before = old ? old.points : null;
  return { before, after: (before ?? 0) + entry.delta };
}

/**
 * Moves the member between histogram buckets of the scope and adds the points to the child org's sum. Returns the
 * member's rank at `after` (1 + members above) from the histogram as it stands after the move.
 */
export async function moveInStats(periodId: string, scopeId: string, childId: string | undefined, before: number | null, after: number, delta: number): Promise<number> {
  const inc: Record<string, number> = {};
  if (before === null) inc.members = 1;
  else inc[`h.${histogramKey(before)}`] = -1;
  inc[`h.${histogramKey(after)}`] = (inc[`h.${histogramKey(after)}`] ?? 0) + 1;
  if (childId) inc[`c.${childId}`] = delta;
  const stats = await ScopeStatsModel.findOneAndUpdate({ _id: scopeKey(periodId, scopeId) }, { $inc: inc }, { upsert: true, returnDocument: 'after' }).lean();
  return rankFromHistogram((stats?.h ?? {}) as Record<string, number>, after);
}

/** Standard competition rank from a score histogram: 1 + members with more points. */
export function rankFromHistogram(histogram: Record<string, number>, points: number): number {
  let above = 0;
  for (const [bucket, count] of Object.entries(histogram)) if (Number(bucket.slice(1)) > points) above += count;
  return above + 1;
}

async function applyToScope(entry: Entry, periodId: string, index: number, row: BoardRow) {
  const scopeId = entry.scopes[index]!;
  const { before, after } = await bumpTotal(periodId, scopeId, entry);
  const rank = await moveInStats(periodId, scopeId, entry.scopes[index + 1], before, after, entry.delta);
  // A lowered score (a negative adjustment) always reaches the board, so a row never shows more than the total.
  await offerToBoard(scopeKey(periodId, scopeId), { ...row, p: after, t: entry.at }, entry.delta < 0 ? undefined : rank);
}

export function feedItem(entry: Entry) {
  return { id: entry._id, delta: entry.delta, reason: entry.reason, at: entry.at, refType: entry.refType, refId: entry.refId, note: entry.note ?? null };
}

/**
 * Applies a ledger entry to every derived view: totals per (period, scope), histograms, child sums, boards and the
 * member's feed, then marks it applied. Only key reads and key updates, so its cost does not grow with members.
 */
export async function applyEntry(entry: Entry, row: BoardRow): Promise<void> {
  const work: Promise<unknown>[] = [];
  for (const periodId of entry.periods) {
    work.push(bumpTotal(periodId, SELF_SCOPE, entry));
    entry.scopes.forEach((_, index) => work.push(applyToScope(entry, periodId, index, row)));
  }
  work.push(FeedModel.updateOne({ _id: feedId(entry.userId, monthKey(entry.at)) }, { $addToSet: { items: feedItem(entry) } }, { upsert: true }));
  await Promise.all(work);
  await LedgerModel.updateOne({ _id: entry._id }, { $set: { applied: true } });
}
