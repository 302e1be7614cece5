import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { AppState } from './types';

/** The caller's X-Request-Id when it is a plausible id (a proxy's or the app's own), else a new one. */
export const requestIdOf = (incoming: string): string => (/^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID());

/** One line per request: id, user, route, status, ms. Bodies and tokens are never logged. */
export function requestLogging(logger: Logger): Middleware<AppState> {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    ctx.state.requestId = requestIdOf(ctx.get('x-request-id'));
    ctx.state.log = logger.child({ reqId: ctx.state.requestId });
    ctx.set('X-Request-Id', ctx.state.requestId);
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      ctx.state.log.info(
        {
          method: ctx.method,
          route: ctx._matchedRoute ?? ctx.path,
          status: ctx.status,
          ms: Math.round(ms * 10) / 10,
          userId: ctx.state.user?.id,
        },
        'request',
      );
    }
  };
}
