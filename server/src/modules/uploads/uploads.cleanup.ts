import path from 'node:path';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { UPLOAD_URL_PREFIX, UPLOAD_URL_RE, dayKey } from '@pioneer/shared';
import type { Config } from '../../../../config';
import type { AppState } from '../../http/types';
import { diskStore, type FileStore } from './storage';
import { UploadModel, UploadQuotaModel } from './uploads.model';

/** An upload nothing used for this long is removed (a member fills in the form within minutes, offline within hours). */
export const UNUSED_UPLOAD_TTL_MS = 24 * 3600 * 1000;
/** The sweep's bounds: documents per batch and batches per run; what is left waits for the next run. */
export const SWEEP_BATCH = 100;
export const SWEEP_MAX_BATCHES = 50;
const SWEEP_EVERY_MS = 24 * 3600 * 1000;
/** More upload URLs than any body carries (a few photo lists of at most 9): the rest are not looked at. */
const MAX_KEYS_PER_BODY = 64;

/** Storage keys of our own upload URLs anywhere in a JSON body (photo lists, identity photo, avatar). */
export function uploadKeysIn(body: unknown): string[] {
  const keys = new Set<string>();
  const visit = (value: unknown, depth: number): void => {
    if (keys.size >= MAX_KEYS_PER_BODY || depth > 6) return;
    if (typeof value === 'string') {
      if (UPLOAD_URL_RE.test(value)) keys.add(value.slice(UPLOAD_URL_PREFIX.length));
    } else if (Array.isArray(value)) {
      for (const v of value) visit(v, depth + 1);
    } else if (value && typeof value === 'object') {
      for (const v of Object.values(value)) visit(v, depth + 1);
    }
  };
  visit(body, 0);
  return [...keys];
}

/** Marks uploads as used by a document: key reads and writes only (`_id` in a list). Unknown keys are ignored. */
export async function markUploadsUsed(keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await UploadModel.updateMany({ _id: { $in: keys }, state: 'pending' }, { $set: { state: 'used' } });
}

/**
 * A write that succeeds keeps the uploads its body names: every route that stores a photo URL (service records,
 * wishes, 践诺 progress, activity minutes, identity photo, avatar) takes it from the body, and only our own upload
 * URLs pass the shared schemas, so one middleware covers them all and a new route cannot forget. Marked after the
 * write, so a refused form leaves its photos to the sweep.
 */
export function keepUsedUploads(): Middleware<AppState> {
  return async (ctx, next) => {
    await next();
    if (!['POST', 'PUT', 'PATCH'].includes(ctx.method) || ctx.status < 200 || ctx.status >= 300) return;
    const keys = uploadKeysIn((ctx.request as { body?: unknown }).body);
    try {
      await markUploadsUsed(keys);
    } catch (err) {
      // The write itself succeeded; failing its reply would invite a retry. The photo may be swept in a day.
      ctx.state.log?.warn({ err, keys }, 'could not mark uploads as used');
    }
  };
}

export interface SweepResult {
  files: number;
  quotaDays: number;
}

/**
 * Deletes uploads still pending a day after they were made, file and document, in bounded batches; and the quota
 * counters of past days. Each upload's document goes first, and only if it is still pending at that moment, so an
 * upload used meanwhile is never deleted. A deliberate filter query (not a key read): once at start-up and daily.
 */
export async function sweepUploads(
  store: FileStore,
  now = new Date(),
  batch = SWEEP_BATCH,
  maxBatches = SWEEP_MAX_BATCHES,
): Promise<SweepResult> {
  const cutoff = new Date(now.getTime() - UNUSED_UPLOAD_TTL_MS);
  let files = 0;
  for (let round = 0; round < maxBatches; round++) {
    const stale = await UploadModel.find({ state: 'pending', at: { $lt: cutoff } }, { _id: 1 })
      .limit(batch)
      .lean();
    for (const { _id } of stale) {
      const gone = await UploadModel.deleteOne({ _id, state: 'pending' });
      if (gone.deletedCount !== 1) continue;
      await store.remove(_id);
      files += 1;
    }
    if (stale.length < batch) break;
  }
  const yesterday = dayKey(now.getTime() - 24 * 3600 * 1000);
  let quotaDays = 0;
  for (let round = 0; round < maxBatches; round++) {
    const old = await UploadQuotaModel.find({ day: { $lt: yesterday } }, { _id: 1 })
      .limit(batch)
      .lean();
    if (old.length > 0)
      quotaDays += (await UploadQuotaModel.deleteMany({ _id: { $in: old.map((d) => d._id) } })).deletedCount;
    if (old.length < batch) break;
  }
  return { files, quotaDays };
}

/** Runs the sweep now and then daily (main.ts); the timer does not hold the process open. */
export function scheduleUploadSweeps(config: Pick<Config, 'dataDir'>, logger: Logger): NodeJS.Timeout {
  const store = diskStore(path.join(config.dataDir, 'uploads'));
  const run = () =>
    sweepUploads(store)
      .then((r) => r.files + r.quotaDays > 0 && logger.info(r, 'removed uploads nothing used for a day'))
      .catch((err: unknown) => logger.warn({ err }, 'upload sweep failed; it runs again tomorrow'));
  void run();
  const timer = setInterval(() => void run(), SWEEP_EVERY_MS);
  timer.unref();
  return timer;
}
