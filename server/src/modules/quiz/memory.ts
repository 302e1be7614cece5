import { RECENT_RIGHT_DAYS, dayKey, type QuestionResult } from '@pioneer/shared';
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

export async function memoryOf(userId: string): Promise<Memory> {
  const doc = await QuizMemoryModel.findById(userId).lean();
  return {
    right: (doc?.right ?? {}) as Memory['right'],
    wrong: (doc?.wrong ?? {}) as Memory['wrong'],
    open: (doc?.open ?? {}) as Memory['open'],
    done: (doc?.done ?? {}) as Memory['done'],
    paid: (doc?.paid ?? {}) as Memory['paid'],
  };
}

/** A key as a field name: a dot would be a path, a leading `$` an operator. */
const slotField = (key: string) => key.replaceAll('%', '%25').replaceAll('.', '%2E').replaceAll('$', '%24');

export function recentlyRight(memory: Memory, now: Date): Set<string> {
  const since = dayKey(now.getTime() - RECENT_RIGHT_DAYS * 24 * 3600 * 1000);
  return new Set(
    Object.entries(memory.right)
      .filter(([, day]) => day >= since)
      .map(([id]) => id),
  );
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
  if (Object.keys(update).length) await QuizMemoryModel.updateOne({ _id: attempt.userId }, update, { upsert: true });
}
