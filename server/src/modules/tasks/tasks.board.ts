import ExcelJS from 'exceljs';
import { formatShanghai, TASK_STATE_LABELS, type TaskBoard, type TaskState } from '@pioneer/shared';
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
  const sheet = wb.addWorksheet('督办情况');
  sheet.columns = [
    { header: '接收单位/人', key: 'name', width: 20 },
    { header: '状态', key: 'state', width: 10 },
    { header: '上报人', key: 'reporter', width: 12 },
    { header: '上报时间', key: 'at', width: 18 },
    { header: '逾期上报', key: 'late', width: 10 },
    { header: '完成情况', key: 'text', width: 40 },
    { header: '照片数', key: 'photos', width: 8 },
    { header: '退回意见', key: 'comment', width: 30 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const r of board.rows)
    sheet.addRow({
      name: r.receiverName,
      state: TASK_STATE_LABELS[r.state],
      reporter: r.reporterName ?? '',
      at: r.reportedAt ? formatShanghai(r.reportedAt, 'YYYY-MM-DD HH:mm') : '',
      late: r.late ? '是' : '',
      text: r.report?.text ?? '',
      photos: r.report?.photoUrls.length ?? 0,
      comment: r.comment ?? '',
    });
  const about = wb.addWorksheet('说明');
  about.addRows([
    ['任务', board.task.title],
    ['发布', `${board.task.orgName} ${board.task.senderName}`],
    ['截止日期', `${board.task.deadline} 23:59:59（北京时间）`],
    ...Object.entries(board.counts).map(([s, n]) => [TASK_STATE_LABELS[s as TaskState], n]),
    ['生成时间', formatShanghai(now, 'YYYY-MM-DD HH:mm')],
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
