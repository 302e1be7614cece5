import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { AppState } from './types';

/** The caller's X-Request-Id when it is a plausible id (a proxy's or the app's own), else a new one. */
export const requestIdOf = (incoming: string): string => (/^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID());

/**
 * `ctx.state.log`, the request's child logger (its lines carry `reqId`), made when something first logs through it:
 * most requests never do, and a pino child costs a bindings serialization and a few objects per request (issue 17).
 */
function lazyChild(state: AppState, logger: Logger, reqId: string): void {
  let child: Logger | undefined;
  Object.defineProperty(state, 'log', {
    get: () => (child ??= logger.child({ reqId })),
    configurable: true,
    enumerable: true,
  });
}

/**
 * One line per request: id, user, route, status, ms. Bodies and tokens are never logged. The line goes through the
 * app's logger with `reqId` as its first field (what the request's child would add), and is not built at all when
 * the level is off.
 */
export function requestLogging(logger: Logger): Middleware<AppState> {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    const reqId = requestIdOf(ctx.get('x-request-id'));
    ctx.state.requestId = reqId;
    lazyChild(ctx.state, logger, reqId);
    ctx.set('X-Request-Id', reqId);
    try {
      await next();
    } finally {
      if (logger.isLevelEnabled('info')) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        logger.info(
          {
            reqId,
            method: ctx.method,
            route: ctx._matchedRoute ?? ctx.path,
            status: ctx.status,
            ms: Math.round(ms * 10) / 10,
            userId: ctx.state.user?.id,
          },
          'request',
        );
      }
    }
  };
}
