import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Middleware } from 'koa';
import type { Role } from '@pioneer/shared';
import { AppError, forbidden, unauthenticated } from './errors';
import type { AppState, SessionUser } from './types';

export interface TokenIssuer {
  /** `claims`: what a read may trust instead of reading the member (modules/users/session-claims.ts), signed too. */
  sign(userId: string, claims?: object): string;
  verify(token: string): string;
  /** The verified subject and the token's session claims (`undefined` for a token signed without them). */
  session(token: string): Verified;
  /** The same session (subject, expiry) with new claims: a read that read the member renews what it may trust. */
  renew(token: string, claims: object): string | undefined;
}

interface Verified {
  sub: string;
  claims: unknown;
  exp: number;
}

/** A reply's renewed session token (modules/users/session-claims.ts); the client keeps it in place of its own. */
export const SESSION_TOKEN_HEADER = 'X-Session-Token';

/** How many verified tokens a process remembers (~3 MB): members send the same token for up to an hour. */
const VERIFIED_MAX = 10_000;

/**
 * HS256 sessions: the API stays stateless so it scales out behind any load balancer. The secret becomes a KeyObject
 * once: given a string, jsonwebtoken 9 first tries it as a PEM public key on every call (createPublicKey throws, then
 * createSecretKey), which was ~370 µs of CPU per verify and a quarter of a board read's CPU; with the KeyObject a
 * verify is ~10 µs. A secret key only ever verifies HS* signatures, and `algorithms` pins HS256.
 * A token that passed is remembered with its subject and expiry: the same bytes again (the rate limit and the auth
 * guard both ask, and a member's next requests carry the same token) need only the expiry checked, as jsonwebtoken
 * checks it. A refused token is never remembered, so anything else is verified in full.
 */
export function tokenIssuer(secret: string, ttlSeconds: number): TokenIssuer {
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  const verified = new Map<string, Verified>();
  const isPast = (exp: number) => Math.floor(Date.now() / 1000) >= exp;
  const remember = (token: string, known: Verified) => {
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
    verified.set(token, known);
  };
  const session = (token: string): Verified => {
    const known = verified.get(token);
    if (known && !isPast(known.exp)) return known;
    if (known) verified.delete(token);
    try {
      const payload = jwt.verify(token, key, { algorithms: ['HS256'] });
      // A string id only: a subject like `{ $ne: null }` would otherwise reach findById as a query operator
      // and sign the caller in as whichever user came first.
      const sub: unknown = typeof payload === 'string' ? null : payload.sub;
      if (typeof sub !== 'string' || !/^[\w-]{1,64}$/.test(sub)) throw new Error('no valid subject');
      const exp = typeof payload === 'string' ? undefined : payload.exp;
      const claims: unknown = typeof payload === 'string' ? undefined : payload.s;
      const known = { sub, claims, exp: exp ?? Infinity };
      remember(token, known);
      return known;
    } catch (err) {
      const expired = (err as Error).name === 'TokenExpiredError';
      throw unauthenticated(expired ? '登录已过期，请重新登录' : '登录凭证无效，请重新登录');
    }
  };
  return {
    sign: (userId, claims) =>
      jwt.sign(claims ? { s: claims } : {}, key, { subject: userId, expiresIn: ttlSeconds, algorithm: 'HS256' }),
    verify: (token) => session(token).sub,
    session,
    renew: (token, claims) => {
      const { sub, exp } = session(token);
      return Number.isFinite(exp) ? jwt.sign({ s: claims, exp }, key, { subject: sub, algorithm: 'HS256' }) : undefined;
    },
  };
}

/**
 * Verifies the bearer token on every request and loads the caller: `loadSessionUser` gets the method, so a write is
 * authorized on the member as stored and a read may use a view at most `config.sharedViewMs` old, or the token's
 * claims (modules/users/session-view.ts, session-claims.ts; the README's Security section). A read that read the
 * member answers with a renewed token (`X-Session-Token`: the same subject and expiry, claims as just read).
 */
export function requireAuth(
  tokens: TokenIssuer,
  loadSessionUser: (id: string, method: string, claims: unknown) => Promise<RenewableSession | null>,
): Middleware<AppState> {
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(header);
    if (!match) throw unauthenticated();
    const { sub, claims } = tokens.session(match[1]!);
    const loaded = await loadSessionUser(sub, ctx.method, claims);
    if (!loaded) throw unauthenticated('账号不存在，请重新登录');
    const { renewal, ...user } = loaded;
    const renewed = renewal && tokens.renew(match[1]!, renewal);
    if (renewed) ctx.set(SESSION_TOKEN_HEADER, renewed);
    ctx.state.user = renewal ? user : loaded;
    await next();
  };
}

/** The session a request runs as, and claims to renew the token with when the member was read as stored. */
export type RenewableSession = SessionUser & { renewal?: object };

export function requireRole(...roles: Role[]): Middleware<AppState> {
  return async (ctx, next) => {
    const user = ctx.state.user;
    if (!user) throw unauthenticated();
    if (!roles.some((r) => user.roles.includes(r))) throw forbidden();
    await next();
  };
}

export function sessionUser(state: AppState): SessionUser {
  if (!state.user) throw new AppError('UNAUTHENTICATED');
  return state.user;
}
