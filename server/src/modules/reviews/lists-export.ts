import ExcelJS from 'exceljs';
import { RECTIFY_STATUS_LABELS, formatShanghai, type RectifyItem, type TalkRegister } from '@pioneer/shared';
import type { SessionUser } from '../../http/types';
import { authorize } from '../../policy';
import { listItems } from './rectify.service';
import { branchPlaced } from './reviews.service';
import { talkRegister } from './talks.service';

/** XLSX of the 问题清单/整改清单 and of the 谈心谈话 register (issue 21 item 3), each with a 说明 sheet. */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export interface XlsxFile {
  name: string;
  body: Buffer;
}

function about(wb: ExcelJS.Workbook, rows: [string, string | number][], now: Date): void {
  wb.addWorksheet('说明').addRows([...rows, ['生成时间', formatShanghai(now, 'YYYY-MM-DD HH:mm')]]);
}

const day = (iso: string) => formatShanghai(new Date(iso), 'YYYY-MM-DD');

export async function rectifyXlsx(
  branchName: string,
  year: number,
  items: RectifyItem[],
  now = new Date(),
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('问题整改清单');
  sheet.columns = [
    { header: '序号', key: 'n', width: 6 },
    { header: '问题', key: 'text', width: 40 },
    { header: '类别', key: 'level', width: 10 },
    { header: '责任人', key: 'owner', width: 12 },
    { header: '整改期限', key: 'deadline', width: 12 },
    { header: '状态', key: 'status', width: 10 },
    { header: '是否逾期', key: 'overdue', width: 10 },
    { header: '整改情况', key: 'evidence', width: 40 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const i of items) {
    sheet.addRow({
      n: i.n,
      text: i.text,
      level: i.level === 'branch' ? '支部问题' : '党员问题',
      owner: i.owner?.name ?? '支部',
      deadline: day(i.deadline),
      status: RECTIFY_STATUS_LABELS[i.status],
      overdue: i.overdue ? '逾期' : '',
      evidence: i.evidence ?? '',
    });
  }
  about(
    wb,
    [
      ['支部', branchName],
      ['年度', year],
      ['问题数', items.length],
      ['已销号', items.filter((i) => i.status === 'closed').length],
    ],
    now,
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function talksXlsx(
  branchName: string,
  year: number,
  register: TalkRegister,
  now = new Date(),
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('谈心谈话记录');
  sheet.columns = [
    { header: '序号', key: 'n', width: 6 },
    { header: '日期', key: 'date', width: 12 },
    { header: '谈话人', key: 'talker', width: 12 },
    { header: '谈话对象', key: 'talkee', width: 12 },
    { header: '谈话要点', key: 'summary', width: 50 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const t of register.talks) {
    sheet.addRow({ n: t.n, date: t.date, talker: t.talker.name, talkee: t.talkee.name, summary: t.summary });
  }
  const missing = wb.addWorksheet('尚未谈话');
  missing.columns = [{ header: '姓名', key: 'name', width: 14 }];
  missing.getRow(1).font = { bold: true };
  for (const m of register.missing) missing.addRow({ name: m.name });
  about(
    wb,
    [
      ['支部', branchName],
      ['年度', year],
      ['谈话记录数', register.talks.length],
      ['尚未谈话人数', register.missing.length],
    ],
    now,
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
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
