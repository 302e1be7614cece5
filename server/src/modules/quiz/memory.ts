import { RECENT_RIGHT_DAYS, dayKey, type QuestionResult } from '@pioneer/shared';
import { isDuplicateKey } from '../../db/connect';
import { groupedQueue } from '../../db/grouped-marks';
import { keyReads } from '../../db/key-reads';
import { memoryCollection, type AttemptDoc } from './quiz.model';

/**
 * A member's quiz memory, one document by their id: what they answered right lately and their mistake book, and
 * (issue 17) what a start needs besides, so a start reads this one document: the open paper of each kind, the paper
 * handed in last and the newest payment key taken.
 */
export interface Memory {
  right: Record<string, string>;
  wrong: Record<string, { n: number; at: string }>;
  /** Per open-paper slot (`slotField`): the attempt dealt last and when its clock runs out. */
  open: Record<string, { a: string; exp: string }>;
  /** Per open-paper slot: the attempt handed in last (a paper handed in is not resumed). */
  done: Record<string, string>;
  /** Per open-paper slot: the newest payment key taken (the ledger holds its entry), so a start knows it unread. */
  paid: Record<string, string>;
}

type OpenPaper = Memory['open'][string];

/** Open papers this process dealt whose pointer is not written yet (userId -> slot -> paper): its starts see them. */
const unwritten = new Map<string, Record<string, OpenPaper>>();

type MemoryUpdate = { $set?: Record<string, unknown>; $unset?: Record<string, 1>; $inc?: Record<string, number> };

/** One update of a member's memory, written in order with the window's others; a start's carries its pointer. */
interface MemoryWrite {
  userId: string;
  update: MemoryUpdate;
  pointer?: { slot: string; open: OpenPaper };
}

/** Submits' updates queued and not written yet, per member: this process's reads of their memory wait for them. */
const remembering = new Map<string, number>();

/** After a write of these updates: pointers not replaced since are the stored ones now, submits' updates landed. */
function written(items: MemoryWrite[]): void {
  for (const { userId, pointer } of items) {
    if (!pointer) {
      const left = (remembering.get(userId) ?? 1) - 1;
      if (left > 0) remembering.set(userId, left);
      else remembering.delete(userId);
      continue;
    }
    const mine = unwritten.get(userId);
    if (mine?.[pointer.slot] !== pointer.open) continue;
    delete mine[pointer.slot];
    if (Object.keys(mine).length === 0) unwritten.delete(userId);
  }
}

/** The index of the statement an ordered bulk write stopped at (those before it landed), 0 when not told. */
const stoppedAt = (err: unknown) =>
  [(err as { writeErrors?: { index?: number } | { index?: number }[] }).writeErrors].flat()[0]?.index ?? 0;

/** The updates as one ordered bulk write: a member's updates land in the order they were made. */
async function writeInOrder(items: MemoryWrite[]): Promise<void> {
  const ops = items.map(({ userId, update }) => ({ updateOne: { filter: { _id: userId }, update, upsert: true } }));
  const write = (from: number) => memoryCollection().bulkWrite(ops.slice(from) as never[], { ordered: true });
  // Two upserts of a memory not yet made race (another process's): the one that lost finds it made, from there on.
  await write(0).catch((err: unknown) => (isDuplicateKey(err) ? write(stoppedAt(err)) : Promise.reject(err)));
  written(items);
}

/**
 * The memory's writes, off the requests' path (issue 17), one ordered bulk write per 10 ms for every start and submit
 * of the window, tried again a second later if the engine is away:
 * - a start's open-paper pointer (a start sends its attempt's insert, not a second write). What a crash may lose is
 *   only the resume: without it a start deals a fresh paper (the one dealt still grades and pays until its clock
 *   runs out). This process's own starts read the pointers still queued; another process's within the window may
 *   deal a fresh paper instead of resuming. The same update drops the member's right answers older than
 *   RECENT_RIGHT_DAYS (`staleRight`): nothing reads them, and a member of years would otherwise carry every question
 *   they ever answered right in a document every submit rewrites.
 * - a submit's right and wrong answers, paper handed in and key taken (`remember`, H7d: a command and its wait off
 *   the paying submit). This process's reads of the member's memory write them first; another process sees them
 *   within the window. A crash may lose them as it could between the result and the memory before: a mistake not
 *   in the book, a handed-in paper checked against its stored result (papers.ts), a key taken read from the ledger.
 */
const memoryWrites = groupedQueue<MemoryWrite>('quiz-memory', writeInOrder, 10, 1000);

