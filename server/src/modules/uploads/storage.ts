import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Where uploaded files live. Keys are `<yyyy-mm>/<name>`, made by the server (never by the client). The disk store
 * below serves a single machine; an object store (OSS, COS, S3) implements the same two calls when the API runs
 * on several.
 */
export interface FileStore {
  put(key: string, data: Buffer): Promise<void>;
  /** null when there is no such file. */
  get(key: string): Promise<{ stream: Readable; size: number } | null>;
  /** Deletes the file; no error when it is already gone. */
  remove(key: string): Promise<void>;
}

// Photos, and 通知公告's attachments (attachments.ts), which the public photo route never serves.
const SAFE_KEY = /^\d{4}-\d{2}\/[a-f0-9]{32}\.(?:jpg|png|webp|pdf|docx|xlsx)$/;

function assertSafe(key: string): void {
  // The routes validate too; this keeps the store itself from ever leaving its folder.
  if (!SAFE_KEY.test(key)) throw new Error(`unsafe upload key ${key}`);
}

export function diskStore(root: string): FileStore {
  return {
    async put(key, data) {
      assertSafe(key);
      const file = path.join(root, key);
      await mkdir(path.dirname(file), { recursive: true });
      // Written aside then renamed: a reader never sees half a photo.
      const partial = `${file}.${process.pid}.part`;
      await writeFile(partial, data, { mode: 0o640 });
      await rename(partial, file);
    },
    async get(key) {
      assertSafe(key);
      const file = path.join(root, key);
      try {
        const info = await stat(file);
        return { stream: createReadStream(file), size: info.size };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    async remove(key) {
      assertSafe(key);
      await rm(path.join(root, key), { force: true });
    },
  };
}
