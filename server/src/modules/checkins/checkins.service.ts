import { createHash } from 'node:crypto';
import {
  CHECKIN_RULES,
  checkFence,
  formatDistance,
  dayKey,
  haversineM,
  monthKey,
  speedKmh,
  toGcj02,
  type CheckinBody,
  type CheckinFlag,
  type CheckinResult,
  type CircleFence,
  type LatLng,
} from '@pioneer/shared';
import { isDuplicateKey } from '../../db/connect';
import { newId } from '../../db/ids';
import { groupedMarks } from '../../db/grouped-marks';
import { AppError, forbidden, invalid } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { heldOrg, orgSummary } from '../orgs/orgs.service';
import type { OrgDoc } from '../orgs/orgs.model';
import { findUser } from '../users/users.service';
import { CheckinModel, type CheckinDoc } from './checkins.model';
import { swapLastFix, type FixWrite, type LastFix } from './last-fix';
import { authorize } from '../../policy';
import { enqueueForReview, itemOut, payForDay, recordInMonth, storedItem } from './records';
import { requireConsent } from '../privacy/consent.service';
import { onMonthLinesWritten, queueMonthLine } from './month-lines';
import { insertCheckin } from './insert-group';

interface Posting {
  village: OrgDoc;
  fence: CircleFence;
}

/**
 * The village and its fence, read by every check-in: a held org (issue 17, orgs.service.ts `heldOrg`, db/change-marks.ts),
 * so a check-in reads no org while the org tree is unchanged; a fence edited here holds from the next check-in, one
 * edited on another process within the shared-view bound (≤ 2 s).
 */
const villages = heldOrg;

/** Only a cadre posted to a village that has a fence checks in. */
export async function postingOf(actor: SessionUser): Promise<Posting> {
  authorize(actor, 'checkin.create', {});
  if (!actor.postedVillageId) throw forbidden('您还没有派驻的村，请联系组织部设置');
  const village = await villages.get(actor.postedVillageId);
  if (!village) throw forbidden('派驻的村不存在，请联系组织部');
  const f = village.fence;
  if (!f || typeof f.lat !== 'number' || typeof f.lng !== 'number' || typeof f.radiusM !== 'number') {
    throw forbidden(`${village.name}尚未设置打卡范围，请联系组织部`);
  }
  return { village, fence: { lat: f.lat, lng: f.lng, radiusM: f.radiusM } };
}

/** A client's Idempotency-Key becomes the check-in's id, so a retried request records and pays once. */
function checkinIdFor(userId: string, idempotencyKey?: string): string {
  if (!idempotencyKey) return newId();
  return createHash('sha256').update(`${userId}|${idempotencyKey}`).digest('hex').slice(0, 24);
}

/**
 * Suspicion flags. Speed: the distance beyond both fixes' accuracy circles (GPS jitter is not travel), over the
 * time since the previous check-in. Same coordinates: the first day these six-decimal coordinates were seen, kept
 * in the cadre's month documents (last-fix.ts), is an earlier day.
 */
function flagsFor(
  point: LatLng,
  accuracy: number,
  event: Date,
  last: LastFix | null,
  seenEarlier: boolean,
): CheckinFlag[] {
  const flags: CheckinFlag[] = [];
  if (last) {
    const beyondJitter = Math.max(0, haversineM(last, point) - last.accuracy - accuracy);
    const seconds = (event.getTime() - new Date(last.at).getTime()) / 1000;
    if (speedKmh(beyondJitter, seconds) > CHECKIN_RULES.maxSpeedKmh) flags.push('too_fast');
  }
  if (seenEarlier) flags.push('same_coords');
  if (accuracy === 0) flags.push('zero_accuracy');
  return flags;
}

function resultOf(c: CheckinDoc, village: OrgDoc, pointsAwarded: number): CheckinResult {
  return { ...itemOut(c._id, storedItem(c)), village: orgSummary(village), pointsAwarded };
}

