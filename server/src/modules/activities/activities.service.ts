/** 组织生活: publishing an activity, reading one, and a branch's activities by its yearly index. */
import {
  expectedScopeOf,
  isCommitteeMember,
  yearKey,
  type Activity,
  type ActivityListQuery,
  type ActivityType,
  type CreateActivityBody,
  type ExpectedScope,
} from '@pioneer/shared';
import { newId } from '../../db/ids';
import { forbidden, invalid } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { authorize, can } from '../../policy';
import { requireOrg } from '../orgs/orgs.service';
import { UserModel, type UserDoc } from '../users/users.model';
import { ActivityIndexModel, ActivityModel, type ActivityDoc } from './activities.model';
import {
  activityChanged,
  activityView,
  branchFor,
  cancelledOf,
  committeeFacts,
  iso,
  readActivity,
} from './activity-view';

export const indexId = (branchId: string, year: string) => `${branchId}|${year}`;

/** The branch's members now. A deliberate scan: run when a secretary creates an activity, which is rare. */
async function branchMembers(branchId: string): Promise<UserDoc[]> {
  // deliberate scan: activity creation
  return UserModel.find({ orgId: branchId }).lean<UserDoc[]>();
}

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
