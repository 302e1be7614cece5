/** The attendance report as files: CSV (UTF-8 with a BOM, so Excel reads the Chinese) and XLSX via exceljs. */
import ExcelJS from 'exceljs';
import { REPORT_COLUMNS, formatShanghai, type Report, type ReportRow } from '@pioneer/shared';

export interface ReportFile {
  body: Buffer;
  contentType: string;
  /** ASCII fallback and the Chinese name, for Content-Disposition. */
  asciiName: string;
  name: string;
}

/** A cell as the files show it: times in Shanghai as `YYYY-MM-DD HH:mm`, numbers as numbers. */
export function cellOf(row: ReportRow, key: (typeof REPORT_COLUMNS)[number]['key']): string | number {
  if (key === 'lastCheckinAt') return row.lastCheckinAt ? formatShanghai(row.lastCheckinAt, 'YYYY-MM-DD HH:mm') : '';
  return row[key];
}

function csvField(value: string | number): string {
  const text = String(value);
  // Quote what needs it; a leading = + - @ would run as a formula in Excel, so it is prefixed with a quote mark.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function reportCsv(report: Report): Buffer {
  const lines = [
    REPORT_COLUMNS.map((c) => c.header),
    ...report.rows.map((r) => REPORT_COLUMNS.map((c) => cellOf(r, c.key))),
  ];
  return Buffer.from(`\uFEFF${lines.map((l) => l.map(csvField).join(',')).join('\r\n')}\r\n`, 'utf8');
}

export async function reportXlsx(report: Report): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '先锋';
  workbook.created = new Date(report.generatedAt);
  // Sheet names: at most 31 characters, none of : \ / ? * [ ].
  const sheet = workbook.addWorksheet('驻村考勤', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = REPORT_COLUMNS.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.key === 'lastCheckinAt' ? 20 : c.key === 'branch' || c.key === 'village' ? 22 : 12,
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of report.rows)
    sheet.addRow(Object.fromEntries(REPORT_COLUMNS.map((c) => [c.key, cellOf(row, c.key)])));
  const about = workbook.addWorksheet('说明');
  about.addRows([
    ['组织', report.org.name],
    ['统计周期', report.period.label],
    ['每月应出勤天数', report.requiredPerMonth],
    ['生成时间', formatShanghai(report.generatedAt, 'YYYY-MM-DD HH:mm')],
  ]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function reportFile(report: Report, format: 'csv' | 'xlsx'): Promise<ReportFile> {
  const base = `驻村考勤-${report.org.name}-${report.period.label}`;
  const asciiName = `checkins-${report.period.key}.${format}`;
  if (format === 'csv')
    return { body: reportCsv(report), contentType: 'text/csv; charset=utf-8', asciiName, name: `${base}.csv` };
  return {
    body: await reportXlsx(report),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    asciiName,
    name: `${base}.xlsx`,
  };
}
