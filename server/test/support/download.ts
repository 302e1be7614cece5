import ExcelJS from 'exceljs';

/** A supertest parser that keeps the body as bytes (the response is a node stream at this point). */
export const binary = (res: unknown, cb: (err: Error | null, body: Buffer) => void) => {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** A downloaded XLSX read back, so a test checks the sheets a secretary opens. */
export async function workbookOf(body: unknown): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as ArrayBuffer);
  return wb;
}
