import { createHash } from 'node:crypto';
import type { Middleware } from 'koa';
import { Schema, model } from 'mongoose';
import type { TokenIssuer } from './auth';
import { isDuplicateKey } from '../db/connect';
import { IdempotencyKeySchema } from '@pioneer/shared';
import { AppError, invalid } from './errors';
import type { AppState } from './types';

/**
 * A write's first reply, kept under its Idempotency-Key so a resend (weak network, double tap, offline queue)
 * gets the same reply instead of doing the work twice. `_id` hashes the caller's credentials, the route and the
 * key, so keys never collide across members.
 */
const ReplaySchema = new Schema(
  {
    _id: { type: String, required: true },
    state: { type: String, enum: ['pending', 'done'], required: true },
    status: { type: Number, default: null },
    body: { type: Schema.Types.Mixed, default: null },
    at: { type: Date, required: true },
    expiresAt: { type: Date, default: null },
  },
  { versionKey: false, minimize: false },
);
ReplaySchema.index({ at: 1 });
// MongoDB expires replies itself (a TTL index on its own field: changing the options of the existing `at` index
// would stop an existing database from starting). FerretDB creates only unique indexes (db/connect.ts
// ensureIndexes), so the embedded engine relies on `sweepOldReplies` below; every read checks the age anyway.
ReplaySchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
export const ReplayModel = model('IdempotentReply', ReplaySchema, 'idempotent_replies');

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const WAIT_FOR_FIRST_MS = 5_000;
/** Replies are kept a day: long enough for any offline queue to drain. */
export const REPLAY_TTL_MS = 24 * 3600 * 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForFirst(id: string) {
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  while (Date.now() < deadline) {
    const replay = await ReplayModel.findById(id).lean();
    if (!replay || isStale(replay.at)) return null;
    if (replay.state === 'done') return replay;
    await sleep(100);
  }
  throw new AppError('CONFLICT', '同一请求正在处理中，请稍后');
}

/**
 * Whose key it is: the verified member, so a resend after the app renewed its token still finds the first reply
 * (a token is re-signed with a new `iat` every second). Null without a valid token: such a request has no owner,
 * so nothing is stored for it and it can read nothing stored. (A sign-in reply holds a session token: stored
 * under a key alone, anyone sending the same key would have received it.)
 */
function callerOf(authorization: string, tokens?: TokenIssuer): string | null {
  const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(authorization);
  if (!tokens || !match) return null;
  try {
    return `user:${tokens.verify(match[1]!)}`;
  } catch {
    return null;
  }
}

const isStale = (at: Date | string, now = Date.now()) => now - new Date(at).getTime() >= REPLAY_TTL_MS;

/**
 * Claims the key for this request: true when it is ours to do. A reply older than the TTL (not yet swept) is
 * ignored: it is removed, by its `at` so a fresh claim racing us survives, and the key is claimed again once.
 */
async function claimKey(id: string): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const at = new Date();
      await ReplayModel.create({ _id: id, state: 'pending', at, expiresAt: new Date(at.getTime() + REPLAY_TTL_MS) });
      return true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const held = await ReplayModel.findById(id).lean();
      if (!held || !isStale(held.at)) return false;
      await ReplayModel.deleteOne({ _id: id, at: held.at });
    }
  }
  return false;
}

/**
 * A write's Idempotency-Key by the one shared rule (IdempotencyKeySchema): undefined without the header or on a
 * read, 400 with the rule in Chinese when malformed. The replay store and every route that derives an id from the
 * key read it here, so they can never disagree about which keys count.
 */
export function idempotencyKeyOf(ctx: { method: string; get(field: string): string }): string | undefined {
  const raw = ctx.get('idempotency-key');
  if (!raw || !WRITE_METHODS.has(ctx.method)) return undefined;
  const parsed = IdempotencyKeySchema.safeParse(raw);
  if (!parsed.success) throw invalid(parsed.error.issues[0]!.message);
  return parsed.data;
}

