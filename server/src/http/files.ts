import { finished } from 'node:stream/promises';
import multer from '@koa/multer';
import type ExcelJS from 'exceljs';
import type { Middleware } from 'koa';
import { AppError, invalid } from './errors';
import type { AppContext, AppState } from './types';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A file the API hands out: the Chinese name, with an ASCII fallback for clients that cannot read `filename*`. */
export interface Download {
  body: Buffer;
  asciiName: string;
  name: string;
  contentType?: string;
}

/** Replies with a file download (XLSX unless said otherwise); `noStore` for files that hold members' data. */
export function sendDownload(ctx: AppContext, file: Download, opts: { noStore?: boolean } = {}): void {
  ctx.set(
    'Content-Disposition',
    `attachment; filename="${file.asciiName}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
  );
  if (opts.noStore) ctx.set('Cache-Control', 'no-store');
  ctx.type = file.contentType ?? XLSX_TYPE;
  ctx.body = file.body;
}

/** A sheet's columns in order: each header with its width, or with its width and an Excel number format. */
export type SheetColumns = Record<string, number | { width: number; numFmt: string }>;

/**
 * Rows to a sheet: a bold header row from `columns`, then one row per entry, its cells in the columns' order.
 * `frozen` keeps the header in view while scrolling. Every XLSX list the API hands out is written through it.
 */
export function rowsSheet(
  wb: ExcelJS.Workbook,
  name: string,
  columns: SheetColumns,
  rows: ExcelJS.CellValue[][],
  opts: { frozen?: boolean } = {},
): ExcelJS.Worksheet {
  const sheet = wb.addWorksheet(name, opts.frozen ? { views: [{ state: 'frozen', ySplit: 1 }] } : {});
  const specs = Object.entries(columns).map(([header, c]) => ({
    header,
    ...(typeof c === 'number' ? { width: c } : c),
  }));
  sheet.columns = specs.map(({ header, width }) => ({ header, width }));
  sheet.getRow(1).font = { bold: true };
  sheet.addRows(rows);
  // Set after the rows, as a column's format reaches only the cells it already has.
  specs.forEach((c, i) => {
    if ('numFmt' in c) sheet.getColumn(i + 1).numFmt = c.numFmt;
  });
  return sheet;
}

/** The 说明 sheet: label and value lines describing the list. */
export const aboutSheet = (wb: ExcelJS.Workbook, lines: ExcelJS.CellValue[][]): void => {
  wb.addWorksheet('说明').addRows(lines);
};

export const xlsxBody = async (wb: ExcelJS.Workbook): Promise<Buffer> => Buffer.from(await wb.xlsx.writeBuffer());

export interface UploadRules {
  /** The form field that holds the file. */
  field: string;
  maxBytes: number;
  /** Form fields besides the file (multer's limit), when there is one. */
  fields?: number;
  /** The Chinese messages: over the size limit, and no file (or a broken form). */
  tooLarge: string;
  missing: string;
}

export interface Uploaded {
  buffer: Buffer;
  originalname: string;
}

/**
 * One file from a multipart form, held in memory and limited in size: over the limit is 413 with `tooLarge`, a
 * broken form is 400 with `missing`. The next middleware reads it with `uploadedFile`.
 */
export function singleFile(rules: UploadRules): Middleware<AppState> {
  const limits = {
    fileSize: rules.maxBytes,
    files: 1,
    ...(rules.fields === undefined ? {} : { fields: rules.fields }),
  };
  const upload = multer({ storage: multer.memoryStorage(), limits });
  return async (ctx, next) => {
    try {
      await upload.single(rules.field)(ctx as never, next);
    } catch (err) {
      if (err instanceof AppError) throw err;
      if ((err as { code?: string }).code === 'LIMIT_FILE_SIZE')
        throw new AppError('PAYLOAD_TOO_LARGE', rules.tooLarge);
      throw invalid(rules.missing);
    }
  };
}

/** The file `singleFile` took in, or 400 with `missing`. */
export function uploadedFile(ctx: AppContext, missing: string): Uploaded {
  const file = (ctx as unknown as { file?: Uploaded }).file;
  if (!file) throw invalid(missing);
  return file;
}

/** The largest refused upload read to its end before its refusal is sent (a photo, a roster, a short video). */
export const DRAIN_REFUSED_BYTES = 4 * 1024 * 1024;

/**
 * Goes first on an upload route: when a check before the file's reading refuses it (no session, the wrong role, no
 * consent), a body still unread and no larger than DRAIN_REFUSED_BYTES is read off the wire before the refusal goes
 * out. A client still sending its file otherwise finds its connection closed under it (EPIPE, superagent's and
 * wx.uploadFile's "fail") and never reads the 403's Chinese message. A larger body is not read for a refused sender.
 */
export function drainRefusedUpload(): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const length = Number(ctx.get('content-length'));
      if (!ctx.req.readableDidRead && length > 0 && length <= DRAIN_REFUSED_BYTES) {
        ctx.req.resume();
        await finished(ctx.req).catch(() => undefined); // a client gone meanwhile: the refusal is still thrown
      }
      throw err;
    }
  };
}
