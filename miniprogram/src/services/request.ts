import Taro from '@tarojs/taro';
import { ApiError, NETWORK_ERROR_CODE, NETWORK_MESSAGE } from './api-error';
import { clearToken, getToken, goToLogin, setToken } from './session';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  method?: Method;
  /** Path under /api/v1, e.g. '/me'. */
  path: string;
  query?: Query;
  body?: unknown;
  /** Do not show a toast for server errors (the caller shows the error itself). Network and 401 handling still apply. */
  quiet?: boolean;
  /** A write's Idempotency-Key chosen by the caller (the offline queue keeps one per item across app restarts). */
  idempotencyKey?: string;
  /** Extra attempts when no reply came back; defaults to MAX_RETRIES. */
  retries?: number;
  /** No toast when the network failed (the caller keeps the item for later). */
  quietNetwork?: boolean;
}

export const API_PREFIX = '/api/v1';
export const TIMEOUT_MS = 10_000;
/** Extra attempts after the first one when the network (not the server) failed. */
export const MAX_RETRIES = 2;
export const RETRY_BASE_MS = 400;

const apiBase: string = typeof API_BASE === 'string' ? API_BASE : '';

export function buildUrl(path: string, query?: Query): string {
  const qs = Object.entries(query ?? {})
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return `${apiBase}${API_PREFIX}${path}${qs ? `?${qs}` : ''}`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A write's Idempotency-Key: made once per member action and reused by every resend of it. */
export function newIdempotencyKey(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Shown for a 429 whose body is not ours (a gateway's). */
export const RATE_LIMITED_MESSAGE = '操作太频繁，请稍后再试';
/** Used when a 429 has no readable Retry-After. */
export const DEFAULT_COOL_DOWN_MS = 10_000;

/**
 * After a 429, writes wait until the server's Retry-After has passed: sending them anyway would only be refused
 * again and keep the member's (or the whole office's shared address's) window full. Reads are never limited.
 */
let writesBlockedUntil = 0;

const headerValue = (header: Record<string, string> | undefined, name: string) =>
  Object.entries(header ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];

function retryAfterMs(header: Record<string, string> | undefined): number {
  const value = headerValue(header, 'retry-after');
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 600) * 1000 : DEFAULT_COOL_DOWN_MS;
}

/**
 * My points' sequence (the server's X-Points-Version): a reply to a request that paid me says it, and every request
 * sends back the highest seen, so a server process holding older totals of mine reads them again (my points and rank
 * are never behind my own actions, whichever process answers). Kept with the token it was seen under: another
 * member signing in on this phone starts from none.
 */
export const POINTS_VERSION_HEADER = 'X-Points-Version';
let pointsVersion: { token: string; seq: number } | null = null;

/** A reply's sequence: a decimal integer of at most 12 digits, else nothing (never an error). */
export function keepPointsVersion(header: Record<string, string> | undefined, token: string | null): void {
  const value = headerValue(header, POINTS_VERSION_HEADER.toLowerCase());
  if (!token || value === undefined || !/^\d{1,12}$/.test(value)) return;
  const seq = Number(value);
  if (pointsVersion?.token !== token || seq > pointsVersion.seq) pointsVersion = { token, seq };
}

/** The sequence to send with a request under `token`, if one was seen under it. */
export function pointsVersionFor(token: string | null): string | undefined {
  return token && pointsVersion?.token === token ? String(pointsVersion.seq) : undefined;
}

/**
 * A renewed session token (the server's X-Session-Token): a read that had to read my member record answers with my
 * session's token again (same member, same expiry), now carrying what later reads may trust instead of reading me
 * (server: modules/users/session-claims.ts). Taken only in place of the token the request went with (a sign-in
 * meanwhile keeps its own), and my points' sequence moves with it.
 */
export function keepRenewedToken(header: Record<string, string> | undefined, sentWith: string | null): void {
  const renewed = headerValue(header, 'x-session-token');
  if (!sentWith || !renewed || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(renewed) || getToken() !== sentWith) return;
  setToken(renewed);
  if (pointsVersion?.token === sentWith) pointsVersion = { token: renewed, seq: pointsVersion.seq };
}

/** When the server last answered 503 (its database restarting): a write queued just after it is retried soon. */
let lastUnavailableAt = 0;

export function serverUnavailableRecently(withinMs = 10_000): boolean {
  return Date.now() - lastUnavailableAt < withinMs;
}

/** For tests: forget a cool-down. */
export function resetRateLimitCoolDown(): void {
  writesBlockedUntil = 0;
}

function toast(title: string): void {
  void Taro.showToast({ title, icon: 'none', duration: 2500 });
}

/** Turns a non-2xx reply into an ApiError, trusting the server's `{ error: { code, message } }` when present. */
export function toApiError(status: number, data: unknown): ApiError {
  const err = (data as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code =
    typeof err?.code === 'string'
      ? err.code
      : status === 401
        ? 'UNAUTHENTICATED'
        : status === 429
          ? 'RATE_LIMITED'
          : `HTTP_${status}`;
  const message =
    typeof err?.message === 'string' && err.message
      ? err.message
      : status === 401
        ? '请先登录'
        : status === 429
          ? RATE_LIMITED_MESSAGE
          : status >= 500
            ? '服务器开小差了，请稍后重试'
            : '请求失败，请稍后重试';
  return new ApiError(code, message, status);
}

/**
 * The one way the app talks to the API. Adds base URL, bearer token, timeout and JSON; retries only when no
 * reply came back at all (writes carry one Idempotency-Key across retries so the server applies them once).
 */
export async function request<T>(opts: RequestOptions): Promise<T> {
  const method = opts.method ?? 'GET';
  const url = buildUrl(opts.path, opts.query);
  const header: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const token = getToken();
  if (token) header.Authorization = `Bearer ${token}`;
  const seen = pointsVersionFor(token);
  if (seen) header[POINTS_VERSION_HEADER] = seen;
  if (method !== 'GET') header['Idempotency-Key'] = opts.idempotencyKey ?? newIdempotencyKey();
  if (method !== 'GET' && Date.now() < writesBlockedUntil) {
    const error = new ApiError('RATE_LIMITED', RATE_LIMITED_MESSAGE, 429);
    if (!opts.quiet) toast(error.message);
    throw error;
  }

  let res: { statusCode: number; data: unknown; header?: Record<string, string> };
  for (let attempt = 0; ; attempt++) {
    try {
      res = await Taro.request({
        url,
        method,
        header,
        data: opts.body as object | undefined,
        timeout: TIMEOUT_MS,
        dataType: 'json',
      });
      break;
    } catch {
      if (attempt >= (opts.retries ?? MAX_RETRIES)) {
        if (!opts.quietNetwork) toast(NETWORK_MESSAGE);
        throw new ApiError(NETWORK_ERROR_CODE, NETWORK_MESSAGE, 0);
      }
      await sleep(RETRY_BASE_MS * 2 ** attempt);
    }
  }

  const { statusCode, data } = res;
  keepPointsVersion(res.header, token);
  if (statusCode >= 200 && statusCode < 300) {
    keepRenewedToken(res.header, token);
    return data as T;
  }

  const error = toApiError(statusCode, data);
  if (statusCode === 429) writesBlockedUntil = Date.now() + retryAfterMs(res.header);
  if (statusCode === 503) lastUnavailableAt = Date.now();
  if (statusCode === 401) {
    clearToken();
    toast(error.message);
    goToLogin();
  } else if (!opts.quiet) {
    toast(error.message);
  }
  throw error;
}
