import {
  activityStatusAt,
  type LifeCheckBody,
  type LifeCheckView,
  type LifeMeetingView,
  type OpenLifeMeetingBody,
} from '@pioneer/shared';
import { isDuplicateKey } from '../../db/connect';
import { AppError, invalid, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { authorize, can, secretaryBranchOf } from '../../policy';
import { ActivityIndexModel, ActivityModel, type ActivityDoc } from '../activities/activities.model';
import { indexId } from '../activities/activities.service';
import { attendanceOf } from '../activities/activity-view';
import { currentYear } from '../commitments/commitments.service';
import { LifeCheckModel, LifeMeetingModel, type LifeMeetingDoc } from './life.model';
import { branchMembers, branchPlaced } from './reviews.service';

/**
 * 组织生活会 (issue 21 item 1). The secretary opens the year's meeting with its topics (the members are fixed then,
 * as for a review round); each member submits 对照检查 against them before the meeting, and the secretary sees who
 * has not. The meeting itself is the year's activity of type `life_meeting`: attendance and minutes as for any.
 */
export const lifeKey = (branchId: string, year: number) => `${branchId}|${year}`;
const checkKey = (branchId: string, year: number, userId: string) => `${branchId}|${year}|${userId}`;

/** Who the meeting is for: its members when opened; before it is opened, the branch's own members (for a 404). */
const membersOf = (doc: LifeMeetingDoc | null, actor: SessionUser, branchId: string): string[] =>
  doc ? doc.members.map((m) => m.id) : actor.orgId === branchId ? [actor.id] : [];

export async function requireLifeMeeting(branchId: string, year: number): Promise<LifeMeetingDoc> {
  const doc = await LifeMeetingModel.findById(lifeKey(branchId, year)).lean<LifeMeetingDoc>();
  if (!doc) throw notFound(`${year}年度组织生活会`);
  return doc;
}

export async function openLifeMeeting(actor: SessionUser, body: OpenLifeMeetingBody, now = new Date()) {
  const branchId = body.org ?? secretaryBranchOf(actor);
  if (!branchId) throw invalid('请选择要召开组织生活会的支部');
  const branch = await branchPlaced(branchId);
  authorize(actor, 'life.manage', branch);
  if (branch.type !== 'branch') throw invalid('组织生活会以党支部为单位召开，请选择一个支部');
  if (Math.abs(body.year - currentYear(now)) > 1) throw invalid('只能安排今年或去年的组织生活会');
  const id = lifeKey(branchId, body.year);
  const existing = await LifeMeetingModel.findById(id).lean<LifeMeetingDoc>();
  if (existing) {
    // Topics may be corrected; the members, submissions and register stay.
    await LifeMeetingModel.updateOne({ _id: id }, { $set: { topics: body.topics } });
  } else {
    try {
      await LifeMeetingModel.create({
        _id: id,
        branchId,
        branchName: branch.name,
        branchPath: [...branch.path],
        year: body.year,
        topics: body.topics,
        members: await branchMembers(branchId),
        checks: {},
        talked: {},
        talkSeq: 0,
        openedBy: actor.id,
        openedAt: now,
      });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      await LifeMeetingModel.updateOne({ _id: id }, { $set: { topics: body.topics } });
    }
  }
  return lifeMeetingView(actor, branchId, body.year, now);
}

/** The year's 组织生活会 activity: the newest of type life_meeting in the branch's year index (two key reads). */
export async function meetingActivity(branchId: string, year: number): Promise<ActivityDoc | null> {
  const index = await ActivityIndexModel.findById(indexId(branchId, String(year))).lean<{
    items?: Record<string, { type: string; startsAt: string }>;
  }>();
  const newest = Object.entries(index?.items ?? {})
    .filter(([, v]) => v.type === 'life_meeting')
    .sort(([, x], [, y]) => y.startsAt.localeCompare(x.startsAt))[0];
  if (!newest) return null;
  const a = await ActivityModel.findById(newest[0]).lean<ActivityDoc>();
  return a && !a.cancelled ? a : null;
}

function meetingOf(a: ActivityDoc | null, now: Date): LifeMeetingView['meeting'] {
  if (!a) return null;
  const att = attendanceOf(a);
  const minutes = a.minutes as { text?: string } | null;
  return {
    activityId: a._id,
    title: a.title,
    startsAt: new Date(a.startsAt).toISOString(),
    held:
      activityStatusAt({ startsAt: a.startsAt, endsAt: a.endsAt, statusOverride: a.statusOverride }, now) === 'closed',
    attended: att.present.length + att.late.length,
    expected: Object.keys((a.expected ?? {}) as object).length,
    minutes: minutes?.text ?? null,
  };
}

export async function lifeMeetingView(
  actor: SessionUser,
  branchId: string,
  year: number,
  now = new Date(),
): Promise<LifeMeetingView> {
  const branch = await branchPlaced(branchId);
  const doc = await LifeMeetingModel.findById(lifeKey(branchId, year)).lean<LifeMeetingDoc>();
  authorize(actor, 'life.view', { branch, members: membersOf(doc, actor, branchId) });
  if (!doc) throw notFound(`${year}年度组织生活会`);
  const canManage = can(actor, 'life.manage', branch);
  const checks = doc.members
    .filter((m) => canManage || m.id === actor.id)
    .map((member) => ({ member, submittedAt: doc.checks?.[member.id] ?? null }));
  const isMember = doc.members.some((m) => m.id === actor.id);
  const mine = isMember
    ? await LifeCheckModel.findById(checkKey(branchId, year, actor.id)).lean<{ text: string; at: Date }>()
    : null;
  return {
    branchId,
    branchName: doc.branchName,
    year,
    topics: doc.topics,
    members: doc.members,
    checks,
    missingChecks: doc.members.filter((m) => !doc.checks?.[m.id]).length,
    meeting: meetingOf(await meetingActivity(branchId, year), now),
    mine: isMember ? { text: mine?.text ?? null, submittedAt: mine ? new Date(mine.at).toISOString() : null } : null,
    canManage,
  };
}

/** A member's 对照检查: written (or rewritten) until the meeting has been held. */
export async function submitCheck(
  actor: SessionUser,
  branchId: string,
  year: number,
  body: LifeCheckBody,
  now = new Date(),
): Promise<LifeCheckView> {
  const doc = await LifeMeetingModel.findById(lifeKey(branchId, year)).lean<LifeMeetingDoc>();
  authorize(actor, 'life.check', { members: membersOf(doc, actor, branchId) });
  if (!doc) throw notFound(`${year}年度组织生活会`);
  const meeting = meetingOf(await meetingActivity(branchId, year), now);
  if (meeting?.held) throw new AppError('ILLEGAL_TRANSITION', '组织生活会已经召开，不能再提交对照检查');
  await LifeCheckModel.updateOne(
    { _id: checkKey(branchId, year, actor.id) },
    { $set: { userId: actor.id, text: body.text, at: now } },
    { upsert: true },
  );
  await LifeMeetingModel.updateOne({ _id: doc._id }, { $set: { [`checks.${actor.id}`]: now.toISOString() } });
  const member = doc.members.find((m) => m.id === actor.id)!;
  return { member, text: body.text, submittedAt: now.toISOString() };
}

export async function readCheck(
  actor: SessionUser,
  branchId: string,
  year: number,
  userId: string,
): Promise<LifeCheckView> {
  const branch = await branchPlaced(branchId);
  authorize(actor, 'life.readCheck', { branch, ownerId: userId });
  const doc = await requireLifeMeeting(branchId, year);
  const member = doc.members.find((m) => m.id === userId);
  const check = await LifeCheckModel.findById(checkKey(branchId, year, userId)).lean<{ text: string; at: Date }>();
  if (!member || !check) throw notFound('该党员的对照检查');
  return { member, text: check.text, submittedAt: new Date(check.at).toISOString() };
}
