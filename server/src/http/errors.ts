import type { Middleware } from 'koa';
import { ERRORS, type ErrorCode } from '@pioneer/shared';
import type { Logger } from 'pino';
import { engineState } from '../db/engine-state';
import type { AppState } from './types';

/** The one error type services throw; the middleware below turns it into `{ error: { code, message } }`. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: unknown,
  ) {
    super(message ?? ERRORS[code].message);
    this.status = ERRORS[code].status;
  }
}

export const notFound = (what = '内容') => new AppError('NOT_FOUND', `${what}不存在`);
export const forbidden = (message?: string) => new AppError('FORBIDDEN', message);
export const unauthenticated = (message?: string) => new AppError('UNAUTHENTICATED', message);
export const invalid = (message: string, details?: unknown) => new AppError('VALIDATION_FAILED', message, details);

interface MaybeHttpError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  code?: number | string;
  name?: string;
  type?: string;
  message?: string;
}

/** Seconds a client should wait before retrying while the database is away (the engine restarts in ~1-3 s). */
export const DB_RETRY_AFTER_SECONDS = 2;

export const dbUnavailable = () =>
  new AppError('DB_UNAVAILABLE', undefined, { retryAfterSeconds: DB_RETRY_AFTER_SECONDS });

/** The driver's and mongoose's ways of saying "no database reachable right now" (nothing was applied, or the reply was lost). */
const UNREACHABLE_NAMES = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
]);

/**
 * Raw socket errors: the driver lets one through unwrapped when it writes on a connection the engine has just
 * closed ("This socket has been ended by the other party", EPIPE; seen when the engine was killed mid-burst). The
 * service opens no other sockets whose errors reach this middleware (WeChat's are UPSTREAM_FAILED).
 */
const SOCKET_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED']);

export function isDatabaseUnreachable(err: unknown): boolean {
  return causeChain(err).some((e) => {
    if (UNREACHABLE_NAMES.has(e.name ?? '') || SOCKET_CODES.has(String(e.code))) return true;
    return e.name === 'MongooseError' && /buffering timed out/.test(e.message ?? '');
  });
}

/**
 * The error and what it wraps: a bulk write (points' ledger + totals) that loses its socket throws a
 * MongoBulkWriteError whose errorResponse is the MongoNetworkError (seen in CI with the engine killed mid-burst).
 * Three levels is more than the driver nests; the bound keeps a cyclic cause from looping.
 */
function causeChain(err: unknown): MaybeHttpError[] {
  const chain: MaybeHttpError[] = [];
  let e = err as (MaybeHttpError & { errorResponse?: unknown; cause?: unknown }) | undefined;
  while (e && typeof e === 'object' && chain.length < 4 && !chain.includes(e)) {
    chain.push(e);
    e = (e.errorResponse ?? e.cause) as typeof e;
  }
  return chain;
}

function isDriverError(err: unknown): boolean {
  return /^Mongo/.test(((err ?? {}) as MaybeHttpError).name ?? '');
}

/** SQLite's SQLITE_FULL as FerretDB passes it on, the OS's ENOSPC, and MongoDB's OutOfDiskSpace (14031). */
export function isStorageFull(err: unknown): boolean {
  const e = (err ?? {}) as MaybeHttpError;
  return (
    e.code === 14031 || /database or disk is full|SQLITE_FULL|no space left on device|ENOSPC/i.test(e.message ?? '')
  );
}

/** Maps anything thrown below it to an AppError; unknown errors become INTERNAL with their text hidden. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (isStorageFull(err)) return new AppError('STORAGE_FULL');
  if (isDatabaseUnreachable(err)) return dbUnavailable();
  // Any driver error while the engine is known to be down is the outage, whatever shape the driver gave it.
  if (isDriverError(err) && !engineState.serving) return dbUnavailable();
  const e = (err ?? {}) as MaybeHttpError;
  const status = e.status ?? e.statusCode;
  if (status === 413 || e.type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE');
  if (status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE');
  if (e.code === 11000) return new AppError('CONFLICT');
  if (e.name === 'CastError' || e.name === 'ValidationError') return invalid('提交的内容有误');
  if (status === 400 || e.type === 'entity.parse.failed') return invalid('请求格式不正确');
  if (status === 404) return new AppError('NOT_FOUND');
  return new AppError('INTERNAL');
}

/** One clear line per refused write, and the engine state learns of it (readiness off, recovery probes). */
function reportStorageFull(log: Logger | undefined, err: unknown): void {
  log?.error(
    { cause: (err as MaybeHttpError).message },
    'database disk is full: write refused with 507 STORAGE_FULL, nothing written; free disk space to recover',
  );
  engineState.setStorageFull(true);
}

/** The outage itself is logged once by the supervisor; a refusal by the database gate is expected, not an error. */
function reportUnreachable(log: Logger | undefined, err: unknown): void {
  if (!(err instanceof AppError))
    log?.warn({ cause: (err as MaybeHttpError).name }, 'database unreachable: answered 503 DB_UNAVAILABLE');
}

/** Top of the chain: every error leaves as JSON with a stable code; 5xx text never reaches the client. */
export function errorMiddleware(): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined && ctx.path.startsWith('/api/'))
        throw new AppError('NOT_FOUND', '接口不存在');
    } catch (err) {
      const appError = toAppError(err);
      ctx.status = appError.status;
      const retryAfter = (appError.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
      if (typeof retryAfter === 'number') ctx.set('Retry-After', String(retryAfter));
      ctx.body = {
        error: {
          code: appError.code,
          message: appError.message,
          ...(appError.details ? { details: appError.details } : {}),
        },
      };
      if (appError.code === 'STORAGE_FULL') reportStorageFull(ctx.state.log, err);
      else if (appError.code === 'DB_UNAVAILABLE') reportUnreachable(ctx.state.log, err);
      else if (appError.status >= 500) ctx.app.emit('error', err, ctx);
    }
  };
}
