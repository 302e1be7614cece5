/**
 * An activity as stored and as shown: the reads every activity path shares (the document, the sign-in's shared
 * view), its maps (sign-ins, leaves, who is expected), its status, the view a member gets, the attendance lists, and
 * the branch check. Writes live with their feature: activities.service.ts (publish, list), activity-signin.service.ts,
 * activity-attendance.service.ts (leave, 补录, minutes), activity-edit.service.ts.
 */
import { activityStatusAt, type Activity, type Attendance, type Attendee } from '@pioneer/shared';
import { sharedValue } from '../../db/shared-view';
import { AppError, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { authorize } from '../../policy';
import type { OrgDoc } from '../orgs/orgs.model';
import { requireOrg } from '../orgs/orgs.service';
import type { UserDoc } from '../users/users.model';
import { ActivityModel, type ActivityDoc } from './activities.model';
import type { StoredSignin } from './attendance-pay';

export interface StoredLeave {
  reason: string;
  status: 'pending' | 'approved' | 'refused';
  at: string;
}

export const iso = (d: Date | string) => new Date(d).toISOString();

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

export const signinsOf = (a: ActivityDoc) => (a.signins ?? {}) as Record<string, StoredSignin>;
export const leavesOf = (a: ActivityDoc) => (a.leaves ?? {}) as Record<string, StoredLeave>;
export const expectedOf = (a: ActivityDoc) => (a.expected ?? {}) as Record<string, string>;

export function statusOf(a: ActivityDoc, now: Date) {
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

export const committeeFacts = (m: UserDoc) => ({ roles: m.roles, dutyTitle: m.identity?.dutyTitle ?? null });

/** What 'activity.attend' decides on: the activity's branch and whether it expects the actor. */
export const attendFacts = (actor: SessionUser, a: ActivityDoc) => ({
  branchId: a.branchId,
  expected: actor.id in expectedOf(a),
});

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
