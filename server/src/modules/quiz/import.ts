import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { OPTION_KEYS, type QuestionType } from '@pioneer/shared';
import { checkRow, TEMPLATE_EXAMPLES, TEMPLATE_HEADER } from './import-check';

export type SheetRow = { row: number; question: Record<string, unknown> } | { row: number; error: string };

const TYPE_WORDS: Record<string, QuestionType> = {
  单选: 'single',
  单选题: 'single',
  single: 'single',
  多选: 'multiple',
  多选题: 'multiple',
  multiple: 'multiple',
  判断: 'judge',
  判断题: 'judge',
  judge: 'judge',
};
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return String(value.result ?? '');
  }
  return String(value).trim();
}

async function readSheet(buffer: Buffer, name: string): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  if (/\.csv$/i.test(name)) {
    // Excel saves CSV with a BOM; strip it so the first header matches.
    const text = buffer.toString('utf8').replace(/^\uFEFF/, '');
    return workbook.csv.read(Readable.from([text]));
  }
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('no worksheet');
  return sheet;
}

/** Reads 题干, 类型, 选项A–F, 答案, 解析, 标签, 难度 by header name; rows are numbered as the sheet shows them. */
export async function parseQuestionSheet(buffer: Buffer, name: string): Promise<SheetRow[]> {
  let sheet: ExcelJS.Worksheet;
  try {
    sheet = await readSheet(buffer, name);
  } catch {
    return [{ row: 0, error: '无法读取文件：请上传 CSV 或 XLSX 格式的题目表' }];
  }
  const header = new Map<string, number>();
  sheet.getRow(1).eachCell((cell, col) => header.set(cellText(cell.value).replace(/\s/g, ''), col));
  if (!header.has('题干') || !header.has('类型') || !header.has('答案'))
    return [{ row: 1, error: '表头缺少 题干、类型 或 答案 列' }];
  const rows: SheetRow[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const get = (column: string) => (header.has(column) ? cellText(row.getCell(header.get(column)!).value) : '');
    const stem = get('题干');
    if (!stem && !get('答案')) return;
    const type = TYPE_WORDS[get('类型')];
    if (!type) return void rows.push({ row: number, error: `类型“${get('类型')}”无法识别，应为 单选、多选 或 判断` });
    let options = OPTION_KEYS.map((k) => get(`选项${k}`) || get(k)).filter(Boolean);
    if (type === 'judge' && options.length === 0) options = ['正确', '错误'];
    const checked = checkRow({
      type,
      stem,
      options,
      answer: get('答案'),
      explanation: get('解析'),
      tags: get('标签'),
      difficulty: get('难度'),
    });
    rows.push('error' in checked ? { row: number, error: checked.error } : { row: number, question: checked.question });
  });
  return rows;
}

/** The template an admin fills in (issue 15): the header the importer reads and one example of each type. */
export async function questionTemplateXlsx(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('题库导入模板');
  sheet.addRow(TEMPLATE_HEADER).font = { bold: true };
  for (const row of TEMPLATE_EXAMPLES) sheet.addRow(row);
  sheet.columns.forEach((c, i) => (c.width = i === 0 ? 40 : i === 7 ? 30 : 12));
  const notes = workbook.addWorksheet('填写说明');
  for (const line of TEMPLATE_NOTES) notes.addRow([line]);
  notes.getColumn(1).width = 80;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const TEMPLATE_NOTES = [
  '类型：单选、多选 或 判断',
  '选项A–选项F：至少两个；判断题可不填（默认 正确、错误）',
  '答案：单选填一个字母，如 B；多选填多个字母，如 AC；判断题填 正确 或 错误',
  '标签：用逗号分隔，最多 5 个',
  '难度：易、中、难（也可填 1、2、3），不填为 易',
  '题干与题库中已有的题目相同时会跳过',
];