/** The fix in GCJ-02 against the fence; refused when too vague, or outside without a reason (422). */
function judgeFix(
  body: CheckinBody,
  village: OrgDoc,
  fence: CircleFence,
): { point: LatLng; distanceM: number; within: boolean } {
  if (body.accuracy > CHECKIN_RULES.maxAccuracyM) {
    throw new AppError(
      'LOCATION_INACCURATE',
      `定位精度约${Math.round(body.accuracy)}米，需在${CHECKIN_RULES.maxAccuracyM}米以内，请到开阔处重新定位`,
      {
        accuracy: body.accuracy,
        maxAccuracyM: CHECKIN_RULES.maxAccuracyM,
      },
    );
  }
  const point = toGcj02(body, body.coordType);
  const { distanceM, within } = checkFence(point, fence);
  if (!within && !body.reason) {
    throw new AppError(
      'OUT_OF_FENCE',
      `距${village.name}打卡点约${formatDistance(distanceM)}，超出${formatDistance(fence.radiusM)}范围。如在外勤，请填写说明后提交审核`,
      {
        distanceM,
        radiusM: fence.radiusM,
      },
    );
  }
  return { point, distanceM, within };
}

/**
 * When the cadre was there: the device's capture time for a check-in sent from the offline queue, else ours. The
 * attendance day, the suspicion checks and the points rules all follow it, so a fix taken at 23:50 and sent after
 * midnight counts for the day it was taken.
 * - Ahead of our clock by more than a little skew: the device clock is wrong, so the time says nothing; refused
 *   (400) rather than clamped, because a clamped time would file the fix under a day it was not taken.
 * - Older than `maxUploadGapHours` (72 h): refused (CAPTURE_TOO_OLD), not moved to the receive day. The device
 *   clock is the only witness to that time and a longer gap makes a backdated fix cheaper to fake, while the
 *   secretary has usually reviewed and reported those days by then; counting it on the receive day would instead
 *   mark a day present with a location the cadre did not send that day.
 * - Anything between is counted on the capture day; more than `lateUploadMinutes` also flags late_upload.
 */
export function eventTime(capturedAt: string | undefined, now: Date): Date {
  if (!capturedAt) return now;
  const at = new Date(capturedAt);
  const ahead = at.getTime() - now.getTime();
  if (ahead > CHECKIN_RULES.maxClockSkewMinutes * 60_000)
    throw invalid('手机时间比标准时间快，请校准手机时间后重新打卡', { capturedAt });
  if (-ahead > CHECKIN_RULES.maxUploadGapHours * 3_600_000) {
    throw new AppError(
      'CAPTURE_TOO_OLD',
      `这条离线打卡已保存超过${CHECKIN_RULES.maxUploadGapHours}小时，不能再补交，请联系书记说明`,
      { capturedAt },
    );
  }
  return ahead > 0 ? now : at;
}

export interface CheckinOptions {
  idempotencyKey?: string;
  /** The server's clock; tests pass earlier days. */
  now?: Date;
}

/**
 * 驻村打卡: inside the fence -> valid and the day's point; outside -> refused unless the cadre gives a reason,
 * then pending for the branch secretary. The server's clock stamps the receive time (`at`); the Shanghai day is
 * the capture day (`eventTime`).
 */
export async function checkIn(
  actor: SessionUser,
  body: CheckinBody,
  opts: CheckinOptions = {},
): Promise<CheckinResult> {
  const now = opts.now ?? new Date();
  // A location is personal data: not taken from a member who refused the privacy guide (issue 24).
  await requireConsent(actor.id, 'location');
  const { village, fence } = await postingOf(actor);
  const id = checkinIdFor(actor.id, opts.idempotencyKey);
  // A resend with the same key is found by the insert below (a duplicate key), so a first check-in reads nothing
  // before it (issue 17). A resend that would be refused now (its capture too old by now) still gets its check-in.
  let judged: { event: Date; point: LatLng; distanceM: number; within: boolean };
  try {
    const event = eventTime(body.capturedAt, now);
    judged = { event, ...judgeFix(body, village, fence) };
  } catch (err) {
    const earlier = opts.idempotencyKey ? await CheckinModel.findById(id).lean<CheckinDoc>() : null;
    if (earlier) return stored(earlier, village);
    throw err;
  }
  const { event, point, distanceM, within } = judged;
  const day = dayKey(event);
  // The previous fix and the coordinates' first day: one key read of the month documents (this fix kept with the
  // check-in's month line).
  const { last, seenEarlier, dayTaken, keep } = await swapLastFix(
    actor.id,
    { at: event, lat: point.lat, lng: point.lng, accuracy: body.accuracy },
    day,
    monthKey(event),
    within,
    monthKey(now),
  );
  const flags = flagsFor(point, body.accuracy, event, last, seenEarlier);
  // Sent from the offline queue: the device's capture time is kept beside ours, and a long gap is flagged.
  if (now.getTime() - event.getTime() > CHECKIN_RULES.lateUploadMinutes * 60_000) flags.push('late_upload');
  const doc: CheckinDoc = {
    _id: id,
    userId: actor.id,
    branchId: actor.orgId,
    villageId: village._id,
    at: now,
    day,
    month: monthKey(event),
    lat: point.lat,
    lng: point.lng,
    rawLat: body.lat,
    rawLng: body.lng,
    coordType: body.coordType,
    accuracy: body.accuracy,
    capturedAt: body.capturedAt ? new Date(body.capturedAt) : null,
    distanceM,
    withinFence: within,
    status: within ? 'valid' : 'pending',
    reason: body.reason ?? null,
    flags,
    review: null,
    settled: false,
  };
  try {
    // Grouped with concurrent check-ins' inserts under load (insert-group.ts); alone, sent at once.
    await insertCheckin(doc);
  } catch (err) {
    // The same Idempotency-Key again (a resend, or itself racing): the first insert is the check-in.
    if (!isDuplicateKey(err)) throw err;
    return stored((await CheckinModel.findById(id).lean<CheckinDoc>())!, village);
  }
  return resultOf(doc, village, await settle(doc, village, dayTaken, keep));
}

