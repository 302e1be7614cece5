import type { AttemptResult, QuestionResult, QuizKind } from '@pioneer/shared';
import { isDuplicateKey } from '../../db/connect';
import { groupedInserts } from '../../db/grouped-inserts';
import { AppError } from '../../http/errors';
import { paidEntry } from '../points/points.service';
import { remember } from './memory';
import { pay, paidFrom, paymentOf, type Paid } from './payment';
import { resultsCollection, type AttemptDoc, type QuizResultDoc } from './quiz.model';

/** A few seconds' grace for the network between the countdown reaching 0 and the request arriving. */
const SUBMIT_GRACE_MS = 10_000;

export const isLate = (attempt: AttemptDoc, now: Date) => now.getTime() > attempt.expiresAt.getTime() + SUBMIT_GRACE_MS;

export function assertOpen(attempt: AttemptDoc, now: Date): void {
  if (isLate(attempt, now)) throw new AppError('ATTEMPT_EXPIRED', '答题已超时，本次不计分，请重新开始');
}

/**
 * What a result may show. The attempt holding the period's paid slot shows every answer; an unpaid practice (a
 * second daily set, 错题练习, a short challenge) shows the answer and explanation only of questions the member
 * answered, so practice cannot be used to read the answer key.
 */
function revealed(results: QuestionResult[], slot: boolean): QuestionResult[] {
  if (slot) return results;
  return results.map((r) => (r.choice.length > 0 ? r : { ...r, answer: [], explanation: '' }));
}

/** The reply: what the payment brought, and only what the result may show. */
function settle(attempt: AttemptDoc, result: AttemptResult, paid: Paid): AttemptResult {
  return { ...result, pointsAwarded: paid.points, results: revealed(result.results, paid.slot) };
}

/**
 * A graded result's insert, grouped with the submits' inserts in flight meanwhile (db/grouped-inserts.ts): each
 * document is still refused alone when its attempt's result is there (a duplicate key: two submits of one attempt in
 * one group included), which is what makes a result, and so a payment, exactly once.
 */
const insertResult = groupedInserts<QuizResultDoc>(resultsCollection);

/** Whether the attempt was handed in (its result stored): one key read of the `_id` alone. */
export const resultStored = async (attemptId: string) =>
  (await resultsCollection().findOne({ _id: attemptId }, { projection: { _id: 1 } })) !== null;

/**
 * Records the graded result exactly once (the first insert of the attempt's id wins), then pays and remembers.
 * A repeat, or a retry after a crash between the two, finds the stored result and completes what is missing.
 */
export async function finish(
  attempt: AttemptDoc,
  results: QuestionResult[],
  units: number,
  now: Date,
): Promise<AttemptResult> {
  const draft: AttemptResult = {
    attemptId: attempt._id,
    kind: attempt.kind as QuizKind,
    correct: results.filter((r) => r.correct).length,
    total: results.length,
    pointsAwarded: 0,
    results,
    submittedAt: now.toISOString(),
  };
  try {
    await insertResult({ _id: attempt._id, userId: attempt.userId, result: { ...draft, units } });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return storedResult(attempt);
  }
  const paid = await pay(attempt, units);
  const result = settle(attempt, draft, paid);
  // Questions whose answer this result withholds stay out of the mistake book too: it shows answers. Written after
  // the reply (memory.ts); this process's reads of the memory wait for it.
  remember(
    attempt,
    result.results.filter((r) => r.answer.length > 0),
    paid.taken ?? null,
    now,
  );
  return result;
}

/**
 * A stored result as its first reply was. What it paid is not written back on it (issue 17: a command fewer): the
 * ledger entry of its payment key says it, read only by a repeat; no entry means a crash came between the result
 * and the payment, which is paid now. Results stored before carry `paid` with what they paid.
 */
export async function storedResult(attempt: AttemptDoc): Promise<AttemptResult> {
  const doc = await resultsCollection().findOne({ _id: attempt._id });
  // `points` is what results stored before units held (the same number for every kind but a challenge's 3).
  const { paid, units, points, ...result } = doc!.result as AttemptResult & {
    paid?: boolean;
    units?: number;
    points?: number;
  };
  if (paid) return result;
  const earned = units ?? (attempt.kind === 'challenge' && points ? 1 : (points ?? 0));
  const payment = paymentOf(attempt, earned);
  const entry = payment ? await paidEntry(payment.key) : null;
  if (!entry) return settle(attempt, result, await pay(attempt, earned));
  return settle(attempt, result, paidFrom(attempt, { refId: entry.refId, awarded: entry.delta }));
}
