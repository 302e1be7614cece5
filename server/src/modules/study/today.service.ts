import { dayKey, ruleFor, weekKey, type PointRule, type StudyItemToday, type StudyToday } from '@pioneer/shared';
import type { SessionUser } from '../../http/types';
import { payKey } from '../points/keys';
import { paidEntry, rulesInForce } from '../points/points.service';
import { studyDayId, type StudyReason } from './pay';
import { ReadDayModel } from './study.model';

const item = (entry: { delta: number } | null): StudyItemToday => ({ done: entry !== null, points: entry?.delta ?? 0 });

/** A day's paid readings or watchings: the ledger entries whose keys the member's day document keeps. */
async function paidOfDay(reason: StudyReason, userId: string, day: string, rules: readonly PointRule[]) {
  const doc = await ReadDayModel.findById(studyDayId(reason, userId, day)).lean();
  const paid = (await Promise.all((doc?.keys ?? []).map((k) => paidEntry(k)))).filter((e) => e !== null && e.delta > 0);
  const cap = ruleFor(reason, rules).cap;
  return {
    count: paid.length,
    cap: cap?.per === 'day' ? cap.max : null,
    points: paid.reduce((sum, e) => sum + e!.delta, 0),
  };
}

/**
 * The 学习 tab's daily card, like 学习强国's 积分 page. Every number is a ledger entry read by its key: the day's paid
 * readings and watchings (their keys kept on the member's day documents), and the quiz payments of the day and week.
 */
export async function studyToday(actor: SessionUser, now: Date): Promise<StudyToday> {
  const day = dayKey(now);
  const rules = await rulesInForce(actor.id, now, actor.orgPath[0] ?? null);
  const [read, watch, daily, weekly, challenge] = await Promise.all([
    paidOfDay('study_read', actor.id, day, rules),
    paidOfDay('study_watch', actor.id, day, rules),
    paidEntry(payKey('daily_quiz', actor.id, day)),
    paidEntry(payKey('weekly_quiz', actor.id, weekKey(now))),
    paidEntry(payKey('challenge_quiz', actor.id, day)),
  ]);
  const card = { daily: item(daily), weekly: item(weekly), challenge: item(challenge) };
  return {
    day,
    read,
    watch,
    ...card,
    total: read.points + watch.points + card.daily.points + card.weekly.points + card.challenge.points,
  };
}
