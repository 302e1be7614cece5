import type { Middleware } from 'koa';
import { ERRORS, type ErrorCode } from '@pioneer/shared';
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

/** Maps anything thrown below it to an AppError; unknown errors become INTERNAL with their text hidden. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
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

/** Top of the chain: every error leaves as JSON with a stable code; 5xx text never reaches the client. */
export function errorMiddleware(): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined && ctx.path.startsWith('/api/')) throw new AppError('NOT_FOUND', '接口不存在');
    } catch (err) {
      const appError = toAppError(err);
      ctx.status = appError.status;
      const retryAfter = (appError.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
      if (typeof retryAfter === 'number') ctx.set('Retry-After', String(retryAfter));
      ctx.body = {
        error: { code: appError.code, message: appError.message, ...(appError.details ? { details: appError.details } : {}) },
      };
      if (appError.status >= 500) ctx.app.emit('error', err, ctx);
    }
  };
}
