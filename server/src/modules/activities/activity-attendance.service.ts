/** An activity's record besides sign-in: leave asked and decided, 补录 by the secretary, minutes, the attendance lists. */
import {
  isCommitteeMember,
  type Activity,
  type AddAttendeeBody,
  type Attendance,
  type LeaveBody,
  type LeaveReviewBody,
  type MinutesBody,
} from '@pioneer/shared';
import { AppError, invalid, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { recordAudit } from '../audit/audit.service';
import { authorize } from '../../policy';
import { findUser } from '../users/users.service';
import { bumpTodo } from '../todo/todo.store';
import { ActivityModel, type ActivityDoc } from './activities.model';
import {
  activityView,
  attendanceOf,
  attendFacts,
  branchFor,
  committeeFacts,
  expectedOf,
  leavesOf,
  readActivity,
  refuseCancelled,
  signinsOf,
  statusOf,
  type StoredLeave,
} from './activity-view';
import { storeSignin } from './attendance-pay';

// ---- leave ----------------------------------------------------------------------------------------------

export async function askLeave(actor: SessionUser, id: string, body: LeaveBody, now = new Date()): Promise<Activity> {
  const a = await readActivity(id);
  authorize(actor, 'activity.attend', attendFacts(actor, a), '只有本支部党员可以请假');
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

export async function activityAttendance(actor: SessionUser, id: string): Promise<Attendance> {
  const a = await readActivity(id);
  await branchFor(actor, a, 'manage');
  return attendanceOf(a);
}
