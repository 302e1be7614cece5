import { groupedQueue } from '../../db/grouped-marks';
import { LedgerModel, MemberTotalsModel } from './points.model';
import { scopeWritesLanded } from './scope-writes';

/**
 * An award's progress marks, so that recovery finds what a stop or a failed write left half-done by key alone (never
 * a scan of the ledger, the largest collection):
 * - the pending journal: `e.<entry>` on one of JOURNAL_SLOTS documents of the ledger collection, set by the same
 *   command that inserts the entry (points.service.ts, an ordered bulk: a duplicate key stops it before the mark);
 * - `p.<entry>` on the member's totals document, set by the same update that moves the totals (apply.ts): the entry's
 *   totals moved, its scopes, boards and feed may not have.
 * Both are cleared once the views hold the entry, off the request's path: first the ledger's (`applied` on the entry,
 * the journal's mark dropped), in groups, and only when that write has returned the totals' mark, by the member's
 * next award (`finishedMarks`). That order makes "in the journal, not applied, no mark on the totals" mean "its
 * totals never moved" (recovery moves them).
 */
/**
 * The journal's documents, by key: every award in flight rewrites its slot's document (under load, 50 awards in one
 * document made each award's insert rewrite ~4 KB), and recovery reads each by key (16 key reads). Their `_id`s
 * start with `~`, which no entry's key does (points/keys.ts).
 */
const JOURNAL_SLOTS = 16;
const slotId = (slot: number) => `~pending|${slot}`;
export const isJournal = (id: string) => id.startsWith('~pending|');

/** An entry id as a field name: a client's idempotency key may hold `.` or `$`. */
const field = (entryId: string) => Buffer.from(entryId).toString('base64url');

/** The journal document of an entry (a hash of its key). */
function journalId(entryId: string): string {
  let h = 0;
  for (let i = 0; i < entryId.length; i++) h = (h * 31 + entryId.charCodeAt(i)) | 0;
  return slotId(Math.abs(h) % JOURNAL_SLOTS);
}

/** The totals document's mark of an entry whose totals moved (apply.ts sets it in its update). */
export const totalsMark = (entryId: string) => `p.${field(entryId)}`;

/** Whether a member's totals document (its `p`) holds the entry's mark. */
export const totalsMarked = (doc: { p?: Record<string, unknown> } | null, entryId: string) =>
  !!doc?.p?.[field(entryId)];

/** The journal statement that rides with the ledger insert. */
export const journalStatement = (entryId: string) => ({
  updateOne: {
    filter: { _id: journalId(entryId) },
    update: { $set: { [`e.${field(entryId)}`]: entryId } },
    upsert: true,
  },
});

/** The entries in the journal (a key read per slot). */
export async function journalEntries(): Promise<string[]> {
  const slots = Array.from({ length: JOURNAL_SLOTS }, (_, i) => slotId(i));
  const docs = await Promise.all(
    slots.map((_id) => LedgerModel.collection.findOne<{ e?: Record<string, string> }>({ _id: _id as never })),
  );
  return docs.flatMap((d) => Object.values(d?.e ?? {}));
}

/** Drops the journal (points:rebuild applied every entry). */
export async function clearJournal(): Promise<void> {
  for (let i = 0; i < JOURNAL_SLOTS; i++) await LedgerModel.collection.deleteOne({ _id: slotId(i) as never });
}

/** What a stop right after the ledger insert leaves (tests of the recovery write it that way). */
export const leavePending = (entryId: string) => LedgerModel.collection.bulkWrite([journalStatement(entryId)] as never);

interface Finished {
  entryId: string;
  userId: string;
}

/** The ledger's marks of finished entries and their journal lines dropped, in one bulk write. */
async function markLedger(done: Finished[]): Promise<void> {
  const ids = [...new Set(done.map((d) => d.entryId))];
  const unsets = new Map<string, Record<string, 1>>();
  for (const id of ids) {
    const slot = journalId(id);
    (unsets.get(slot) ?? unsets.set(slot, {}).get(slot)!)[`e.${field(id)}`] = 1;
  }
  await LedgerModel.collection.bulkWrite(
    [
      ...ids.map((_id) => ({ updateOne: { filter: { _id }, update: { $set: { applied: true } } } })),
      ...[...unsets].map(([_id, $unset]) => ({ updateOne: { filter: { _id }, update: { $unset } } })),
    ] as never,
    { ordered: false },
  );
}

/** The totals' marks of entries the ledger shows finished, in one bulk write (one statement per member): recovery. */
async function clearTotalsMarks(done: Finished[]): Promise<void> {
  const byMember = new Map<string, Record<string, 1>>();
  for (const { entryId, userId } of done)
    (byMember.get(userId) ?? byMember.set(userId, {}).get(userId)!)[totalsMark(entryId)] = 1;
  await MemberTotalsModel.collection.bulkWrite(
    [...byMember].map(([_id, unset]) => ({ updateOne: { filter: { _id }, update: { $unset: unset } } })) as never,
    { ordered: false },
  );
}

/**
 * Members' finished entries whose totals' marks are not cleared yet: the member's next award clears them in its own
 * update (apply.ts), so clearing costs no write of its own. Those of a member not paid again by this process stay
 * (a few bytes each; recovery skips them: the ledger shows them applied; points:rebuild drops them).
 */
const finished = new Map<string, string[]>();
const FINISHED_MEMBERS = 10_000;

function remember(done: Finished[]): void {
  for (const { entryId, userId } of done) {
    const list = finished.get(userId) ?? [];
    finished.delete(userId);
    if (finished.size >= FINISHED_MEMBERS) finished.delete(finished.keys().next().value as string);
    finished.set(userId, [...list, entryId]);
  }
}

/** The `$unset` of a member's finished entries' marks, for their next totals update (taken: given once). */
export function finishedMarks(userId: string): Record<string, 1> {
  const list = finished.get(userId);
  finished.delete(userId);
  return Object.fromEntries((list ?? []).map((id) => [totalsMark(id), 1]));
}

/** Retried after a failure (the engine away): a mark not written only makes recovery look at a finished entry. */
const ledgerMarks = groupedQueue<Finished>(
  'points-applied-marks',
  async (done) => {
    await markLedger(done);
    remember(done); // only now: a totals mark cleared before the ledger's would read as "totals never moved"
  },
  10,
  1000,
);

/** Queues an entry's marks: its totals, scopes, boards and feed all hold it now. */
export const markApplied = (entryId: string, userId: string): void => ledgerMarks.add({ entryId, userId });

/**
 * Writes every queued mark now (one bulk write); a failure keeps them queued for the next try. The scope writes under
 * way land first (they run after their awards' replies and queue the marks of those that landed).
 */
export async function flushAppliedMarks(): Promise<void> {
  await scopeWritesLanded();
  await ledgerMarks.flush();
}

/** The marks of entries recovery finished, written at once in the same order. */
export async function writeAppliedMarks(done: Finished[]): Promise<void> {
  if (done.length === 0) return;
  await markLedger(done);
  await clearTotalsMarks(done);
}
