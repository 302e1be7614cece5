import { createHash } from 'node:crypto';
import type { Middleware } from 'koa';
import { Schema, model } from 'mongoose';
import type { TokenIssuer } from './auth';
import { isDuplicateKey } from '../db/connect';
import { AppError } from './errors';
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
  },
  { versionKey: false, minimize: false },
);
ReplaySchema.index({ at: 1 });
export const ReplayModel = model('IdempotentReply', ReplaySchema, 'idempotent_replies');

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY_PATTERN = /^[\w-]{8,128}$/;
const WAIT_FOR_FIRST_MS = 5_000;
/** Replies are kept a day: long enough for any offline queue to drain. */
export const REPLAY_TTL_MS = 24 * 3600 * 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForFirst(id: string) {
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  while (Date.now() < deadline) {
    const replay = await ReplayModel.findById(id).lean();
    if (!replay) return null;
    if (replay.state === 'done') return replay;
    await sleep(100);
  }
  throw new AppError('CONFLICT', '同一请求正在处理中，请稍后');
}

/**
 * Whose key it is: the verified member, so a resend after the app renewed its token still finds the first reply
 * (a token is re-signed with a new `iat` every second). An unverifiable header stays as it is: that request is
 * refused by the route's auth anyway, and can never read a member's stored reply.
 */
function callerOf(authorization: string, tokens?: TokenIssuer): string {
  const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(authorization);
  if (!tokens || !match) return `raw:${authorization}`;
  try {
    return `user:${tokens.verify(match[1]!)}`;
  } catch {
    return `raw:${authorization}`;
  }
}

export function idempotentWrites(tokens?: TokenIssuer): Middleware<AppState> {
  return async (ctx, next) => {
    const key = ctx.get('idempotency-key');
    if (!WRITE_METHODS.has(ctx.method) || !KEY_PATTERN.test(key)) return next();
    const id = createHash('sha256').update(`${callerOf(ctx.get('authorization'), tokens)}\n${ctx.method} ${ctx.path}\n${key}`).digest('hex');
    try {
      await ReplayModel.create({ _id: id, state: 'pending', at: new Date() });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
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
 * Start-up housekeeping: forgets replies older than a day, and every reply still `pending`: the process that was
 * doing that work is gone (killed mid-request), so a retry must do it (each effect is idempotent by its own key)
 * instead of waiting for it and getting 409. Deliberate scans, once per start. (With several API replicas this
 * would forget only pending replies older than the longest request.)
 */
export async function forgetOldReplies(now = new Date()): Promise<number> {
  const old = await ReplayModel.deleteMany({ at: { $lt: new Date(now.getTime() - REPLAY_TTL_MS) } });
  const abandoned = await ReplayModel.deleteMany({ state: 'pending' });
  return (old.deletedCount ?? 0) + (abandoned.deletedCount ?? 0);
}
