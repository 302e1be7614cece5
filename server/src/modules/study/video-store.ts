import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import multer from '@koa/multer';
import type { Context, Next } from 'koa';
import { monthKey, VIDEO_FILE_RE, VIDEO_RULES } from '@pioneer/shared';
import { AppError, invalid, notFound } from '../../http/errors';
import { probeMp4, type Mp4Info } from './mp4';

/**
 * Video files on disk under `<dataDir>/videos`: an upload is streamed by multer's disk storage into `incoming/`
 * (never held whole in memory; over 200 MB it is cut off and removed), then probed from its bytes and renamed to
 * `<yyyy-mm>/<32 hex>.mp4`. Served in byte ranges for the player's seeking.
 */
export interface VideoStore {
  root: string;
  /** The multipart middleware: leaves `ctx.file.path` on disk. */
  receive: (ctx: Context, next: Next) => Promise<unknown>;
  /** Probes the received file and keeps it under a server-made name; removes it when it is not H.264 MP4. */
  keep(tmpPath: string, now: Date): Promise<{ file: string; bytes: number; info: Mp4Info }>;
  open(file: string): Promise<{ size: number; stream(range?: { start: number; end: number }): Readable }>;
}

const MAX_MB = VIDEO_RULES.maxBytes / 1024 / 1024;

export function videoStore(root: string): VideoStore {
  const incoming = path.join(root, 'incoming');
  const upload = multer({
    storage: multer.diskStorage({
      destination: (_req, _file, cb) =>
        void mkdir(incoming, { recursive: true }).then(
          () => cb(null, incoming),
          (err: Error) => cb(err, incoming),
        ),
      filename: (_req, _file, cb) => cb(null, `${randomBytes(16).toString('hex')}.part`),
    }),
    limits: { fileSize: VIDEO_RULES.maxBytes, files: 1, fields: 5 },
  });
  const single = upload.single(VIDEO_RULES.field);

  return {
    root,
    async receive(ctx, next) {
      try {
        return await single(ctx as never, next);
      } catch (err) {
        if (err instanceof AppError) throw err;
        if ((err as { code?: string }).code === 'LIMIT_FILE_SIZE')
          throw new AppError('PAYLOAD_TOO_LARGE', `视频不能超过 ${MAX_MB} MB`);
        throw invalid('请以 file 字段上传一个视频文件');
      }
    },
    async keep(tmpPath, now) {
      const handle = await open(tmpPath, 'r');
      let info: Mp4Info | null;
      let bytes: number;
      try {
        bytes = (await handle.stat()).size;
        info = await probeMp4(handle, bytes);
      } finally {
        await handle.close();
      }
      if (!info) {
        await rm(tmpPath, { force: true });
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', '只能上传 H.264 编码的 MP4 视频');
      }
      if (info.seconds < VIDEO_RULES.minSeconds || info.seconds > VIDEO_RULES.maxSeconds) {
        await rm(tmpPath, { force: true });
        throw invalid(`视频时长须在 ${VIDEO_RULES.minSeconds} 秒到 ${VIDEO_RULES.maxSeconds / 3600} 小时之间`);
      }
      const file = `${monthKey(now)}/${randomBytes(16).toString('hex')}.mp4`;
      await mkdir(path.join(root, path.dirname(file)), { recursive: true });
      await rename(tmpPath, path.join(root, file));
      return { file, bytes, info };
    },
    async open(file) {
      // The key is the server's own, checked again here so the store never leaves its folder.
      if (!VIDEO_FILE_RE.test(file)) throw new Error(`unsafe video key ${file}`);
      const full = path.join(root, file);
      const info = await stat(full).catch(() => null);
      if (!info) throw notFound('视频文件');
      return { size: info.size, stream: (range) => createReadStream(full, range) };
    },
  };
}

export type ByteRange = { start: number; end: number } | 'unsatisfiable' | null;

/**
 * One range of a `Range` header (RFC 9110 §14): `bytes=a-b`, `bytes=a-`, `bytes=-n`. Null when there is none or it
 * is not one we read (several ranges, other units): the whole file is sent, which the RFC allows.
 */
export function parseRange(header: string | undefined, size: number): ByteRange {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}
