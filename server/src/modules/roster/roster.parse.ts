import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { ROSTER_COLUMNS, ROSTER_MAX_ROWS } from '@pioneer/shared';
import { AppError } from '../../http/errors';

/** One sheet row as typed, trimmed; `row` is the number the sheet shows. */
export interface SheetRow {
  row: number;
  name: string;
  phone: string;
  branch: string;
  category: string;
  joinedAt: string;
  duty: string;
  role: string;
  village: string;
}

const badSheet = (message: string) => new AppError('BAD_SHEET', message);

/** A formula's value depends on the sheet it came from: refused whole, so nothing computed elsewhere is imported. */
function isFormula(value: ExcelJS.CellValue): boolean {
  return typeof value === 'object' && value !== null && ('formula' in value || 'sharedFormula' in value);
}

const pad = (n: number) => String(n).padStart(2, '0');

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date)
    return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  if (typeof value === 'object') {
    if ('richText' in value)
      return value.richText
        .map((r) => r.text)
        .join('')
        .trim();
    if ('text' in value) return String(value.text).trim();
    return '';
  }
  return String(value).trim();
}

/** Counted before parsing: a 50,000-line CSV is refused in milliseconds, not after parsing it. */
function tooManyLines(buffer: Buffer): void {
  let lines = 0;
  for (let i = buffer.indexOf(10); i !== -1; i = buffer.indexOf(10, i + 1)) lines++;
  if (lines > ROSTER_MAX_ROWS + 1)
    throw badSheet(`名册超过 ${ROSTER_MAX_ROWS} 行（共约 ${lines} 行），请按乡镇分成几个文件导入`);
}

async function readSheet(buffer: Buffer, name: string): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  try {
    if (/\.csv$/i.test(name)) {
      if (buffer.includes(0)) throw new Error('binary');
      tooManyLines(buffer);
      // Excel saves CSV with a BOM; strip it so the first header matches.
      const text = buffer.toString('utf8').replace(/^\uFEFF/, '');
      return await workbook.csv.read(Readable.from([text]), { parserOptions: { relax_column_count: true } } as never);
    }
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw badSheet('无法读取文件：请上传 Excel（.xlsx）或 CSV 格式的党员名册，可先下载模板');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw badSheet('文件中没有工作表，请使用模板填写');
  return sheet;
}

/**
 * Reads the roster by header name. The whole file is refused (nothing written) when it is not a sheet, lacks the
 * required columns, has more than ROSTER_MAX_ROWS rows or holds a formula anywhere.
 */
export async function parseRoster(buffer: Buffer, fileName: string): Promise<SheetRow[]> {
  const sheet = await readSheet(buffer, fileName);
  if (sheet.actualRowCount - 1 > ROSTER_MAX_ROWS) {
    throw badSheet(`名册超过 ${ROSTER_MAX_ROWS} 行（共 ${sheet.actualRowCount - 1} 行），请按乡镇分成几个文件导入`);
  }
  const header = new Map<string, number>();
  sheet.getRow(1).eachCell((cell, col) => header.set(cellText(cell.value).replace(/\s/g, ''), col));
  const missing = ['姓名', '手机号', '所在支部'].filter((c) => !header.has(c));
  if (missing.length > 0)
    throw badSheet(`表头缺少 ${missing.join('、')} 列，请使用模板（${ROSTER_COLUMNS.join('、')}）`);
  const rows: SheetRow[] = [];
  let formulaAt: string | null = null;
  sheet.eachRow((row, number) => {
    if (formulaAt) return;
    row.eachCell((cell) => {
      if (!formulaAt && isFormula(cell.value)) formulaAt = `第 ${number} 行 ${cell.address}`;
    });
    if (number === 1) return;
    const get = (column: string) => (header.has(column) ? cellText(row.getCell(header.get(column)!).value) : '');
    const parsed: SheetRow = {
      row: number,
      name: get('姓名'),
      phone: get('手机号').replace(/[\s-]/g, ''),
      branch: get('所在支部'),
      category: get('人员类别'),
      joinedAt: get('入党时间'),
      duty: get('职务'),
      role: get('角色'),
      village: get('驻村'),
    };
    if (Object.entries(parsed).every(([k, v]) => k === 'row' || v === '')) return;
    rows.push(parsed);
  });
  if (formulaAt) throw badSheet(`${formulaAt} 是公式：请把公式复制后“粘贴为数值”再导入`);
  if (rows.length === 0) throw badSheet('名册中没有党员，请在表头下方逐行填写');
  return rows;
}

/** The template: headers and one example row. */
export async function rosterTemplate(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('党员名册');
  sheet.addRow([...ROSTER_COLUMNS]);
  sheet.addRow(['张三', '13800000000', '青山镇/青山村/青山村党支部', '正式党员', '2001-07-01', '村委委员', '党员', '']);
  sheet.getRow(1).font = { bold: true };
  sheet.columns.forEach((c) => (c.width = 18));
  sheet.getColumn(3).width = 32;
  sheet.getColumn(2).numFmt = '@';
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
