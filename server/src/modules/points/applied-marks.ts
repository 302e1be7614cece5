import { monthKey } from '@pioneer/shared';
import { groupedQueue } from '../../db/grouped-marks';
import { feedId } from './keys';
import { FeedModel, LedgerModel, MemberTotalsModel } from './points.model';
import { scopeWritesLanded } from './scope-writes';

/**
 * An award's progress marks, so that recovery finds what a stop or a failed write left half-done by key alone (never
 * a scan of the ledger, the largest collection):
 * - the pending journal: `e.<entry>` on one of JOURNAL_SLOTS documents of the ledger collection, set by the same
 *   command that inserts the entry (ledger-insert.ts, an ordered bulk);
 * - `p.<entry>` on the member's totals document, set by the same update that moves the totals (apply.ts): the entry's
 *   totals moved, its scopes, boards and feed may not have;
 * - the entry's line in its member's feed (apply.ts `feedUpdate`): the last statement of the award's scope write, an
 *   ordered one (db/group-commit.ts `last`), sent once its totals moved. The feed holding the entry says its totals,
 *   scopes and boards all hold it (`feedHolds`). Feed lines are never taken out (points:rebuild writes them all).
 * The journal line is dropped once the feed holds the entry, off the request's path: by the journal statement of the
 * next award of the same journal document, else in groups (`takeDrops`); the totals' mark then, by the member's next
 * award (`finishedMarks`). So "in the journal, not in its feed, no mark on the totals" means "its totals never
 * moved" (recovery moves them), and "in its feed" means finished (recovery only clears its marks). Issue 17: the
 * ledger's own `applied: true` per entry was that evidence before, a statement per award.
 */
/**
 * The journal's documents, by key: every award in flight rewrites its slot's document (under load, 50 awards in one
 * document made each award's insert rewrite ~4 KB), and recovery reads each by key (16 key reads). Their `_id`s
 * start with `~`, which no entry's key does (points/keys.ts).
 */
const JOURNAL_SLOTS = 16;
const slotId = (slot: number) => `~pending|${slot}`;
export const isJournal = (id: string) => id.startsWith('~pending|');

interface Finished {
  entryId: string;
  userId: string;
}

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

/** The journal statement that rides with the ledger insert; `drops`: finished entries of its slot, their lines dropped. */
export function journalStatement(entryId: string, drops: readonly Finished[] = []) {
  const $set = { [`e.${field(entryId)}`]: entryId };
  const $unset = Object.fromEntries(drops.map((d) => [`e.${field(d.entryId)}`, 1]));
  const update = drops.length > 0 ? { $set, $unset } : { $set };
  return { updateOne: { filter: { _id: journalId(entryId) }, update, upsert: true } };
}

/** Tests only: whether two entries' lines share a journal document. */
export const sameJournalSlot = (a: string, b: string) => journalId(a) === journalId(b);

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

/**
 * Whether the entry's feed holds it: its views are finished (a key read of the feed document of its month; the line
 * is the last statement of its ordered scope write, so every other one landed before it).
 */
export async function feedHolds(entry: { _id: string; userId: string; at: Date }): Promise<boolean> {
  const filter = { _id: feedId(entry.userId, monthKey(entry.at)), 'items.id': entry._id };
  return !!(await FeedModel.collection.findOne(filter as never, { projection: { _id: 1 } }));
}

/** The journal lines of finished entries dropped, in one bulk write (a statement per journal slot). */
async function markLedger(done: Finished[]): Promise<void> {
  const unsets = new Map<string, Record<string, 1>>();
  for (const { entryId } of done) {
    const slot = journalId(entryId);
    (unsets.get(slot) ?? unsets.set(slot, {}).get(slot)!)[`e.${field(entryId)}`] = 1;
  }
  await LedgerModel.collection.bulkWrite(
    [...unsets].map(([_id, $unset]) => ({ updateOne: { filter: { _id }, update: { $unset } } })) as never,
    { ordered: false },
  );
}

/** The totals' marks of entries their feeds show finished, in one bulk write (one statement per member): recovery. */
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
 * (a few bytes each; recovery skips them: they are not in the journal; points:rebuild drops them).
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

/**
 * Finished entries whose journal lines are still to drop, by journal document. The next award whose line goes to the
 * same document drops them in its own statement (`takeDrops`: no statement of their own, issue 17); those no award
 * took are written by the grouped write after LINGER_MS (16 documents: under load each gets an award every few
 * hundred ms).
 */
const drops = new Map<string, Finished[]>();
const LINGER_MS = 1000;
/** Lines one award's statement drops at most (its journal document is rewritten whole anyway). */
const MAX_DROPS = 64;

function queueDrops(done: readonly Finished[]): void {
  for (const d of done) {
    const slot = journalId(d.entryId);
    (drops.get(slot) ?? drops.set(slot, []).get(slot)!).push(d);
  }
}

/**
 * The queued drops an award's journal statement carries: those of its document, never its own entry's (a duplicate of
 * a finished entry sets its line again: one update may not both set and drop a field). The caller gives them back
 * (`dropsLanded` or `dropsFailed`).
 */
export function takeDrops(entryId: string): Finished[] {
  const slot = journalId(entryId);
  const queued = drops.get(slot) ?? [];
  const taken = queued.filter((d) => d.entryId !== entryId).slice(0, MAX_DROPS);
  const left = queued.filter((d) => !taken.includes(d));
  if (left.length > 0) drops.set(slot, left);
  else drops.delete(slot);
  return taken;
}

/** The statement carrying them landed: their totals' marks go with the members' next awards. */
export const dropsLanded = (done: readonly Finished[]): void => remember([...done]);

/** It did not (the command failed, or stopped before it): queued again. */
export function dropsFailed(done: readonly Finished[]): void {
  if (done.length === 0) return;
  queueDrops(done);
  ledgerMarks.add(null);
}

/** Retried after a failure (the engine away): a line not dropped only makes recovery look at a finished entry. */
const ledgerMarks = groupedQueue<null>(
  'points-applied-marks',
  async () => {
    const done = [...drops.values()].flat();
    drops.clear();
    if (done.length === 0) return;
    try {
      await markLedger(done);
    } catch (err) {
      queueDrops(done);
      throw err; // the queue tries again
    }
    // Their feeds hold them already (the evidence recovery reads); kept in this order all the same: a totals mark is
    // cleared only once nothing of the entry's is pending anywhere.
    remember(done);
  },
  LINGER_MS,
  1000,
);

/** Queues the drop of an entry's marks: its totals, scopes, boards and feed all hold it now (its feed says so). */
export function markApplied(entryId: string, userId: string): void {
  queueDrops([{ entryId, userId }]);
  ledgerMarks.add(null);
}

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
