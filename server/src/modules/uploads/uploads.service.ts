import { randomBytes } from 'node:crypto';
import { UPLOAD_URL_PREFIX, dayKey, monthKey, type UploadReply } from '@pioneer/shared';
import { isDuplicateKey } from '../../db/connect';
import { AppError, notFound } from '../../http/errors';
import type { FileStore } from './storage';
import { UploadModel, UploadQuotaModel } from './uploads.model';

/** What one member may upload in a Shanghai day (config `uploadFilesPerDay`, `uploadBytesPerDay`). */
export interface UploadQuota {
  files: number;
  bytes: number;
}

export interface ImageKind {
  ext: 'jpg' | 'png' | 'webp';
  type: 'image/jpeg' | 'image/png' | 'image/webp';
}

const startsWith = (buf: Buffer, bytes: number[], at = 0) => bytes.every((b, i) => buf[at + i] === b);

/** What the file's first bytes say it is. The name and the Content-Type a client sends are not evidence. */
export function sniffImage(buf: Buffer): ImageKind | null {
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return { ext: 'jpg', type: 'image/jpeg' };
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { ext: 'png', type: 'image/png' };
  if (buf.length >= 12 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP')
    return { ext: 'webp', type: 'image/webp' };
  return null;
}

const TYPES: Record<string, ImageKind['type']> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

async function bumpQuota(id: string, day: string, files: number, bytes: number) {
  const update = { $inc: { files, bytes }, $setOnInsert: { day } };
  try {
    return await UploadQuotaModel.findOneAndUpdate({ _id: id }, update, {
      upsert: true,
      returnDocument: 'after',
    }).lean();
  } catch (err) {
    // Two first uploads of the day racing on the upsert: the loser's insert collides; the document exists now.
    if (!isDuplicateKey(err)) throw err;
    return UploadQuotaModel.findOneAndUpdate({ _id: id }, update, { returnDocument: 'after' }).lean();
  }
}

/**
 * Counts the upload against the member's day before anything is stored (one atomic $inc on a key): over the quota,
 * the count is given back and the upload refused, so racing uploads can never pass it together.
 */
async function reserveQuota(
  userId: string,
  bytes: number,
  quota: UploadQuota,
  now: Date,
): Promise<() => Promise<void>> {
  const day = dayKey(now);
  const id = `${userId}|${day}`;
  const after = await bumpQuota(id, day, 1, bytes);
  const release = async () =>
    void (await UploadQuotaModel.updateOne({ _id: id }, { $inc: { files: -1, bytes: -bytes } }));
  if ((after?.files ?? 0) > quota.files || (after?.bytes ?? 0) > quota.bytes) {
    await release();
    const mb = Math.round(quota.bytes / 1024 / 1024);
    throw new AppError(
      'UPLOAD_QUOTA_EXCEEDED',
      `今天上传的照片已达上限（每天 ${quota.files} 张、共 ${mb} MB），请明天再传`,
    );
  }
  return release;
}

/**
 * Stores a photo under a random 128-bit name and answers its URL. The GET route serves it without a session
 * (an <img> / <Image> cannot send a bearer token), so the unguessable name is what keeps it private. It stays
 * 'pending' until a write that uses it succeeds (uploads.cleanup.ts); unused, it is swept after a day.
 */
export async function saveUpload(
  store: FileStore,
  userId: string,
  data: Buffer,
  quota: UploadQuota,
  now = new Date(),
): Promise<UploadReply> {
  const kind = sniffImage(data);
  if (!kind) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '只能上传 JPG、PNG 或 WebP 格式的照片');
  const release = await reserveQuota(userId, data.length, quota, now);
  const key = `${monthKey(now)}/${randomBytes(16).toString('hex')}.${kind.ext}`;
  try {
    // The document first: a crash after it leaves a pending upload the sweep clears, never an untracked file.
    await UploadModel.create({ _id: key, userId, type: kind.type, bytes: data.length, at: now, state: 'pending' });
    await store.put(key, data);
  } catch (err) {
    await release();
    throw err;
  }
  return { url: `${UPLOAD_URL_PREFIX}${key}` };
}

export async function openUpload(store: FileStore, month: string, name: string) {
  const file = await store.get(`${month}/${name}`);
  if (!file) throw notFound('照片');
  return { ...file, type: TYPES[name.split('.').pop()!]! };
}
