import { OFFLINE_SIGNIN_RULES as R, activityStatusAt, type ActivityStatus } from '@pioneer/shared';
import { AppError, invalid } from '../../http/errors';
import { ActivityModel } from './activities.model';

interface Scheduled {
  startsAt: Date | string;
  endsAt: Date | string;
  statusOverride?: string | null;
}

export interface SigninMoment {
  /** When the member was there: what the code, token or fix is checked against, the late mark and the points day. */
  at: Date;
  /** Kept on the sign-in when it came from the offline queue, so the secretary sees the gap. */
  offline: { capturedAt: string; receivedAt: string; lateUpload: boolean } | null;
}

/**
 * The moment a sign-in proves. Live (no capture time): now, while sign-in is open. From the offline queue: the
 * device's capture time, accepted when
 * - it is not ahead of our clock beyond a little skew (else the phone's clock is wrong: 400);
 * - it arrives within OFFLINE_SIGNIN_RULES.maxGapMinutes of capture (else CAPTURE_TOO_OLD);
 * - the activity was open then by its schedule, or the secretary has it open by hand. A secretary's manual close
 *   does not refuse it: members in a room without signal sign in before the close and send after it.
 * The code or token is then checked against the capture time (it was valid then or it is refused), and a fix
 * against the fence as captured.
 */
export function signinMoment(a: Scheduled, capturedAt: string | undefined, now: Date): SigninMoment {
  const override = (a.statusOverride ?? null) as ActivityStatus | null;
  if (!capturedAt) {
    if (activityStatusAt({ startsAt: a.startsAt, endsAt: a.endsAt, statusOverride: override }, now) !== 'open')
      throw new AppError('ACTIVITY_NOT_OPEN');
    return { at: now, offline: null };
  }
  const captured = new Date(capturedAt);
  const gapMs = now.getTime() - captured.getTime();
  if (-gapMs > R.maxClockSkewMinutes * 60_000)
    throw invalid('手机时间比标准时间快，请校准手机时间后重新签到', { capturedAt });
  if (gapMs > R.maxGapMinutes * 60_000) {
    throw new AppError(
      'CAPTURE_TOO_OLD',
      `离线签到须在${R.maxGapMinutes / 60}小时内联网提交，这条已超时，请联系书记补录`,
      { capturedAt },
    );
  }
  const at = gapMs < 0 ? now : captured;
  const open =
    override === 'open' ||
    activityStatusAt({ startsAt: a.startsAt, endsAt: a.endsAt, statusOverride: null }, at) === 'open';
  if (!open) throw new AppError('ACTIVITY_NOT_OPEN', '离线签到的时间不在活动签到时间内');
  return {
    at,
    offline: {
      capturedAt: captured.toISOString(),
      receivedAt: now.toISOString(),
      lateUpload: gapMs > R.lateUploadMinutes * 60_000,
    },
  };
}

/**
 * Keeps the capture and receive times on the attendance summary (`signins.<userId>.offline`), written after the
 * sign-in's own summary so it is not overwritten by it. Nothing for a live sign-in.
 */
export async function noteOffline(activityId: string, userId: string, moment: SigninMoment): Promise<void> {
  if (!moment.offline) return;
  await ActivityModel.updateOne({ _id: activityId }, { $set: { [`signins.${userId}.offline`]: moment.offline } });
}