/** A stored check-in as a resend's reply: settled now if a crash cut it off (a point paid now is in the reply). */
async function stored(earlier: CheckinDoc, village: OrgDoc): Promise<CheckinResult> {
  return resultOf(earlier, village, earlier.settled === false ? await settle(earlier, village) : 0);
}

/**
 * `settled`, written with other check-ins' off the request's path (issue 17, db/grouped-marks.ts): one not yet
 * written only means the start-up reconciler settles that check-in again, which changes nothing. Through the driver's
 * collection: a plain boolean `$set` by key, no upsert (nothing for mongoose's cast to add), whose cast was part of
 * the ~1.7 % of a paying check-in's Node CPU still in mongoose's bulkWrite (H9a).
 */
export const settledMarks = groupedMarks('checkins-settled', CheckinModel.collection as never, { settled: true });

/**
 * What a stored check-in implies elsewhere: its line in the month, the review queue (pending) or the day's point
 * (valid). Every step is idempotent, so the request that stored it, a retry with the same key after a crash and
 * the start-up reconciler may all run it; `settled` records that it finished (queued: `settledMarks`). A valid
 * check-in's month line is written off the request's path (month-lines.ts), and its mark is queued once the line is
 * stored. `dayTaken`: the month document's hint that a valid check-in of the day came first (records.ts
 * payForDay); `keep`: the request's fix, written with the month line (last-fix.ts; none after a crash: that fix is
 * lost, as the reply was sent). Returns the points paid now.
 */
export async function settle(c: CheckinDoc, village?: OrgDoc, dayTaken = false, keep?: FixWrite): Promise<number> {
  const event = c.capturedAt && new Date(c.capturedAt) < new Date(c.at) ? new Date(c.capturedAt) : new Date(c.at);
  if (c.status === 'valid') {
    const paid = await payForDay(c.userId, c.day, c._id, event, dayTaken);
    queueMonthLine(c, keep);
    return paid;
  }
  await recordInMonth(c, keep);
  if (c.status === 'pending') await queue(c, village ?? (await villages.get(c.villageId)));
  settledMarks.mark(c._id);
  return 0;
}
onMonthLinesWritten((ids) => ids.forEach((id) => settledMarks.mark(id)));

/**
 * The secretary's queue entry, with the names it shows: the member as the session read them (readOnce), the branch
 * as held (heldOrg: no read while the org tree is unchanged; the entry keeps a copy of the name anyway).
 */
async function queue(c: CheckinDoc, village: OrgDoc | null): Promise<void> {
  if (!c.branchId) return;
  const [user, branch] = await Promise.all([findUser(c.userId), heldOrg.get(c.branchId)]);
  await enqueueForReview(c.branchId, c._id, {
    userId: c.userId,
    name: user?.name ?? '',
    branchName: branch?.name ?? '',
    villageName: village?.name ?? '',
    at: c.at.toISOString(),
    day: c.day,
    distanceM: c.distanceM,
    accuracy: c.accuracy,
    reason: c.reason ?? null,
    flags: c.flags as CheckinFlag[],
  });
}
