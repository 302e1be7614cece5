/**
 * GET /healthz is answered before the middleware chain (issue 17: the chain cost a probe half of bare Koa's
 * throughput; http/health.ts livenessFirst). It keeps nosniff and a request id; what it skips is the chain itself
 * (no request log line, no session, no database, no page-only security headers), and a browser's request (with an
 * Origin) still goes through the chain so CORS answers it. API replies keep every header.
 */
import pino from 'pino';
import supertest from 'supertest';
import { loadConfig } from '../../config';
import { createApp } from '../src/app';

/** The app with a logger whose lines are kept: a request that went through the chain leaves a 'request' line. */
function appWithLog() {
  const lines: string[] = [];
  // pino writes to anything with write(): each line kept.
  const stream = { write: (line: string) => void lines.push(line) };
  const config = loadConfig({ NODE_ENV: 'test' }, { h5Dir: '/nonexistent' });
  const app = createApp({ config, engine: 'test', logger: pino({ level: 'info' }, stream) });
  return { http: supertest(app.callback()), logged: () => lines.filter((l) => l.includes('"msg":"request"')).length };
}

describe('GET /healthz first', () => {
  test('the probe carries nosniff, a request id and its body; an API reply still every security header', async () => {
    const { http } = appWithLog();
    const probe = await http.get('/healthz').set('x-request-id', 'probe-12345678');
    expect(probe.status).toBe(200);
    expect(probe.body).toEqual({ ok: true, db: 'test', version: expect.any(String) });
    expect(probe.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(probe.headers['x-content-type-options']).toBe('nosniff');
    expect(probe.headers['x-request-id']).toBe('probe-12345678');
    expect(probe.headers['content-security-policy']).toBeUndefined();
    const api = await http.get('/api/v1/config/public');
    expect(api.status).toBe(200);
    expect(api.headers['content-security-policy']).toContain("default-src 'self'");
    expect(api.headers['strict-transport-security']).toContain('max-age=');
    expect(api.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(api.headers['x-content-type-options']).toBe('nosniff');
  });

  test('the probe skips the chain (no request line); a browser, HEAD and every other route go through it', async () => {
    const { http, logged } = appWithLog();
    await http.get('/healthz');
    await http.get('/healthz');
    expect(logged()).toBe(0);
    const browser = await http.get('/healthz').set('origin', 'http://localhost:10086');
    expect(browser.headers['access-control-allow-origin']).toBe('http://localhost:10086');
    expect((await http.head('/healthz')).status).toBe(200);
    expect((await http.get('/api/v1/config/public')).status).toBe(200);
    expect(logged()).toBe(3);
  });
});
