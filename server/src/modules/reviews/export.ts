import ExcelJS from 'exceljs';
import { REVIEW_GRADES, REVIEW_GRADE_LABELS, formatShanghai, type ReviewResults } from '@pioneer/shared';
import { aboutSheet, rowsSheet, xlsxBody } from '../../http/files';
import { gradeLabel } from './grades.service';

/** 民主评议结果: one row per member with the counts per grade (or why they are withheld) and the final grade. */
export async function resultsXlsx(r: ReviewResults, now = new Date()): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const votes = Object.fromEntries(REVIEW_GRADES.map((g) => [`${REVIEW_GRADE_LABELS[g]}票`, 10]));
  rowsSheet(
    wb,
    '评议结果',
    { 姓名: 14, ...votes, 评定等次: 18, 不合格理由: 30 },
    r.rows.map((row) => [
      row.member.name,
      ...REVIEW_GRADES.map((g) => (row.counts ? row.counts[g] : '不显示')),
      gradeLabel(row.grade),
      row.grade?.grade === 'unqualified' ? (row.grade.reason ?? '') : '',
    ]),
  );
  aboutSheet(wb, [
    ['支部', r.round.branchName],
    ['年度', r.round.year],
    ['应参评人数', r.round.members.length],
    ['实际投票人数', r.round.voterCount],
    ['票数', r.withheld ?? '已显示'],
    ['优秀比例上限', `${Math.round(r.excellentShare * 100)}%（最多${r.excellentCap}人）`],
    ['生成时间', formatShanghai(now, 'YYYY-MM-DD HH:mm')],
  ]);
  return xlsxBody(wb);
}
