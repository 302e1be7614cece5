/**
 * GET /healthz is answered before the middleware chain (issue 17: the chain cost a probe half of bare Koa's
 * throughput; http/health.ts livenessFirst). It keeps every security header an API reply carries; what it skips is
 * the chain itself (no request log line, no session, no database), and a browser's request (with an Origin) still
 * goes through the chain so CORS answers it.
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

/** The headers every reply carries whatever the request (drops the per-reply ones). */
const constant = (headers: Record<string, string>) => {
  const { date, 'x-request-id': _id, 'content-length': _len, 'content-type': _type, vary: _vary, ...rest } = headers;
  void date;
  return Object.fromEntries(
    Object.entries(rest).filter(([k]) => !k.startsWith('access-control-') && k !== 'connection'),
  );
};

describe('GET /healthz first', () => {
  test('the probe carries the security headers of an API reply, a request id and its body', async () => {
    const { http } = appWithLog();
    const probe = await http.get('/healthz').set('x-request-id', 'probe-12345678');
    expect(probe.status).toBe(200);
    expect(probe.body).toEqual({ ok: true, db: 'test', version: expect.any(String) });
    expect(probe.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(probe.headers['x-request-id']).toBe('probe-12345678');
    const api = await http.get('/api/v1/config/public');
    expect(api.status).toBe(200);
    expect(constant(probe.headers)).toEqual(constant(api.headers));
    expect(probe.headers['content-security-policy']).toContain("default-src 'self'");
    expect(probe.headers['x-content-type-options']).toBe('nosniff');
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
