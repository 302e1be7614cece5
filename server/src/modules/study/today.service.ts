import { dayKey, ruleFor, weekKey, type StudyItemToday, type StudyToday } from '@pioneer/shared';
import type { SessionUser } from '../../http/types';
import { payKey } from '../points/keys';
import { paidEntry, rulesInForce } from '../points/points.service';
import { ReadDayModel } from './study.model';

const item = (entry: { delta: number } | null): StudyItemToday => ({ done: entry !== null, points: entry?.delta ?? 0 });

/**
 * The 学习 tab's daily card, like 学习强国's 积分 page. Every number is a ledger entry read by its key: the day's paid
 * readings (their keys kept on the member's day document), and the quiz payments of the day and of the week.
 */
export async function studyToday(actor: SessionUser, now: Date): Promise<StudyToday> {
  const day = dayKey(now);
  const [readDay, daily, weekly, challenge, rules] = await Promise.all([
    ReadDayModel.findById(`${actor.id}|${day}`).lean(),
    paidEntry(payKey('daily_quiz', actor.id, day)),
    paidEntry(payKey('weekly_quiz', actor.id, weekKey(now))),
    paidEntry(payKey('challenge_quiz', actor.id, day)),
    rulesInForce(actor.id, now, actor.orgPath[0] ?? null),
  ]);
  const reads = (await Promise.all((readDay?.keys ?? []).map((k) => paidEntry(k)))).filter(
    (e) => e !== null && e.delta > 0,
  );
  const readPoints = reads.reduce((sum, e) => sum + e!.delta, 0);
  const cap = ruleFor('study_read', rules).cap;
  const card = { daily: item(daily), weekly: item(weekly), challenge: item(challenge) };
  return {
    day,
    read: { count: reads.length, cap: cap?.per === 'day' ? cap.max : null, points: readPoints },
    ...card,
    total: readPoints + card.daily.points + card.weekly.points + card.challenge.points,
  };
}
