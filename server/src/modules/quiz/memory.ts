import type { AnyBulkWriteOperation } from 'mongoose';
import { RECENT_RIGHT_DAYS, dayKey, type QuestionResult } from '@pioneer/shared';
import { isDuplicateKey } from '../../db/connect';
import { groupedQueue } from '../../db/grouped-marks';
import { QuizMemoryModel, type AttemptDoc } from './quiz.model';

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

/** A pointer to write, and the right answers gone stale to drop from the member's memory with it. */
interface OpenWrite {
  userId: string;
  slot: string;
  open: OpenPaper;
  stale: string[];
}

/** After a write of these pointers: those not replaced since are the stored ones now. */
function written(items: OpenWrite[]): void {
  for (const { userId, slot, open } of items) {
    const mine = unwritten.get(userId);
    if (mine?.[slot] !== open) continue;
    delete mine[slot];
    if (Object.keys(mine).length === 0) unwritten.delete(userId);
  }
}

/**
 * Open-paper pointers written off the start's path (issue 17: a start sends its attempt's insert, not a second
 * write), one bulk write per 10 ms for every start of the window, tried again a second later if the engine is away.
 * What a crash may lose is only the resume: the pointer names the paper a start resumes; without it a start deals a
 * fresh one (the paper dealt still grades and pays as before until its clock runs out). This process's own starts
 * read the pointers still queued; another process's within the window may deal a fresh paper instead of resuming.
 * The same write drops the member's right answers older than RECENT_RIGHT_DAYS (`staleRight`): nothing reads them,
 * and every submit rewrites the whole document, so a member of years would otherwise carry every question they
 * ever answered right.
 */
const openWrites = groupedQueue<OpenWrite>(
  'quiz-open-papers',
  async (items) => {
    const sets = new Map<string, Record<string, OpenPaper>>();
    const unsets = new Map<string, Record<string, 1>>();
    for (const { userId, slot, open, stale } of items) {
      sets.set(userId, { ...sets.get(userId), [`open.${slot}`]: open });
      for (const id of stale) unsets.set(userId, { ...unsets.get(userId), [`right.${id}`]: 1 });
    }
    const ops = [...sets].map(([_id, set]) => ({
      updateOne: {
        filter: { _id },
        update: { $set: set, ...(unsets.has(_id) ? { $unset: unsets.get(_id) } : {}) },
        upsert: true,
      },
    }));
    await QuizMemoryModel.bulkWrite(ops as AnyBulkWriteOperation[], { ordered: false });
    written(items);
  },
  10,
  1000,
);

/**
 * A paper just dealt is the member's open paper of its slot: written with the window's others, seen here at once.
 * `stale`: right answers to drop from the memory with it (`staleRight`).
 */
export function noteOpenPaper(attempt: AttemptDoc, stale: string[] = []): void {
  const slot = paperSlot(attempt);
  const open = { a: attempt._id, exp: attempt.expiresAt.toISOString() };
  unwritten.set(attempt.userId, { ...unwritten.get(attempt.userId), [slot]: open });
  openWrites.add({ userId: attempt.userId, slot, open, stale });
}

export async function memoryOf(userId: string): Promise<Memory> {
  const doc = await QuizMemoryModel.findById(userId).lean();
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
 * the attempt was handed in (its paper is not resumed) and that its payment key is taken: one update.
 */
export async function remember(
  attempt: AttemptDoc,
  results: QuestionResult[],
  taken: string | null,
  at: Date,
): Promise<void> {
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
  const update: Record<string, object> = {};
  if (Object.keys(set).length) update.$set = set;
  if (Object.keys(unset).length) update.$unset = unset;
  if (Object.keys(inc).length) update.$inc = inc;
  if (Object.keys(update).length === 0) return;
  const write = () => QuizMemoryModel.updateOne({ _id: attempt.userId }, update, { upsert: true });
  // Two upserts of a memory not yet made (this and a queued open pointer) race: the one that lost finds it made.
  await write().catch((err: unknown) => (isDuplicateKey(err) ? write() : Promise.reject(err)));
}