export function idempotentWrites(tokens?: TokenIssuer): Middleware<AppState> {
  return async (ctx, next) => {
    const key = idempotencyKeyOf(ctx);
    if (!key) return next();
    sweepNowAndThen((err) => ctx.state.log?.warn({ err }, 'idempotent reply sweep failed'));
    const caller = callerOf(ctx.get('authorization'), tokens);
    if (!caller) return next();
    const id = createHash('sha256').update(`${caller}\n${ctx.method} ${ctx.path}\n${key}`).digest('hex');
    if (!(await claimKey(id))) {
      const first = await waitForFirst(id);
      if (first) {
        ctx.status = first.status ?? 200;
        if (first.body !== null) ctx.body = first.body;
        ctx.set('Idempotent-Replay', 'true');
        return;
      }
      // The first attempt failed and gave its key back: this one does the work.
      return next();
    }
    try {
      await next();
    } catch (err) {
      await ReplayModel.deleteOne({ _id: id });
      throw err;
    }
    if (ctx.status >= 200 && ctx.status < 300) {
      await ReplayModel.updateOne({ _id: id }, { $set: { state: 'done', status: ctx.status, body: ctx.body ?? null } });
    } else {
      await ReplayModel.deleteOne({ _id: id });
    }
  };
}

/**
 * Start-up housekeeping: forgets replies older than a day (a bounded sweep, then every 10 minutes while running:
 * `startReplySweeper`), and every reply still `pending`: the process that was
 * doing that work is gone (killed mid-request), so a retry must do it (each effect is idempotent by its own key)
 * instead of waiting for it and getting 409. Deliberate scans, once per start. (With several API replicas this
 * would forget only pending replies older than the longest request.)
 */
export async function forgetOldReplies(now = new Date()): Promise<number> {
  const old = await sweepOldReplies(now);
  const abandoned = await ReplayModel.deleteMany({ state: 'pending' });
  return old + (abandoned.deletedCount ?? 0);
}

/** How much one sweep removes at most: a batch is a bounded scan (`limit`), its deletes are key deletes. */
export const SWEEP_BATCH = 500;
export const SWEEP_MAX_BATCHES = 20;

/**
 * Removes replies older than the TTL while the process runs (MongoDB's TTL index does the same on its own; the
 * embedded engine has none). Bounded: at most SWEEP_MAX_BATCHES batches of SWEEP_BATCH, each found by a scan that
 * stops at `limit` and deleted by `_id`; what is left waits for the next sweep (and is ignored when read).
 */
export async function sweepOldReplies(now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - REPLAY_TTL_MS);
  let removed = 0;
  for (let batch = 0; batch < SWEEP_MAX_BATCHES; batch += 1) {
    const old = await ReplayModel.find({ at: { $lt: cutoff } }, { _id: 1 })
      .limit(SWEEP_BATCH)
      .lean<{ _id: string }[]>();
    if (old.length === 0) break;
    const res = await ReplayModel.bulkWrite(
      old.map(({ _id }) => ({ deleteOne: { filter: { _id } } })),
      { ordered: false },
    );
    removed += res.deletedCount ?? 0;
    if (old.length < SWEEP_BATCH) break;
  }
  return removed;
}

/** How often a running process sweeps: the first write after this long starts one in the background. */
export const SWEEP_EVERY_MS = 10 * 60_000;
// Start-up has just swept (forgetOldReplies), so the first in-process sweep is one interval later.
let lastSweep = Date.now();
let sweeping = false;

/**
 * Driven by writes rather than a timer: replies accumulate only while writes arrive, and the service keeps no
 * timers of its own. One sweep at a time per process; a failure is logged and retried next interval.
 */
function sweepNowAndThen(onError: (err: unknown) => void): void {
  if (sweeping || Date.now() - lastSweep < SWEEP_EVERY_MS) return;
  sweeping = true;
  lastSweep = Date.now();
  sweepOldReplies()
    .catch(onError)
    .finally(() => (sweeping = false));
}
