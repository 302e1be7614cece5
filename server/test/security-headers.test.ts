/**
 * The security headers are helmet's, found once at start-up and replayed on each reply (http/security-headers.ts):
 * a reply carries exactly the headers helmet itself sets per request with the same options.
 */
import Koa from 'koa';
import helmet from 'koa-helmet';
import supertest from 'supertest';
import { securityHeaders, SECURITY_HEADERS } from '../src/http/security-headers';

async function headersThrough(middleware: Koa.Middleware) {
  const app = new Koa();
  app.use(middleware);
  app.use((ctx) => {
    ctx.body = { ok: true };
  });
  const { headers } = await supertest(app.callback()).get('/api/v1/x');
  // The parts that differ per reply whatever sets the security headers.
  const { date: _date, connection: _connection, ...rest } = headers;
  return rest;
}

describe('security headers', () => {
  test("when a reply leaves, then it carries exactly helmet's headers for the same options", async () => {
    const replayed = await headersThrough(securityHeaders());
    expect(replayed).toEqual(await headersThrough(helmet(SECURITY_HEADERS)));
    expect(replayed['content-security-policy']).toContain("img-src 'self' data: blob: https:");
    expect(Object.keys(replayed).length).toBeGreaterThan(12);
  });

  test('when helmet is told to drop a header, then the replay drops it too', async () => {
    const options = { xFrameOptions: false, referrerPolicy: { policy: 'no-referrer' as const } };
    const replayed = await headersThrough(securityHeaders(options));
    expect(replayed['x-frame-options']).toBeUndefined();
    expect(replayed).toEqual(await headersThrough(helmet(options)));
  });
});
