import {
  dayKey,
  taskDueAt,
  taskState,
  type CreateTaskBody,
  type MyTask,
  type TaskReceiverRow,
  type TaskReportBody,
  type TaskReturnBody,
  type TaskSummary,
} from '@pioneer/shared';
import { CasConflict } from '../../db/cas';
import { newId } from '../../db/ids';
import { AppError, invalid, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { adminRootOf, authorize, managedFilter, secretaryBranchOf, type Placed } from '../../policy';
import { OrgModel } from '../orgs/orgs.model';
import { requireOrg } from '../orgs/orgs.service';
import { UserModel, type UserDoc } from '../users/users.model';
import { tell } from '../messages/messages.service';
import { recordAudit } from '../audit/audit.service';
import {
  assignmentKey,
  assignments,
  INBOX_KEPT,
  rowOf,
  summaryOf,
  taskInbox,
  tasks,
  type AssignmentDoc,
  type TaskDoc,
} from './tasks.store';
import { owePoints, payAcceptance } from './tasks.pay';

const illegal = (message: string) => new AppError('ILLEGAL_TRANSITION', message);
export const placedOf = (t: Pick<TaskDoc, 'orgId' | 'orgPath'>): Placed => ({
  _id: t.orgId,
  path: t.orgPath.slice(0, -1),
});

interface Receiver {
  id: string;
  name: string;
}

/** Branches of the admin's subtree, checked one by one (a wrong or outside id refuses the whole task). */
async function branchReceivers(actor: SessionUser, ids: string[]): Promise<Receiver[]> {
  const orgs = await Promise.all([...new Set(ids)].map((id) => OrgModel.findById(id).lean()));
  return orgs.map((org, i) => {
    if (!org || org.dissolvedAt || org.type !== 'branch') throw invalid(`第${i + 1}个接收单位不是党支部`);
    authorize(actor, 'task.assignBranch', { _id: org._id, path: org.path ?? [] });
    return { id: org._id, name: org.name };
  });
}

async function memberReceivers(actor: SessionUser, ids: string[]): Promise<Receiver[]> {
  const users = await Promise.all([...new Set(ids)].map((id) => UserModel.findById(id).lean<UserDoc>()));
  return users.map((u, i) => {
    if (!u || u.closedAt || u.status !== 'active') throw invalid(`第${i + 1}位接收人不存在或已不在册`);
    authorize(actor, 'task.assignMember', { _id: u._id, orgId: u.orgId, orgPath: u.orgPath, roles: u.roles });
    return { id: u._id, name: u.name };
  });
}

/** Sends a task: the task, then each receiver's assignment (seq 0, 待办), then their to-do lists and 消息. */
export async function createTask(actor: SessionUser, body: CreateTaskBody, now = new Date()): Promise<TaskSummary> {
  const orgId = adminRootOf(actor) ?? secretaryBranchOf(actor);
  if (!orgId) throw invalid('您没有可以下发任务的组织');
  if (body.deadline < dayKey(now)) throw invalid('截止日期不能早于今天');
  if (taskDueAt(body.deadline).getTime() > now.getTime() + 366 * 86_400_000) throw invalid('截止日期不能超过一年');
  const org = await requireOrg(orgId);
  const kind = body.branches.length > 0 ? 'branch' : 'member';
  const receivers =
    kind === 'branch' ? await branchReceivers(actor, body.branches) : await memberReceivers(actor, body.members);
  const sender = await UserModel.findById(actor.id, { name: 1 }).lean<{ name: string }>();
  const doc: TaskDoc = {
    _id: newId(),
    title: body.title,
    body: body.body,
    deadline: body.deadline,
    evidence: [...new Set(body.evidence)],
    points: body.points,
    orgId: org._id,
    orgPath: [...(org.path ?? []), org._id],
    orgName: org.name,
    senderId: actor.id,
    senderName: sender?.name ?? '',
    receiverKind: kind,
    receiverIds: receivers.map((r) => r.id),
    createdAt: now,
  };
  await tasks().insertOne(doc);
  for (const r of receivers) {
    const key = assignmentKey(doc._id, r.id);
    await assignments.create(blankAssignment(doc, r));
    await taskInbox().updateOne(
      { _id: r.id },
      { $push: { ids: { $each: [key], $slice: -INBOX_KEPT } } },
      { upsert: true },
    );
  }
  await recordAudit({
    actorId: actor.id,
    action: 'task.send',
    targetType: 'org',
    targetId: org._id,
    details: { taskId: doc._id, title: doc.title, receivers: receivers.length, deadline: doc.deadline },
  });
  await tell(await peopleOf(kind, receivers), taskMessage(doc, 'task', `新任务：${doc.title}`), now);
  return summaryOf(doc);
}

function blankAssignment(t: TaskDoc, r: Receiver): Omit<AssignmentDoc, 'seq'> {
  return {
    _id: assignmentKey(t._id, r.id),
    taskId: t._id,
    receiverId: r.id,
    receiverKind: t.receiverKind,
    receiverName: r.name,
    status: 'todo',
    report: null,
    reportedAt: null,
    reportedBy: null,
    reporterName: null,
    comment: null,
    late: false,
    decidedBy: null,
    pointsAwarded: null,
  };
}

/** Who is told of a branch's task: its secretaries (a deliberate scan of the branch's members, on sending only). */
export async function peopleOf(kind: 'branch' | 'member', receivers: Receiver[]): Promise<string[]> {
  if (kind === 'member') return receivers.map((r) => r.id);
  const ids = receivers.map((r) => r.id);
  const secretaries = await UserModel.find({ orgId: { $in: ids }, roles: 'secretary' }, { _id: 1 }).lean();
  return secretaries.map((s) => String(s._id));
}

const taskMessage = (t: TaskDoc, kind: 'task' | 'task_returned' | 'task_accepted', title: string) => ({
  id: `${kind}|${t._id}|${Date.now()}`,
  kind,
  title,
  text: `截止${t.deadline}`,
  ref: `task:${t._id}`,
});

export async function requireTask(id: string): Promise<TaskDoc> {
  const t = await tasks().findOne({ _id: id });
  if (!t) throw notFound('任务');
  return t;
}

/** The receiver's to-do list: the member's own inbox and, for a secretary, their branch's. Key reads only. */
export async function myTasks(actor: SessionUser, now = new Date()): Promise<{ items: MyTask[] }> {
  const inboxes = [actor.id, secretaryBranchOf(actor)].filter((x): x is string => x !== null);
  const keys = (await Promise.all(inboxes.map((id) => taskInbox().findOne({ _id: id })))).flatMap((d) => d?.ids ?? []);
  const docs = (await Promise.all(keys.map((k) => assignments.peek(k)))).filter((a): a is AssignmentDoc => a !== null);
  const taskIds = [...new Set(docs.map((a) => a.taskId))];
  const byId = new Map(
    (await Promise.all(taskIds.map((id) => tasks().findOne({ _id: id })))).flatMap((t) => (t ? [[t._id, t]] : [])),
  );
  const order = { overdue: 0, returned: 1, todo: 2, reported: 3, accepted: 4 } as const;
  const items = docs
    .filter((a) => byId.has(a.taskId))
    .map((a) => ({ ...rowOf(a, byId.get(a.taskId)!, now), task: summaryOf(byId.get(a.taskId)!) }))
    .sort((x, y) => order[x.state] - order[y.state] || x.task.deadline.localeCompare(y.task.deadline));
  return { items };
}

/** One move under the CAS store; `decide` refuses illegal moves with the reason in Chinese (422). */
async function move(key: string, decide: (a: AssignmentDoc) => Partial<AssignmentDoc>): Promise<AssignmentDoc> {
  try {
    const { after } = await assignments.transition(key, (a) => {
      if (!a) throw notFound('任务');
      return decide(a);
    });
    return after;
  } catch (err) {
    if (err instanceof CasConflict) throw new AppError('CONFLICT', '该任务刚被他人处理，请刷新后重试');
    throw err;
  }
}

const stateWords: Record<AssignmentDoc['status'], string> = {
  todo: '尚未上报',
  reported: '已上报，等待验收',
  accepted: '已验收',
  returned: '已退回',
};

export async function reportTask(
  actor: SessionUser,
  taskId: string,
  receiverId: string,
  body: TaskReportBody,
  now = new Date(),
): Promise<TaskReceiverRow> {
  const task = await requireTask(taskId);
  authorize(actor, 'task.report', { kind: task.receiverKind, receiverId });
  if (task.evidence.includes('text') && !body.text) throw invalid('该任务要求填写文字说明');
  if (task.evidence.includes('photo') && body.photoUrls.length === 0) throw invalid('该任务要求上传照片');
  if (!body.text && body.photoUrls.length === 0) throw invalid('请填写完成情况或上传照片');
  const reporter = await UserModel.findById(actor.id, { name: 1 }).lean<{ name: string }>();
  const after = await move(assignmentKey(taskId, receiverId), (a) => {
    if (a.status !== 'todo' && a.status !== 'returned') throw illegal(`该任务${stateWords[a.status]}，不能再上报`);
    return {
      status: 'reported',
      report: { text: body.text, photoUrls: body.photoUrls },
      reportedAt: now,
      reportedBy: actor.id,
      reporterName: reporter?.name ?? '',
      late: taskState('todo', task.deadline, now) === 'overdue',
    };
  });
  return rowOf(after, task, now);
}

/**
 * Accepts a report: 已报 -> 已验收, then pays the reporter the task's points once (tasks.pay.ts: the points are
 * marked owed before the move, so a stop before the payment is repaired at start-up).
 */
export async function acceptTask(
  actor: SessionUser,
  taskId: string,
  receiverId: string,
  now = new Date(),
): Promise<TaskReceiverRow> {
  const task = await requireTask(taskId);
  const after = await recordAcceptance(actor, task, receiverId, now);
  await payAcceptance(task, after, actor.id, now);
  if (after.reportedBy)
    await tell([after.reportedBy], taskMessage(task, 'task_accepted', `任务已验收：${task.title}`), now);
  return rowOf(after, task, now);
}

/** The acceptance without its payment: what a stop right after it leaves (exported for the crash test). */
export async function recordAcceptance(
  actor: SessionUser,
  task: TaskDoc,
  receiverId: string,
  now: Date,
): Promise<AssignmentDoc> {
  const key = assignmentKey(task._id, receiverId);
  const current = await assignments.read(key);
  if (!current) throw notFound('任务');
  authorize(actor, 'task.decide', {
    org: placedOf(task),
    senderId: task.senderId,
    beneficiaryId: current.reportedBy ?? '',
  });
  const decide = (a: AssignmentDoc): Partial<AssignmentDoc> => {
    if (a.status !== 'reported') throw illegal(`该任务${stateWords[a.status]}，不能验收`);
    return { status: 'accepted', decidedBy: actor.id, pointsAwarded: task.points > 0 ? task.points : null };
  };
  decide(current); // an illegal move is refused before anything is written
  if (task.points > 0) await owePoints(key, task._id, actor.id, now);
  return move(key, decide);
}

/** Returns a report with a comment: 已报 -> 退回; the receiver reports again. */
export async function returnTask(
  actor: SessionUser,
  taskId: string,
  receiverId: string,
  body: TaskReturnBody,
  now = new Date(),
): Promise<TaskReceiverRow> {
  const task = await requireTask(taskId);
  const key = assignmentKey(taskId, receiverId);
  const current = await assignments.read(key);
  if (!current) throw notFound('任务');
  authorize(actor, 'task.decide', {
    org: placedOf(task),
    senderId: task.senderId,
    beneficiaryId: current.reportedBy ?? '',
  });
  const after = await move(key, (a) => {
    if (a.status !== 'reported') throw illegal(`该任务${stateWords[a.status]}，不能退回`);
    return { status: 'returned', comment: body.comment, decidedBy: actor.id };
  });
  if (after.reportedBy)
    await tell([after.reportedBy], taskMessage(task, 'task_returned', `任务被退回：${task.title}`), now);
  return rowOf(after, task, now);
}

/** Tasks sent from what the actor runs, newest first. A deliberate scan: the sender's page, not a member's. */
export async function sentTasks(actor: SessionUser): Promise<{ items: TaskSummary[] }> {
  const filter = managedFilter<TaskDoc>(actor, [{ org: 'orgId', path: 'orgPath' }]);
  const mine = { senderId: actor.id };
  const docs = await tasks()
    .find((filter ? { $or: [filter, mine] } : mine) as Record<string, unknown>)
    .sort({ createdAt: -1 })
    .limit(200)
    .toArray();
  return { items: docs.map(summaryOf) };
}
