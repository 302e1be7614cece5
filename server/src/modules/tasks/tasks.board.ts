import ExcelJS from 'exceljs';
import { formatShanghai, TASK_STATE_LABELS, type TaskBoard, type TaskState } from '@pioneer/shared';
import { aboutSheet, rowsSheet, xlsxBody } from '../../http/files';
import type { SessionUser } from '../../http/types';
import { authorize } from '../../policy';
import { placedOf, requireTask } from './tasks.service';
import { assignmentKey, assignments, rowOf, summaryOf, type AssignmentDoc } from './tasks.store';

const ORDER: Record<TaskState, number> = { overdue: 0, returned: 1, todo: 2, reported: 3, accepted: 4 };

/** The sender's board: every receiver's state, overdue first. One key read per receiver. */
export async function taskBoard(actor: SessionUser, taskId: string, now = new Date()): Promise<TaskBoard> {
  const task = await requireTask(taskId);
  authorize(actor, 'task.manage', { org: placedOf(task), senderId: task.senderId });
  const docs = await Promise.all(task.receiverIds.map((r) => assignments.read(assignmentKey(taskId, r))));
  const rows = docs
    .filter((a): a is AssignmentDoc => a !== null)
    .map((a) => rowOf(a, task, now))
    .sort((x, y) => ORDER[x.state] - ORDER[y.state] || x.receiverName.localeCompare(y.receiverName, 'zh'));
  const counts = { todo: 0, reported: 0, accepted: 0, returned: 0, overdue: 0 } as Record<TaskState, number>;
  for (const r of rows) counts[r.state] += 1;
  return { task: summaryOf(task), counts, rows };
}

/** 督办情况 as XLSX: one row per receiver, in the board's order. */
export async function taskBoardXlsx(actor: SessionUser, taskId: string, now = new Date()): Promise<Buffer> {
  const board = await taskBoard(actor, taskId, now);
  const wb = new ExcelJS.Workbook();
  rowsSheet(
    wb,
    '督办情况',
    { '接收单位/人': 20, 状态: 10, 上报人: 12, 上报时间: 18, 逾期上报: 10, 完成情况: 40, 照片数: 8, 退回意见: 30 },
    board.rows.map((r) => [
      r.receiverName,
      TASK_STATE_LABELS[r.state],
      r.reporterName ?? '',
      r.reportedAt ? formatShanghai(r.reportedAt, 'YYYY-MM-DD HH:mm') : '',
      r.late ? '是' : '',
      r.report?.text ?? '',
      r.report?.photoUrls.length ?? 0,
      r.comment ?? '',
    ]),
  );
  aboutSheet(wb, [
    ['任务', board.task.title],
    ['发布', `${board.task.orgName} ${board.task.senderName}`],
    ['截止日期', `${board.task.deadline} 23:59:59（北京时间）`],
    ...Object.entries(board.counts).map(([s, n]) => [TASK_STATE_LABELS[s as TaskState], n]),
    ['生成时间', formatShanghai(now, 'YYYY-MM-DD HH:mm')],
  ]);
  return xlsxBody(wb);
}
