import type { Activity, CancelActivityBody, PatchActivityBody } from '@pioneer/shared';
import { AppError, invalid } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { recordAudit } from '../audit/audit.service';
import { bumpTodo } from '../todo/todo.store';
import { ActivityModel, type ActivityDoc } from './activities.model';
import { touchIndex } from './activities.service';
import { activityChanged, activityView, branchFor, readActivity, refuseCancelled } from './activity-view';

/**
 * Correcting and cancelling a published activity (issue 15: a mistake stayed in the 台账 as 实到 0/13). Who: whoever
 * runs its branch ('activity.manage' in server/src/policy). When: before it starts; after that the meeting happened
 * (or not) and the record is what the 台账 reports. Opening or closing sign-in by hand stays possible until it ends.
 */
const started = (a: { startsAt: Date | string }, now: Date) => new Date(a.startsAt).getTime() <= now.getTime();

export async function patchActivity(
  actor: SessionUser,
  id: string,
  body: PatchActivityBody,
  now = new Date(),
): Promise<Activity> {
  const a = await readActivity(id);
  await branchFor(actor, a, 'manage');
  refuseCancelled(a);
  const set: Record<string, unknown> = {};
  if (body.title !== undefined) set.title = body.title;
  if (body.topic !== undefined) set.topic = body.topic || null;
  if (body.startsAt !== undefined) set.startsAt = new Date(body.startsAt);
  if (body.endsAt !== undefined) set.endsAt = new Date(body.endsAt);
  if (body.place !== undefined) set.place = body.place;
  if (Object.keys(set).length > 0 && started(a, now))
    throw new AppError('ILLEGAL_TRANSITION', '活动已开始，不能再修改；如有误请在纪要中说明');
  if (set.startsAt && (set.startsAt as Date) <= now) throw invalid('开始时间须晚于现在');
  // "开始签到" on an ended activity opened sign-in with a live code while the list said 已结束.
  if (body.status === 'open' && new Date((set.endsAt as Date | undefined) ?? a.endsAt) < now)
    throw new AppError('ILLEGAL_TRANSITION', '活动已结束，不能再开始签到');
  if (body.status !== undefined) set.statusOverride = body.status;
  const startsAt = (set.startsAt as Date | undefined) ?? a.startsAt;
  const endsAt = (set.endsAt as Date | undefined) ?? a.endsAt;
  if (new Date(endsAt) <= new Date(startsAt)) throw invalid('结束时间须晚于开始时间');
  // Only while it is unchanged since read: a second secretary's edit or a cancel in between is not overwritten.
  const res = await ActivityModel.updateOne({ _id: id, cancelled: null, startsAt: a.startsAt }, { $set: set });
  if (res.matchedCount === 0) throw new AppError('CONFLICT');
  const after = await readActivity(id);
  activityChanged(id, after);
  if (set.startsAt || set.title) await touchIndex(after, set.startsAt ? a.startsAt : undefined);
  return activityView(after, actor, now);
}

export async function cancelActivity(
  actor: SessionUser,
  id: string,
  body: CancelActivityBody,
  now = new Date(),
): Promise<Activity> {
  const a = await readActivity(id);
  await branchFor(actor, a, 'manage');
  refuseCancelled(a);
  if (started(a, now)) throw new AppError('ILLEGAL_TRANSITION', '活动已开始，不能取消');
  const cancelled = { at: now.toISOString(), by: actor.id, reason: body.reason };
  // Once: of two cancels racing, the second finds it set and is refused like a later one.
  const before = await ActivityModel.findOneAndUpdate(
    { _id: id, cancelled: null },
    { $set: { cancelled } },
    { returnDocument: 'before' },
  ).lean<ActivityDoc>();
  if (!before) throw new AppError('ILLEGAL_TRANSITION', '活动已取消');
  activityChanged(id);
  // Its pending leave requests wait for nobody now: off the 待办 (which counts live activities only).
  const pending = Object.values((before.leaves ?? {}) as Record<string, { status?: string }>).filter(
    (l) => l.status === 'pending',
  ).length;
  if (pending > 0) await bumpTodo('leaves', [before.branchId], -pending);
  // Members are not notified yet (no messaging channel); the cancel is on record.
  await recordAudit({
    actorId: actor.id,
    action: 'activity.cancel',
    targetType: 'activity',
    targetId: id,
    details: { reason: body.reason, title: a.title, startsAt: new Date(a.startsAt).toISOString() },
  });
  return activityView(await readActivity(id), actor, now);
}
