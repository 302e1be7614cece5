import type { PointReason, QuizKind } from '@pioneer/shared';
import { payKey } from '../points/keys';
import { awardPoints } from '../points/points.service';
import type { AttemptDoc } from './quiz.model';

export interface Payment {
  reason: PointReason;
  key: string;
}

/** Which award an attempt can earn: the key makes "first daily attempt of the day" and friends exactly-once. */
export function paymentFor(
  kind: QuizKind,
  userId: string,
  a: { day: string; week: string; topic?: string | null },
): Payment | null {
  switch (kind) {
    case 'daily':
      return { reason: 'daily_quiz', key: payKey('daily_quiz', userId, a.day) };
    case 'weekly':
      return { reason: 'weekly_quiz', key: payKey('weekly_quiz', userId, a.week) };
    case 'topic':
      return { reason: 'topic_quiz', key: payKey('topic_quiz', userId, `${a.topic}`) };
    case 'challenge':
      return { reason: 'challenge_quiz', key: payKey('challenge_quiz', userId, a.day) };
    case 'mistakes':
      return null;
  }
}

/**
 * Daily, weekly and topic sets have one paid slot per period, and the first submission takes it whatever it scored:
 * a 0-point ledger entry marks the slot used. Otherwise an empty submission would pay 0, show every answer and leave
 * the paid attempt for later: the whole bank harvested in minutes. A challenge pays only for a 5+ streak, and its
 * result never shows a question the member did not answer, so a short run takes no slot.
 */
const SLOT_KINDS: ReadonlySet<QuizKind> = new Set(['daily', 'weekly', 'topic']);

export interface Paid {
  /** The points this attempt brought (0 if another attempt took the key). */
  points: number;
  /** This attempt holds the period's paid slot: its result may show every answer. */
  slot: boolean;
  /** The payment key the ledger now holds an entry of (this attempt's or another's), if one was paid. */
  taken?: string;
}

/** The payment an attempt's units can take, if any (a challenge short of a paying streak takes none). */
export function paymentOf(attempt: AttemptDoc, units: number): Payment | null {
  const kind = attempt.kind as QuizKind;
  const payment = paymentFor(kind, attempt.userId, attempt);
  return !payment || (units <= 0 && !SLOT_KINDS.has(kind)) ? null : payment;
}

/** What a ledger entry of the attempt's payment key says this attempt got. */
export function paidFrom(attempt: AttemptDoc, entry: { refId: string; awarded: number }): Paid {
  const slot = entry.refId === attempt._id;
  return { points: slot ? entry.awarded : 0, slot };
}

/** Pays what an attempt earned (right answers; for a challenge, 1 for a paying streak), once per payment key. */
export async function pay(attempt: AttemptDoc, units: number): Promise<Paid> {
  const payment = paymentOf(attempt, units);
  if (!payment) return { points: 0, slot: false };
  const award = await awardPoints({
    userId: attempt.userId,
    reason: payment.reason,
    units: Math.max(units, 0),
    refType: 'quiz_attempt',
    refId: attempt._id,
    idempotencyKey: payment.key,
    at: attempt.startedAt,
  });
  return { ...paidFrom(attempt, award), taken: payment.key };
}
