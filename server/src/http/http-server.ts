import { createServer, type RequestListener, type Server } from 'node:http';
import { VIDEO_RULES } from '@pioneer/shared';

/**
 * Node's whole-request limit (default 300 s since node 18) would cut a 200 MB 学习视频 upload on a slow line after
 * 5 minutes, whatever the console waits. Node has no per-route value (its connection checker applies one
 * `requestTimeout` to every request), so the server-wide one is raised past the console's video upload timeout,
 * with a margin for the server's own sniffing. Slow-header clients are still cut by `headersTimeout` (60 s), and
 * every other request finishes long before either.
 */
export const REQUEST_TIMEOUT_MS = VIDEO_RULES.uploadTimeoutMs + 5 * 60_000;
export const HEADERS_TIMEOUT_MS = 60_000;

export function createHttpServer(handler: RequestListener): Server {
  return createServer({ requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: HEADERS_TIMEOUT_MS }, handler);
}
