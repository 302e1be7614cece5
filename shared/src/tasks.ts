import { shanghaiInstant } from './time';

/** 任务督办 (issue 19 item 2): 待办 -> 已报 -> 已验收 | 退回 -> 已报 ..., and 逾期 when the deadline passes unreported. */
export const TASK_STATUSES = ['todo', 'reported', 'accepted', 'returned'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
/** What a page shows: the stored status, or 逾期 for one not reported by its deadline. */
export type TaskState = TaskStatus | 'overdue';
export const TASK_STATE_LABELS: Record<TaskState, string> = {
  todo: '待办',
  reported: '已报',
  accepted: '已验收',
  returned: '退回',
  overdue: '逾期',
};
export const TASK_EVIDENCE = ['text', 'photo'] as const;
export type TaskEvidence = (typeof TASK_EVIDENCE)[number];
export const TASK_EVIDENCE_LABELS: Record<TaskEvidence, string> = { text: '文字说明', photo: '照片' };
export const TASK_LIMITS = {
  titleMax: 60,
  bodyMax: 2000,
  reportMax: 2000,
  commentMax: 500,
  pointsMax: 20,
  receiversMax: 200,
  photosMax: 9,
};

/** A task is due by the end of its Shanghai day: 23:59:59 is in time, 00:00:00 the next day is late. */
export const taskDueAt = (deadlineDay: string): Date => shanghaiInstant(deadlineDay, '23:59:59');

export function taskState(status: TaskStatus, deadlineDay: string, now: Date = new Date()): TaskState {
  const unreported = status === 'todo' || status === 'returned';
  return unreported && now.getTime() >= taskDueAt(deadlineDay).getTime() + 1000 ? 'overdue' : status;
}

export interface TaskReceiverRow {
  taskId: string;
  receiverId: string;
  receiverKind: 'branch' | 'member';
  receiverName: string;
  status: TaskStatus;
  state: TaskState;
  report: { text: string; photoUrls: string[] } | null;
  reportedAt: string | null;
  reporterName: string | null;
  comment: string | null;
  late: boolean;
  pointsAwarded: number | null;
}

export interface TaskSummary {
  id: string;
  title: string;
  body: string;
  senderName: string;
  orgName: string;
  deadline: string;
  evidence: TaskEvidence[];
  points: number;
  createdAt: string;
}

export interface TaskBoard {
  task: TaskSummary;
  counts: Record<TaskState, number>;
  /** Overdue first, then 退回, 待办, 已报 (waiting for the sender), 已验收. */
  rows: TaskReceiverRow[];
}

export interface MyTask extends TaskReceiverRow {
  task: TaskSummary;
}
