import type { Middleware } from 'koa';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../../../config';
import type { TokenIssuer } from './auth';
import { AppError } from './errors';
import type { AppState } from './types';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const LOGIN_PATHS = new Set(['/api/v1/auth/wechat', '/api/v1/auth/dev']);
const API_PREFIX = '/api/v1/';

type Limiter = (key: string) => Promise<void>;

/**
 * A fixed one-minute window per key, in this process's memory: enough for one service process. Several
 * replicas would share a RateLimiterMongo/RateLimiterRedis from the same library instead (same `consume` API).
 * `perMinute` 0 means the limit is off.
 */
function limiter(prefix: string, perMinute: number): Limiter | null {
  if (perMinute <= 0) return null;
  const store = new RateLimiterMemory({ keyPrefix: prefix, points: perMinute, duration: 60 });
  return async (key) => {
    try {
      await store.consume(key);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      // Whole seconds, at least one: Retry-After takes an integer, and 0 would invite an immediate retry.
      throw new AppError('RATE_LIMITED', undefined, {
        retryAfterSeconds: Math.max(1, Math.ceil(err.msBeforeNext / 1000)),
      });
    }
  };
}

/** The caller's user id from a valid bearer token, without a database read; null when there is none. */
function bearerUser(tokens: TokenIssuer, header: string): string | null {
  const match = /^Bearer (\S+)$/.exec(header);
  if (!match) return null;
  try {
    return tokens.verify(match[1]!);
  } catch {
    return null; // the route's auth guard answers 401; the IP limit still counts the request
  }
}

/**
 * The caller's address: Koa's `ctx.ip`, which believes X-Forwarded-For only as far as TRUSTED_PROXIES says
 * (app.ts sets `proxy` and `maxIpsCount` from it). With 0 it is the socket's address, so a client cannot pick a
 * fresh identity per request by writing the header itself.
 */
const clientIp = (ctx: { ip: string }) => ctx.ip;

/**
 * Login per IP; every other write under /api/v1 per member (when the token is valid) and per IP; reads per member,
 * generously (600 a minute by default: a member scrolling boards never meets it, one account cannot keep the
 * engine busy). It runs before the body is parsed and before the idempotency store, so a refused request reads
 * nothing and writes nothing.
 */
export function rateLimits(limits: Config['rateLimit'], tokens: TokenIssuer): Middleware<AppState> {
  const login = limiter('login-ip', limits.loginPerMinIp);
  const perUser = limiter('write-user', limits.writesPerMinUser);
  const perIp = limiter('write-ip', limits.writesPerMinIp);
  const reads = limiter('read-user', limits.readsPerMinUser);
  return async (ctx, next) => {
    if (!ctx.path.startsWith(API_PREFIX)) return next();
    if (!WRITE_METHODS.has(ctx.method)) {
      const reader = reads && ctx.method === 'GET' ? bearerUser(tokens, ctx.get('authorization')) : null;
      if (reader) await reads!(reader);
      return next();
    }
    if (LOGIN_PATHS.has(ctx.path)) {
      await login?.(clientIp(ctx));
      return next();
    }
    const userId = perUser ? bearerUser(tokens, ctx.get('authorization')) : null;
    // The member's own limit first: a member over it does not use up the shared office address's allowance.
    if (userId) await perUser!(userId);
    await perIp?.(clientIp(ctx));
    return next();
  };
}
