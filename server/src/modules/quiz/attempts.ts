import { onCollectionWrite } from '../../db/engine-commands';
import { groupedInserts } from '../../db/grouped-inserts';
import { AppError, notFound } from '../../http/errors';
import { questionById, type BankQuestion } from './bank';
import { attemptsCollection, type AttemptDoc } from './quiz.model';

/**
 * Attempts held in memory by id (issue 17): an attempt is never changed once dealt, so the paper a start dealt (or a
 * read found) is the paper its submit, resume or challenge answers read, and this process reads it from the engine
 * once at most (a start and its submit: none). Held in the order dealt, the oldest dropped past HELD_MAX (~1 KB
 * each). A write to quiz_attempts this process sends (a tool, a test moving a clock) drops the attempts it names,
 * at its send and at its reply; the app itself writes none after the insert. Callers never change a held attempt.
 */
const HELD_MAX = 20_000;
const held = new Map<string, AttemptDoc>();
/** Moves on every write to quiz_attempts: a read that a write overtook is not held. */
let writes = 0;

onCollectionWrite('quiz_attempts', (ids) => {
  writes += 1;
  if (typeof ids === 'string') held.clear();
  else for (const id of ids) held.delete(id);
});

/** Holds an attempt as dealt or as read (the newest last, so the oldest goes first). */
export function holdAttempt(attempt: AttemptDoc): void {
  held.delete(attempt._id);
  held.set(attempt._id, attempt);
  if (held.size > HELD_MAX) held.delete(held.keys().next().value!);
}

/** The attempt by id: held, or read once and held. */
export async function attemptById(id: string): Promise<AttemptDoc | null> {
  const found = held.get(id);
  if (found) return found;
  const before = writes;
  const attempt = await attemptsCollection().findOne({ _id: id });
  if (attempt && writes === before) holdAttempt(attempt);
  return attempt;
}

/**
 * Stores a paper just dealt (resolved: stored, so another process's submit finds it), grouped with the starts' inserts
 * in flight meanwhile (db/grouped-inserts.ts): under load one command for many starts, alone sent at once.
 */
export const insertAttempt = groupedInserts<AttemptDoc>(attemptsCollection);

/** The member's own attempt: someone else's is as good as missing (its id says nothing about them). */
export async function requireAttempt(userId: string, attemptId: string): Promise<AttemptDoc> {
  const attempt = await attemptById(attemptId);
  if (!attempt || attempt.userId !== userId) throw notFound('答题记录');
  return attempt;
}

/** The option order shown for question i of an attempt. */
export function orderOf(attempt: AttemptDoc, i: number): number[] {
  return [...(attempt.orders[i] ?? '')].map(Number);
}

/** The questions of the paper as given (a question withdrawn since still grades it). */
export async function questionsOf(attempt: AttemptDoc): Promise<BankQuestion[]> {
  const found = await Promise.all(attempt.questionIds.map((id) => questionById(id)));
  return found.map((q) => {
    if (!q) throw new AppError('INTERNAL');
    return q;
  });
}
