import {
  ACTIVITY_RULES,
  ACTIVITY_TYPE_LABELS,
  activityStatusAt,
  checkFence,
  expectedScopeOf,
  formatDistance,
  isCommitteeMember,
  toGcj02,
  yearKey,
  type Activity,
  type ActivityListQuery,
  type ActivityType,
  type ExpectedScope,
  type AddAttendeeBody,
  type Attendance,
  type Attendee,
  type CreateActivityBody,
  type LeaveBody,
  type LeaveReviewBody,
  type MinutesBody,
  type QrReply,
  type SigninBody,
  type SigninReply,
} from '@pioneer/shared';
import { newId } from '../../db/ids';
import { sharedValue } from '../../db/shared-view';
import { AppError, forbidden, invalid, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { recordAudit } from '../audit/audit.service';
import { requireConsent } from '../privacy/consent.service';
import { authorize, can } from '../../policy';
import type { OrgDoc } from '../orgs/orgs.model';
import { requireOrg } from '../orgs/orgs.service';
import { UserModel, type UserDoc } from '../users/users.model';
import { findUser } from '../users/users.service';
import { bumpTodo } from '../todo/todo.store';
import { noteOffline, signinMoment } from './signin-moment';
import { ActivityIndexModel, ActivityModel, type ActivityDoc } from './activities.model';
import { storeSignin, type SigninMethod, type StoredSignin } from './attendance-pay';
import { checkCode, checkQrToken, qrReply } from './signin-token';

interface StoredLeave {
  reason: string;
  status: 'pending' | 'approved' | 'refused';
  at: string;
}

const iso = (d: Date | string) => new Date(d).toISOString();
export const indexId = (branchId: string, year: string) => `${branchId}|${year}`;

export async function readActivity(id: string): Promise<ActivityDoc> {
  const doc = await ActivityModel.findById(id).lean<ActivityDoc>();
  if (!doc) throw notFound('活动');
  return doc;
}

/**
 * The activity as a sign-in and the secretary's QR screen check it (its branch, schedule, place, whether it is
 * open or cancelled): a shared view (issue 17, db/shared-view.ts), read at most once per bound, so a branch
 * scanning the code together reads it once. An edit or a cancel in this process holds from the next request;
 * one in another process within the bound (≤ 2 s). That a member signs in once is the sign-in insert's, never this
 * view's; the attendance lists read the activity itself.
 */
const signinViews = sharedValue(readActivity);
export const signinView = (id: string): Promise<ActivityDoc> => signinViews.get(id);
/** The view when this process holds one, without reading (the 数据看板's held types: a type never changes). */
export const heldActivity = (id: string): Promise<ActivityDoc> | undefined => signinViews.held(id);
/** This process changed the activity: a sign-in checks the new one (`after`, when the caller has it). */
export function activityChanged(id: string, after?: ActivityDoc): void {
  if (after) signinViews.put(id, after);
  else signinViews.forget(id);
}

const signinsOf = (a: ActivityDoc) => (a.signins ?? {}) as Record<string, StoredSignin>;
const leavesOf = (a: ActivityDoc) => (a.leaves ?? {}) as Record<string, StoredLeave>;
const expectedOf = (a: ActivityDoc) => (a.expected ?? {}) as Record<string, string>;

function statusOf(a: ActivityDoc, now: Date) {
  return activityStatusAt(
    { startsAt: a.startsAt, endsAt: a.endsAt, statusOverride: a.statusOverride as Activity['status'] | null },
    now,
  );
}

/** Set once by 取消活动 (activity-edit.service.ts): when, by whom and why. */
export const cancelledOf = (a: ActivityDoc) =>
  (a.cancelled as { at: string; by: string; reason: string } | null | undefined) ?? null;

/** A cancelled activity takes no sign-in, leave, 补录, minutes or change (it stays listed for who runs the branch). */
export function refuseCancelled(a: ActivityDoc): void {
  if (cancelledOf(a)) throw new AppError('ILLEGAL_TRANSITION', '活动已取消');
}

export function activityView(a: ActivityDoc, actor: SessionUser, now = new Date()): Activity {
  const mineSignin = signinsOf(a)[actor.id];
  const mineLeave = leavesOf(a)[actor.id];
  const minutes = a.minutes as { text: string; photoUrls: string[]; at: string } | null;
  return {
    id: a._id,
    branchId: a.branchId,
    branchName: a.branchName,
    type: a.type as Activity['type'],
    title: a.title,
    topic: a.topic ?? null,
    startsAt: iso(a.startsAt),
    endsAt: iso(a.endsAt),
    place: (a.place as Activity['place']) ?? null,
    status: statusOf(a, now),
    expectedCount: Object.keys(expectedOf(a)).length,
    signedInCount: Object.keys(signinsOf(a)).length,
    minutes: minutes ?? null,
    cancelled: cancelledOf(a),
    mine: {
      expected: actor.id in expectedOf(a) || actor.orgId === a.branchId,
      signedInAt: mineSignin?.at ?? null,
      late: mineSignin?.late ?? false,
      leave: mineLeave ?? null,
    },
  };
}

/** The branch the activity belongs to, checked against the actor: manage (secretary/admin) or view (its members). */
export async function branchFor(actor: SessionUser, a: ActivityDoc, need: 'manage' | 'view'): Promise<OrgDoc> {
  const branch = await requireOrg(a.branchId);
  authorize(actor, need === 'manage' ? 'activity.manage' : 'activity.view', branch);
  return branch;
}

/** The branch's members now. A deliberate scan: run when a secretary creates an activity, which is rare. */
async function branchMembers(branchId: string): Promise<UserDoc[]> {
  // deliberate scan: activity creation
  return UserModel.find({ orgId: branchId }).lean<UserDoc[]>();
}

const committeeFacts = (m: UserDoc) => ({ roles: m.roles, dutyTitle: m.identity?.dutyTitle ?? null });

/**
 * Who the activity expects: a 支委会 its committee (isCommitteeMember), anything else every member. A branch whose
 * committee nobody is marked for (no secretary, no 职务) falls back to every member rather than expecting nobody.
 */
function expectedFor(type: ActivityType, members: UserDoc[]): { scope: ExpectedScope; members: UserDoc[] } {
  if (expectedScopeOf(type) !== 'committee') return { scope: 'members', members };
  const committee = members.filter((m) => isCommitteeMember(committeeFacts(m)));
  return committee.length > 0 ? { scope: 'committee', members: committee } : { scope: 'members', members };
}

export async function touchIndex(
  a: Pick<ActivityDoc, '_id' | 'branchId' | 'type' | 'title' | 'startsAt'>,
  previousStartsAt?: Date,
): Promise<void> {
  if (previousStartsAt && yearKey(previousStartsAt) !== yearKey(a.startsAt)) {
    await ActivityIndexModel.updateOne(
      { _id: indexId(a.branchId, yearKey(previousStartsAt)) },
      { $unset: { [`items.${a._id}`]: '' } },
    );
  }
  await ActivityIndexModel.updateOne(
    { _id: indexId(a.branchId, yearKey(a.startsAt)) },
    { $set: { [`items.${a._id}`]: { type: a.type, title: a.title, startsAt: iso(a.startsAt) } } },
    { upsert: true },
  );
}

export async function createActivity(
  actor: SessionUser,
  body: CreateActivityBody,
  now = new Date(),
): Promise<Activity> {
  const branchId = body.org ?? actor.orgId;
  if (!branchId) throw forbidden('只有支部书记可以发布活动');
  const branch = await requireOrg(branchId);
  if (branch.type !== 'branch') throw invalid('活动须属于一个支部');
  authorize(actor, 'activity.manage', branch);
  const { scope, members } = expectedFor(body.type, await branchMembers(branch._id));
  const doc = {
    _id: newId(),
    branchId: branch._id,
    branchName: branch.name,
    type: body.type,
    title: body.title,
    topic: body.topic || null,
    startsAt: new Date(body.startsAt),
    endsAt: new Date(body.endsAt),
    place: body.place ?? null,
    statusOverride: null,
    expectedScope: scope,
    expected: Object.fromEntries(members.map((m) => [m._id, m.name])),
    signins: {},
    leaves: {},
    minutes: null,
    createdBy: actor.id,
    createdAt: now,
  };
  await ActivityModel.create(doc);
  activityChanged(doc._id, doc as unknown as ActivityDoc);
  await touchIndex(doc);
  return activityView(doc as unknown as ActivityDoc, actor, now);
}

export async function getActivity(actor: SessionUser, id: string, now = new Date()): Promise<Activity> {
  const a = await readActivity(id);
  await branchFor(actor, a, 'view');
  return activityView(a, actor, now);
}

const LIST_SPAN_MAX_DAYS = 731;

/** A branch's activities in a window: key reads of its yearly index, then of each activity. */
export async function listActivities(
  actor: SessionUser,
  query: ActivityListQuery,
  now = new Date(),
): Promise<{ items: Activity[] }> {
  const orgId = query.org ?? actor.orgId;
  if (!orgId) return { items: [] };
  const branch = await requireOrg(orgId);
  if (branch.type !== 'branch') throw invalid('请选择一个支部');
  authorize(actor, 'activity.view', branch);
  const from = query.from ? new Date(query.from) : new Date(now.getTime() - 90 * 86_400_000);
  const to = query.to ? new Date(query.to) : new Date(now.getTime() + 366 * 86_400_000);
  if (to < from) throw invalid('结束时间须晚于开始时间');
  // Every activity in the window is read by key: the window is bounded (two years at most).
  if (to.getTime() - from.getTime() > LIST_SPAN_MAX_DAYS * 86_400_000)
    throw invalid(`查询时间跨度不能超过${LIST_SPAN_MAX_DAYS}天`);
  const ids = await activityIdsOf(branch._id, from, to);
  const docs = await Promise.all(ids.map((id) => ActivityModel.findById(id).lean<ActivityDoc>()));
  // Members never see a cancelled activity; who runs the branch sees it marked (取消的活动 on 组织生活).
  const manages = can(actor, 'activity.manage', branch);
  const shown = docs.filter((d): d is ActivityDoc => !!d && (manages || !cancelledOf(d)));
  return { items: shown.map((d) => activityView(d, actor, now)) };
}

interface IndexItem {
  type: string;
  title: string;
  startsAt: string;
}

/** Activity ids of a branch whose start lies in [from, to], by start time; one key read per year. */
export async function activityIdsOf(branchId: string, from: Date, to: Date): Promise<string[]> {
  const years: string[] = [];
  for (let y = Number(yearKey(from)); y <= Number(yearKey(to)) && years.length < 10; y += 1) years.push(String(y));
  const docs = await Promise.all(
    years.map((y) => ActivityIndexModel.findById(indexId(branchId, y)).lean<{ items: Record<string, IndexItem> }>()),
  );
  const items = docs.flatMap((d) => Object.entries(d?.items ?? {}));
  return items
    .filter(([, it]) => new Date(it.startsAt) >= from && new Date(it.startsAt) <= to)
    .sort(([, x], [, y]) => x.startsAt.localeCompare(y.startsAt))
    .map(([id]) => id);
}

const attendance = (actor: SessionUser, a: ActivityDoc) => ({
  branchId: a.branchId,
  expected: actor.id in expectedOf(a),
});

// ---- leave ----------------------------------------------------------------------------------------------

export async function askLeave(actor: SessionUser, id: string, body: LeaveBody, now = new Date()): Promise<Activity> {
  const a = await readActivity(id);
  authorize(actor, 'activity.attend', attendance(actor, a), '只有本支部党员可以请假');
  refuseCancelled(a);
  if (statusOf(a, now) === 'closed') throw new AppError('ACTIVITY_NOT_OPEN', '活动已结束，不能请假');
  if (signinsOf(a)[actor.id]) throw new AppError('ALREADY_SIGNED_IN', '您已签到，无需请假');
  const leave: StoredLeave = { reason: body.reason, status: 'pending', at: now.toISOString() };
  const before = await ActivityModel.findOneAndUpdate(
    { _id: id },
    { $set: { [`leaves.${actor.id}`]: leave } },
    { returnDocument: 'before' },
  ).lean<ActivityDoc>();
  // The 待办 count moves only when this write made the leave pending (a re-asked pending leave is still one).
  if (before && !before.cancelled && leavesOf(before)[actor.id]?.status !== 'pending')
    await bumpTodo('leaves', [a.branchId], 1);
  return activityView(await readActivity(id), actor, now);
}

export async function reviewLeave(
  actor: SessionUser,
  id: string,
  userId: string,
  body: LeaveReviewBody,
  now = new Date(),
): Promise<Attendance> {
  const a = await readActivity(id);
  await branchFor(actor, a, 'manage');
  const leave = leavesOf(a)[userId];
  if (!leave) throw notFound('请假申请');
  const status = body.decision === 'approve' ? 'approved' : 'refused';
  const before = await ActivityModel.findOneAndUpdate(
    { _id: id },
    {
      $set: {
        [`leaves.${userId}.status`]: status,
        [`leaves.${userId}.decidedAt`]: now.toISOString(),
        [`leaves.${userId}.by`]: actor.id,
      },
    },
    { returnDocument: 'before' },
  ).lean<ActivityDoc>();
  // Of racing decisions only the one whose write saw `pending` takes it off the 待办 count.
  // A cancelled activity's leaves left the count with the cancel (activity-edit.service.ts).
  if (before && !before.cancelled && leavesOf(before)[userId]?.status === 'pending')
    await bumpTodo('leaves', [a.branchId], -1);
  return attendanceOf(await readActivity(id));
}

// ---- QR and sign-in -------------------------------------------------------------------------------------

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
  authorize(actor, 'activity.attend', attendance(actor, a), '只有本支部党员可以签到');
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

/** 补录: the secretary records a member who came but could not sign in; audited. */
export async function addAttendee(
  actor: SessionUser,
  id: string,
  body: AddAttendeeBody,
  now = new Date(),
): Promise<Attendance> {
  const a = await readActivity(id);
  const branch = await branchFor(actor, a, 'manage');
  const member = await findUser(body.userId);
  if (!member || (member.orgId !== a.branchId && !(member._id in expectedOf(a)))) throw invalid('只能补录本支部党员');
  // Attendance pays points: the one who records it is never the one who receives it.
  authorize(actor, 'activity.recordAttendance', { ...branch, beneficiaryId: member._id });
  refuseCancelled(a);
  if (new Date(a.startsAt) > now) throw new AppError('ACTIVITY_NOT_OPEN', '活动尚未开始，不能补录');
  await storeSignin(a._id, member._id, {
    at: now.toISOString(),
    late: false,
    method: 'manual',
    reason: body.reason,
    by: actor.id,
  });
  // A member who sat in on a 支委会 (列席) is a guest: the committee stays the denominator.
  const sitsIn = a.expectedScope === 'committee' && !isCommitteeMember(committeeFacts(member));
  if (!(member._id in expectedOf(a)))
    await ActivityModel.updateOne(
      { _id: id },
      { $set: { [`${sitsIn ? 'guests' : 'expected'}.${member._id}`]: member.name } },
    );
  await recordAudit({
    actorId: actor.id,
    action: 'activity.attendee_added',
    targetType: 'activity',
    targetId: id,
    details: { userId: member._id, reason: body.reason },
  });
  return attendanceOf(await readActivity(id));
}

export async function putMinutes(
  actor: SessionUser,
  id: string,
  body: MinutesBody,
  now = new Date(),
): Promise<Activity> {
  const a = await readActivity(id);
  await branchFor(actor, a, 'manage');
  refuseCancelled(a);
  await ActivityModel.updateOne(
    { _id: id },
    { $set: { minutes: { text: body.text, photoUrls: body.photoUrls, at: now.toISOString(), by: actor.id } } },
  );
  return activityView(await readActivity(id), actor, now);
}

// ---- attendance -----------------------------------------------------------------------------------------

export function attendanceOf(a: ActivityDoc): Attendance {
  const expected = expectedOf(a);
  const signins = signinsOf(a);
  const leaves = leavesOf(a);
  const guests = (a.guests ?? {}) as Record<string, string>;
  const out: Attendance = { present: [], late: [], onLeave: [], absent: [], pendingLeave: [] };
  const everyone = new Set([...Object.keys(expected), ...Object.keys(signins)]);
  for (const userId of everyone) {
    const name = expected[userId] ?? guests[userId] ?? '';
    const s = signins[userId];
    const l = leaves[userId];
    const row = (at: string | null, method: Attendee['method'], reason: string | null): Attendee => ({
      userId,
      name,
      at,
      method,
      reason,
    });
    if (s) (s.late ? out.late : out.present).push(row(s.at, s.method, s.reason ?? null));
    else if (l?.status === 'approved') out.onLeave.push(row(l.at, null, l.reason));
    else {
      out.absent.push(row(null, null, null));
      if (l?.status === 'pending') out.pendingLeave.push(row(l.at, null, l.reason));
    }
  }
  const byTime = (x: Attendee, y: Attendee) =>
    (x.at ?? '').localeCompare(y.at ?? '') || x.name.localeCompare(y.name, 'zh-CN');
  for (const list of Object.values(out)) list.sort(byTime);
  return out;
}

export async function activityAttendance(actor: SessionUser, id: string): Promise<Attendance> {
  const a = await readActivity(id);
  await branchFor(actor, a, 'manage');
  return attendanceOf(a);
}

export const typeLabel = (t: string) => ACTIVITY_TYPE_LABELS[t as keyof typeof ACTIVITY_TYPE_LABELS] ?? t;
