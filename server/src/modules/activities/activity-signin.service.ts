/** 签到: the secretary's QR screen and a member's sign-in (QR token, 6-digit code or location; live or offline). */
import {
  ACTIVITY_RULES,
  checkFence,
  formatDistance,
  toGcj02,
  type QrReply,
  type SigninBody,
  type SigninReply,
} from '@pioneer/shared';
import { AppError, invalid } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { authorize } from '../../policy';
import { requireConsent } from '../privacy/consent.service';
import { findUser } from '../users/users.service';
import { ActivityModel, type ActivityDoc } from './activities.model';
import { attendFacts, branchFor, expectedOf, refuseCancelled, signinView, signinsOf, statusOf } from './activity-view';
import { storeSignin, type SigninMethod } from './attendance-pay';
import { noteOffline, signinMoment } from './signin-moment';
import { checkCode, checkQrToken, qrReply } from './signin-token';

/** The secretary's screen: the current token, its 6-digit code and its QR image, while sign-in is open. */
export async function activityQr(actor: SessionUser, secret: string, id: string, now = new Date()): Promise<QrReply> {
  const a = await signinView(id);
  await branchFor(actor, a, 'manage');
  refuseCancelled(a);
  if (statusOf(a, now) !== 'open') throw new AppError('ACTIVITY_NOT_OPEN');
  return qrReply(secret, id, now);
}

const isLate = (a: ActivityDoc, at: Date) =>
  at.getTime() > new Date(a.startsAt).getTime() + ACTIVITY_RULES.lateAfterMinutes * 60_000;

export async function signIn(
  actor: SessionUser,
  secret: string,
  id: string,
  body: SigninBody,
  now = new Date(),
): Promise<SigninReply> {
  const a = await signinView(id);
  authorize(actor, 'activity.attend', attendFacts(actor, a), '只有本支部党员可以签到');
  refuseCancelled(a);
  // Live: now. From the offline queue: the capture time, within limits (signin-moment.ts).
  const moment = signinMoment(a, body.capturedAt, now);
  let method: SigninMethod;
  if ('token' in body) {
    checkQrToken(secret, body.token, id, moment.at);
    method = 'qr';
  } else if ('code' in body) {
    await checkCode(secret, body.code, id, actor.id, moment.at);
    method = 'qr';
  } else {
    // A location is personal data: not taken from a member who refused the privacy guide (issue 24); QR stays open.
    await requireConsent(actor.id, 'location');
    const fence = (a.place as { fence?: { lat: number; lng: number; radiusM: number } | null } | null)?.fence;
    if (!fence) throw invalid('本次活动未设置签到范围，请扫码签到');
    const point = toGcj02(body, body.coordType);
    const { distanceM, within } = checkFence(point, fence);
    if (!within || body.accuracy > fence.radiusM) {
      throw new AppError(
        'OUT_OF_FENCE',
        `距活动地点约${formatDistance(distanceM)}，超出${formatDistance(fence.radiusM)}范围，请扫码签到`,
        {
          distanceM,
          radiusM: fence.radiusM,
        },
      );
    }
    method = 'location';
  }
  if (signinsOf(a)[actor.id]) throw new AppError('ALREADY_SIGNED_IN');
  const late = isLate(a, moment.at);
  const pointsAwarded = await storeSignin(a._id, actor.id, { at: moment.at.toISOString(), late, method });
  await noteOffline(a._id, actor.id, moment);
  await nameGuest(a, actor.id);
  return { at: moment.at.toISOString(), late, pointsAwarded };
}

/**
 * Someone who signs in without being expected (列席 a 支委会, or a member who joined the branch after publishing) is
 * named under `guests`, or the secretary's live list shows a row without a name. A read only for them.
 */
async function nameGuest(a: ActivityDoc, userId: string): Promise<void> {
  if (userId in expectedOf(a) || userId in ((a.guests ?? {}) as Record<string, string>)) return;
  const member = await findUser(userId);
  await ActivityModel.updateOne({ _id: a._id }, { $set: { [`guests.${userId}`]: member?.name ?? '' } });
}
