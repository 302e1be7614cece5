import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ATTACHMENT_MAX_BYTES, dayKey, monthKey, type AttachmentKind, type UploadedAttachment } from '@pioneer/shared';
import { AppError, invalid, notFound } from '../../http/errors';
import type { FileStore } from './storage';
import { UploadModel, UploadQuotaModel } from './uploads.model';
import { sniffImage } from './uploads.service';

/**
 * Attachments (通知公告's PDF / DOCX / XLSX and pictures, issue 19): stored like photos (the same store, an
 * `uploads` document, pending until a notice uses them, swept after a day if none does) but never served by the
 * public photo route (its names are pictures only): a notice's attachments are downloaded through the notice, by
 * those it is for. What a file is comes from its bytes; its name is only what the reader sees.
 */
export const ATTACHMENT_TYPES: Record<AttachmentKind, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
};

/** What a publisher may attach in a Shanghai day (a full disk stops every member's writes). */
export const ATTACHMENT_QUOTA = { files: 60, bytes: 400 * 1024 * 1024 };

/** The names in a ZIP's central directory (DOCX and XLSX are ZIPs); null when it is not a well-formed ZIP. */
function zipNames(buf: Buffer): string[] | null {
  // The end-of-central-directory record: in the last 22 + 65535 bytes (its comment may be that long).
  const from = Math.max(0, buf.length - 22 - 65_535);
  let eocd = -1;
  for (let i = buf.length - 22; i >= from; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count && n < 5000; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) return null;
    const nameLength = buf.readUInt16LE(at + 28);
    const skip = nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    names.push(buf.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + skip;
  }
  return names;
}

/** What the file's bytes say it is, among the kinds a notice may carry. */
export function sniffAttachment(buf: Buffer): AttachmentKind | null {
  if (buf.length >= 5 && buf.toString('latin1', 0, 5) === '%PDF-') return 'pdf';
  if (buf.length >= 22 && buf.readUInt32LE(0) === 0x04034b50) {
    const names = zipNames(buf);
    if (!names?.includes('[Content_Types].xml')) return null;
    if (names.includes('word/document.xml')) return 'docx';
    if (names.includes('xl/workbook.xml')) return 'xlsx';
    return null;
  }
  return sniffImage(buf)?.ext ?? null;
}

/** The name shown to readers: no folders, no control characters, ending in what the file is. */
export function attachmentName(raw: string, kind: AttachmentKind): string {
  const printable = [...raw.replace(/\\/g, '/')].filter((c) => c.charCodeAt(0) >= 0x20 && c !== '\u007f' && c !== '"');
  const base = path.basename(printable.join('')).trim() || '附件';
  const ext = kind === 'jpg' ? /\.(jpe?g)$/i : new RegExp(`\\.${kind}$`, 'i');
  const named = ext.test(base) ? base : `${base.replace(/\.[A-Za-z0-9]{1,5}$/, '')}.${kind}`;
  return named.slice(-100);
}

async function reserve(userId: string, bytes: number, now: Date): Promise<() => Promise<void>> {
  const day = dayKey(now);
  const id = `${userId}|${day}|attachments`;
  const after = await UploadQuotaModel.findOneAndUpdate(
    { _id: id },
    { $inc: { files: 1, bytes }, $setOnInsert: { day } },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  const release = async () =>
    void (await UploadQuotaModel.updateOne({ _id: id }, { $inc: { files: -1, bytes: -bytes } }));
  if ((after?.files ?? 0) > ATTACHMENT_QUOTA.files || (after?.bytes ?? 0) > ATTACHMENT_QUOTA.bytes) {
    await release();
    throw new AppError('UPLOAD_QUOTA_EXCEEDED', '今天上传的附件已达上限，请明天再传');
  }
  return release;
}

/** Stores an attachment under a random name; refuses what is not a PDF, DOCX, XLSX or picture, or is too large. */
export async function saveAttachment(
  store: FileStore,
  userId: string,
  data: Buffer,
  originalName: string,
  now = new Date(),
): Promise<UploadedAttachment> {
  if (data.length > ATTACHMENT_MAX_BYTES)
    throw new AppError('PAYLOAD_TOO_LARGE', `附件不能超过 ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB`);
  const kind = sniffAttachment(data);
  if (!kind) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '附件只能是 PDF、Word（docx）、Excel（xlsx）文件或图片');
  const release = await reserve(userId, data.length, now);
  const key = `${monthKey(now)}/${randomBytes(16).toString('hex')}.${kind}`;
  try {
    await UploadModel.create({
      _id: key,
      userId,
      type: ATTACHMENT_TYPES[kind],
      bytes: data.length,
      at: now,
      state: 'pending',
    });
    await store.put(key, data);
  } catch (err) {
    await release();
    throw err;
  }
  return { id: key, name: attachmentName(originalName, kind), kind, bytes: data.length };
}

/** The publisher's own uploads, as stored (the size from our record, never from the client). */
export async function ownedUploads(userId: string, ids: readonly string[]) {
  const docs = await Promise.all(
    ids.map((id) => UploadModel.findById(id).lean<{ _id: string; userId: string; bytes: number }>()),
  );
  return docs.map((d, i) => {
    if (!d || d.userId !== userId) throw invalid(`第${i + 1}个附件不存在，请重新上传`);
    return d;
  });
}

export async function openAttachment(store: FileStore, key: string) {
  const file = await store.get(key);
  if (!file) throw notFound('附件');
  return file;
}
