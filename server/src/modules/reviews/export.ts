import ExcelJS from 'exceljs';
import { REVIEW_GRADES, REVIEW_GRADE_LABELS, formatShanghai, type ReviewResults } from '@pioneer/shared';
import { gradeLabel } from './grades.service';

/** 民主评议结果: one row per member with the counts per grade (or why they are withheld) and the final grade. */
export async function resultsXlsx(r: ReviewResults, now = new Date()): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('评议结果');
  sheet.columns = [
    { header: '姓名', key: 'name', width: 14 },
    ...REVIEW_GRADES.map((g) => ({ header: `${REVIEW_GRADE_LABELS[g]}票`, key: g, width: 10 })),
    { header: '评定等次', key: 'grade', width: 18 },
    { header: '不合格理由', key: 'reason', width: 30 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const row of r.rows) {
    const counts = row.counts ?? null;
    sheet.addRow({
      name: row.member.name,
      ...Object.fromEntries(REVIEW_GRADES.map((g) => [g, counts ? counts[g] : '不显示'])),
      grade: gradeLabel(row.grade),
      reason: row.grade?.grade === 'unqualified' ? (row.grade.reason ?? '') : '',
    });
  }
  const about = wb.addWorksheet('说明');
  about.addRows([
    ['支部', r.round.branchName],
    ['年度', r.round.year],
    ['应参评人数', r.round.members.length],
    ['实际投票人数', r.round.voterCount],
    ['票数', r.withheld ?? '已显示'],
    ['优秀比例上限', `${Math.round(r.excellentShare * 100)}%（最多${r.excellentCap}人）`],
    ['生成时间', formatShanghai(now, 'YYYY-MM-DD HH:mm')],
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
