import { isDuplicateKey } from '../../db/connect';
import { groupedMarks } from '../../db/grouped-marks';
import { AppError } from '../../http/errors';
import { payKey } from '../points/keys';
import { awardPoints } from '../points/points.service';
import { ActivityModel, ActivitySigninModel, type ActivitySigninDoc } from './activities.model';

export type SigninMethod = 'qr' | 'location' | 'manual';

/** The summary kept on the activity under `signins.<userId>` (the attendance lists are one key read). */
export interface StoredSignin {
  at: string;
  late: boolean;
  method: SigninMethod;
  reason?: string | null;
  by?: string | null;
}

export const signinId = (activityId: string, userId: string) => `${activityId}|${userId}`;
/** One payment per member and activity, whoever triggers it (the sign-in, 补录 or the reconciler). */
export const attendanceKey = (activityId: string, userId: string) => payKey('activity_attended', userId, activityId);

type SigninRecord = Pick<
  ActivitySigninDoc,
  '_id' | 'activityId' | 'userId' | 'at' | 'late' | 'method' | 'reason' | 'by'
>;

/**
 * `paid`, written with other sign-ins' off the request's path (issue 17, db/grouped-marks.ts): one not yet written
 * only means the start-up reconciler pays that sign-in again by its key, which pays nothing twice.
 */
export const paidMarks = groupedMarks('activity-signins-paid', ActivitySigninModel, { paid: true });

/**
 * Everything after the sign-in insert: the summary on the activity, the points, then the `paid` mark. Each step
 * is idempotent (a $set by `_id`, a payment by idempotency key), so running it again after a crash or twice at
 * once pays exactly once. Returns the points this call paid (0 when they had been paid already).
 */
export async function payAttendance(s: SigninRecord): Promise<number> {
  const stored: StoredSignin = {
    at: new Date(s.at).toISOString(),
    late: s.late,
    method: s.method as SigninMethod,
    reason: s.reason ?? null,
    by: s.by ?? null,
  };
  // Field by field, so a re-run never drops what was added beside them (`signins.<userId>.offline`).
  const summary = Object.fromEntries(Object.entries(stored).map(([k, v]) => [`signins.${s.userId}.${k}`, v]));
  await ActivityModel.updateOne({ _id: s.activityId }, { $set: summary });
  const paid = await awardPoints({
    userId: s.userId,
    reason: 'activity_attended',
    units: 1,
    refType: 'activity',
    refId: s.activityId,
    idempotencyKey: attendanceKey(s.activityId, s.userId),
    actorId: s.by ?? undefined,
    // The day of the sign-in, not of a late repair: caps and periods follow the event.
    at: new Date(s.at),
  });
  paidMarks.mark(s._id);
  return paid.duplicate ? 0 : paid.awarded;
}

/**
 * Records a sign-in once: inserting `${activityId}|${userId}` is the lock (a duplicate means another scan won:
 * 409), stored unpaid, then paid by `payAttendance`.
 */
export async function storeSignin(activityId: string, userId: string, stored: StoredSignin): Promise<number> {
  const doc = {
    _id: signinId(activityId, userId),
    activityId,
    userId,
    at: new Date(stored.at),
    late: stored.late,
    method: stored.method,
    reason: stored.reason ?? null,
    by: stored.by ?? null,
    paid: false,
  };
  try {
    await ActivitySigninModel.create(doc);
  } catch (err) {
    if (isDuplicateKey(err)) throw new AppError('ALREADY_SIGNED_IN');
    throw err;
  }
  return payAttendance(doc);
}
