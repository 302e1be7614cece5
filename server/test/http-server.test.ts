/**
 * The HTTP server's timeouts (issue 20): node's default whole-request limit (300 s) would cut a 200 MB video
 * upload on a slow line long before the console's 15-minute upload timeout; the service's server outlasts it, and
 * slow headers are still cut at 60 s. No database: this is the server object main.ts listens with.
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { VIDEO_RULES } from '@pioneer/shared';
import { HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS, createHttpServer } from '../src/http/http-server';

test('node’s default would cut a video upload the console still waits for', () => {
  expect(createServer().requestTimeout).toBeLessThan(VIDEO_RULES.uploadTimeoutMs);
});

test('the service’s server waits longer than the console’s video upload, and still cuts slow headers at 60 s', async () => {
  const server = createHttpServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    expect(server.requestTimeout).toBe(REQUEST_TIMEOUT_MS);
    expect(server.requestTimeout).toBeGreaterThan(VIDEO_RULES.uploadTimeoutMs);
    expect(server.headersTimeout).toBe(HEADERS_TIMEOUT_MS);
    expect(server.headersTimeout).toBeLessThanOrEqual(60_000);
    const address = server.address() as { port: number };
    expect(await (await fetch(`http://127.0.0.1:${address.port}/`)).text()).toBe('ok');
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('main.ts listens with that server', () => {
  const main = readFileSync(path.join(__dirname, '../src/main.ts'), 'utf8');
  expect(main).toMatch(/createHttpServer\(app\.callback\(\)\)/);
  expect(main).not.toMatch(/\bcreateServer\(/);
});