/**
 * A paper just dealt is the member's open paper of its slot: written with the window's others, seen here at once.
 * `stale`: right answers to drop from the memory with it (`staleRight`).
 */
export function noteOpenPaper(attempt: AttemptDoc, stale: string[] = []): void {
  const slot = paperSlot(attempt);
  const open = { a: attempt._id, exp: attempt.expiresAt.toISOString() };
  unwritten.set(attempt.userId, { ...unwritten.get(attempt.userId), [slot]: open });
  const drop = stale.length > 0 ? { $unset: Object.fromEntries(stale.map((id) => [`right.${id}`, 1 as const])) } : {};
  memoryWrites.add({
    userId: attempt.userId,
    update: { $set: { [`open.${slot}`]: open }, ...drop },
    pointer: { slot, open },
  });
}

/** Members' memories read by key, gathered under load into one command while one is in flight (db/key-reads.ts). */
const memoryReads = keyReads(memoryCollection);

export async function memoryOf(userId: string): Promise<Memory> {
  if (remembering.has(userId)) await memoryWrites.flush(); // this member's submits first: read your writes
  const doc = await memoryReads.read(userId);
  return {
    right: (doc?.right ?? {}) as Memory['right'],
    wrong: (doc?.wrong ?? {}) as Memory['wrong'],
    open: { ...(doc?.open as Memory['open'] | undefined), ...unwritten.get(userId) },
    done: (doc?.done ?? {}) as Memory['done'],
    paid: (doc?.paid ?? {}) as Memory['paid'],
  };
}

/** A key as a field name: a dot would be a path, a leading `$` an operator. */
const slotField = (key: string) => key.replaceAll('%', '%25').replaceAll('.', '%2E').replaceAll('$', '%24');

const rightSince = (now: Date) => dayKey(now.getTime() - RECENT_RIGHT_DAYS * 24 * 3600 * 1000);

export function recentlyRight(memory: Memory, now: Date): Set<string> {
  const since = rightSince(now);
  return new Set(
    Object.entries(memory.right)
      .filter(([, day]) => day >= since)
      .map(([id]) => id),
  );
}

/**
 * The right answers older than RECENT_RIGHT_DAYS (picked again like any other, so nothing needs them), except the
 * questions of the paper just dealt: its submit sets them again, and a drop written after it must not undo that.
 */
export function staleRight(memory: Memory, now: Date, dealt: readonly string[]): string[] {
  const since = rightSince(now);
  const keep = new Set(dealt);
  return Object.entries(memory.right)
    .filter(([id, day]) => day < since && !keep.has(id))
    .map(([id]) => id);
}

/** The member's open-paper slot of a kind (a topic its own), a field of their quiz memory. */
export const paperSlot = (a: { kind: string; topic?: string | null }) =>
  slotField(`${a.kind}|${a.kind === 'topic' ? a.topic : ''}`);

/** The attempt's payment key is taken for sure (marked after its ledger entry); unmarked, the ledger says. */
export const keyTaken = (memory: Memory, attempt: { kind: string; topic?: string | null }, key: string) =>
  memory.paid[paperSlot(attempt)] === key;

/**
 * Remembers right answers (not picked again for 30 days; leave the mistake book) and wrong ones (enter it), that
 * the attempt was handed in (its paper is not resumed) and that its payment key is taken: one update, queued
 * (`memoryWrites`: written after the reply).
 */
export function remember(attempt: AttemptDoc, results: QuestionResult[], taken: string | null, at: Date): void {
  const set: Record<string, unknown> = {};
  const unset: Record<string, 1> = {};
  const inc: Record<string, number> = {};
  for (const r of results) {
    if (r.correct) {
      set[`right.${r.questionId}`] = attempt.day;
      unset[`wrong.${r.questionId}`] = 1;
    } else {
      inc[`wrong.${r.questionId}.n`] = 1;
      set[`wrong.${r.questionId}.at`] = at.toISOString();
    }
  }
  if (attempt.kind !== 'challenge') set[`done.${paperSlot(attempt)}`] = attempt._id;
  if (taken) set[`paid.${paperSlot(attempt)}`] = taken;
  const update: MemoryUpdate = {};
  if (Object.keys(set).length) update.$set = set;
  if (Object.keys(unset).length) update.$unset = unset;
  if (Object.keys(inc).length) update.$inc = inc;
  if (Object.keys(update).length === 0) return;
  remembering.set(attempt.userId, (remembering.get(attempt.userId) ?? 0) + 1);
  memoryWrites.add({ userId: attempt.userId, update });
}
