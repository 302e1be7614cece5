import ExcelJS from 'exceljs';
import { RECTIFY_STATUS_LABELS, formatShanghai, type RectifyItem, type TalkRegister } from '@pioneer/shared';
import { aboutSheet, rowsSheet, xlsxBody } from '../../http/files';
import type { SessionUser } from '../../http/types';
import { authorize } from '../../policy';
import { listItems } from './rectify.service';
import { branchPlaced } from './reviews.service';
import { talkRegister } from './talks.service';

/** XLSX of the 问题清单/整改清单 and of the 谈心谈话 register (issue 21 item 3), each with a 说明 sheet. */
export interface XlsxFile {
  name: string;
  body: Buffer;
}

const day = (iso: string) => formatShanghai(new Date(iso), 'YYYY-MM-DD');
const generated = (now: Date) => ['生成时间', formatShanghai(now, 'YYYY-MM-DD HH:mm')];

const RECTIFY_COLUMNS = { 序号: 6, 问题: 40, 类别: 10, 责任人: 12, 整改期限: 12, 状态: 10, 是否逾期: 10, 整改情况: 40 };

export async function rectifyXlsx(
  branchName: string,
  year: number,
  items: RectifyItem[],
  now = new Date(),
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  rowsSheet(
    wb,
    '问题整改清单',
    RECTIFY_COLUMNS,
    items.map((i) => [
      i.n,
      i.text,
      i.level === 'branch' ? '支部问题' : '党员问题',
      i.owner?.name ?? '支部',
      day(i.deadline),
      RECTIFY_STATUS_LABELS[i.status],
      i.overdue ? '逾期' : '',
      i.evidence ?? '',
    ]),
  );
  const closed = items.filter((i) => i.status === 'closed').length;
  aboutSheet(wb, [['支部', branchName], ['年度', year], ['问题数', items.length], ['已销号', closed], generated(now)]);
  return xlsxBody(wb);
}

export async function talksXlsx(
  branchName: string,
  year: number,
  register: TalkRegister,
  now = new Date(),
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const talks = register.talks.map((t) => [t.n, t.date, t.talker.name, t.talkee.name, t.summary]);
  rowsSheet(wb, '谈心谈话记录', { 序号: 6, 日期: 12, 谈话人: 12, 谈话对象: 12, 谈话要点: 50 }, talks);
  rowsSheet(
    wb,
    '尚未谈话',
    { 姓名: 14 },
    register.missing.map((m) => [m.name]),
  );
  aboutSheet(wb, [
    ['支部', branchName],
    ['年度', year],
    ['谈话记录数', register.talks.length],
    ['尚未谈话人数', register.missing.length],
    generated(now),
  ]);
  return xlsxBody(wb);
}

/** The 问题/整改 list of a branch's year, as a sheet: who runs the branch (an export with names). */
export async function exportRectify(actor: SessionUser, branchId: string, year: number): Promise<XlsxFile> {
  const branch = await branchPlaced(branchId);
  authorize(actor, 'member.export', branch);
  const { items } = await listItems(actor, branchId, year);
  return { name: `问题整改清单-${branch.name}-${year}.xlsx`, body: await rectifyXlsx(branch.name, year, items) };
}

/** The 谈心谈话 register of a branch's year, as a sheet. */
export async function exportTalks(actor: SessionUser, branchId: string, year: number): Promise<XlsxFile> {
  const branch = await branchPlaced(branchId);
  authorize(actor, 'member.export', branch);
  const register = await talkRegister(actor, branchId, year);
  return { name: `谈心谈话记录-${branch.name}-${year}.xlsx`, body: await talksXlsx(branch.name, year, register) };
}
