import { randomBytes } from 'node:crypto';
import { UPLOAD_URL_PREFIX, monthKey, type UploadReply } from '@pioneer/shared';
import { AppError, notFound } from '../../http/errors';
import type { FileStore } from './storage';
import { UploadModel } from './uploads.model';

export interface ImageKind {
  ext: 'jpg' | 'png' | 'webp';
  type: 'image/jpeg' | 'image/png' | 'image/webp';
}

const startsWith = (buf: Buffer, bytes: number[], at = 0) => bytes.every((b, i) => buf[at + i] === b);

/** What the file's first bytes say it is. The name and the Content-Type a client sends are not evidence. */
export function sniffImage(buf: Buffer): ImageKind | null {
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return { ext: 'jpg', type: 'image/jpeg' };
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { ext: 'png', type: 'image/png' };
  if (buf.length >= 12 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP') return { ext: 'webp', type: 'image/webp' };
  return null;
}

const TYPES: Record<string, ImageKind['type']> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/**
 * Stores a photo under a random 128-bit name and answers its URL. The GET route serves it without a session
 * (an <img> / <Image> cannot send a bearer token), so the unguessable name is what keeps it private.
 */
export async function saveUpload(store: FileStore, userId: string, data: Buffer, now = new Date()): Promise<UploadReply> {
  const kind = sniffImage(data);
  if (!kind) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '只能上传 JPG、PNG 或 WebP 格式的照片');
  const key = `${monthKey(now)}/${randomBytes(16).toString('hex')}.${kind.ext}`;
  await store.put(key, data);
  await UploadModel.create({ _id: key, userId, type: kind.type, bytes: data.length, at: now });
  return { url: `${UPLOAD_URL_PREFIX}${key}` };
}

export async function openUpload(store: FileStore, month: string, name: string) {
  const file = await store.get(`${month}/${name}`);
  if (!file) throw notFound('照片');
  return { ...file, type: TYPES[name.split('.').pop()!]! };
}
