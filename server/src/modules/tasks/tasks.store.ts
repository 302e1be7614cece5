import mongoose from 'mongoose';
import { taskState, type TaskEvidence, type TaskReceiverRow, type TaskStatus, type TaskSummary } from '@pioneer/shared';
import { casStore, type CasDoc } from '../../db/cas';

/**
 * 任务督办's documents, all by `_id`:
 * - `tasks` by id: what to do, by when, the evidence asked for, the points, who sent it from which org, receivers;
 * - `task_assignments` by `${taskId}|${receiverId}` (a branch or a member): its state, moved only through the
 *   compare-and-swap store (db/cas.ts), so two racing moves give one and every other is refused;
 * - `task_inbox` by receiver id (a branch's or a member's): the assignments it has, newest kept (the to-do list).
 */
export interface TaskDoc {
  _id: string;
  title: string;
  body: string;
  deadline: string;
  evidence: TaskEvidence[];
  points: number;
  orgId: string;
  /** The sending org's ancestors and itself (managedFilter's path field). */
  orgPath: string[];
  orgName: string;
  senderId: string;
  senderName: string;
  receiverKind: 'branch' | 'member';
  receiverIds: string[];
  createdAt: Date;
}

export interface AssignmentDoc extends CasDoc {
  taskId: string;
  receiverId: string;
  receiverKind: 'branch' | 'member';
  receiverName: string;
  status: TaskStatus;
  report: { text: string; photoUrls: string[] } | null;
  reportedAt: Date | null;
  reportedBy: string | null;
  reporterName: string | null;
  comment: string | null;
  late: boolean;
  decidedBy: string | null;
  pointsAwarded: number | null;
}

export const tasks = () => mongoose.connection.collection<TaskDoc>('tasks');
export const assignments = casStore<AssignmentDoc>('task_assignments');
export const taskInbox = () => mongoose.connection.collection<{ _id: string; ids: string[] }>('task_inbox');
export const INBOX_KEPT = 200;
export const assignmentKey = (taskId: string, receiverId: string) => `${taskId}|${receiverId}`;

export function summaryOf(t: TaskDoc): TaskSummary {
  return {
    id: t._id,
    title: t.title,
    body: t.body,
    senderName: t.senderName,
    orgName: t.orgName,
    deadline: t.deadline,
    evidence: t.evidence,
    points: t.points,
    createdAt: new Date(t.createdAt).toISOString(),
  };
}

export function rowOf(a: AssignmentDoc, t: Pick<TaskDoc, 'deadline'>, now: Date): TaskReceiverRow {
  return {
    taskId: a.taskId,
    receiverId: a.receiverId,
    receiverKind: a.receiverKind,
    receiverName: a.receiverName,
    status: a.status,
    state: taskState(a.status, t.deadline, now),
    report: a.report,
    reportedAt: a.reportedAt ? new Date(a.reportedAt).toISOString() : null,
    reporterName: a.reporterName,
    comment: a.comment,
    late: a.late,
    pointsAwarded: a.pointsAwarded,
  };
}
