import { dayKey, ruleFor } from '@pioneer/shared';
import { payKey } from '../points/keys';
import { awardPoints, paidEntry, rulesInForce } from '../points/points.service';
import { ReadDayModel } from './study.model';

export type StudyReason = 'study_read' | 'study_watch';

/** The member's day document for a reason: readings keep their old id, watchings a suffixed one. */
export const studyDayId = (reason: StudyReason, userId: string, day: string) =>
  reason === 'study_read' ? `${userId}|${day}` : `${userId}|${day}|watch`;

export interface StudyPay {
  awarded: number;
  unpaid: 'already_paid' | 'daily_cap' | null;
}

/**
 * Takes a slot of the member's daily cap before paying (an `$inc` on the day's key, given back when over), so a
 * reading or watching past the cap leaves the item payable another day instead of burning its once-only key at 0.
 */
export async function payStudy(reason: StudyReason, userId: string, refId: string, now: Date): Promise<StudyPay> {
  const key = payKey(reason, userId, refId);
  if (await paidEntry(key)) return { awarded: 0, unpaid: 'already_paid' };
  const rule = ruleFor(reason, await rulesInForce(userId, now));
  const cap = rule.cap?.per === 'day' ? rule.cap.max : null;
  const dayId = studyDayId(reason, userId, dayKey(now));
  const slot = await ReadDayModel.findOneAndUpdate(
    { _id: dayId },
    { $inc: { count: 1 }, $addToSet: { keys: key } },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  const giveBack = () => ReadDayModel.updateOne({ _id: dayId }, { $inc: { count: -1 }, $pull: { keys: key } });
  if (cap !== null && (slot?.count ?? 0) > cap) {
    await giveBack();
    return { awarded: 0, unpaid: 'daily_cap' };
  }
  const result = await awardPoints({
    userId,
    reason,
    units: 1,
    refType: reason === 'study_read' ? 'study_article' : 'study_video',
    refId,
    idempotencyKey: key,
    at: now,
  });
  if (result.duplicate) {
    await giveBack();
    return { awarded: 0, unpaid: 'already_paid' };
  }
  return { awarded: result.awarded, unpaid: null };
}
