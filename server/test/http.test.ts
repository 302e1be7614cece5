import { startTestApp, type TestApp } from './support/harness';
import { buildCounty, buildMember } from './support/factories';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('service core', () => {
  test('when /healthz is asked, then it reports the engine and version', async () => {
    const res = await t.http().get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, db: process.env.PIONEER_TEST_ENGINE, version: expect.any(String) });
  });

  test('when a reply leaves, then it carries security headers and a request id', async () => {
    const res = await t.http().get('/api/v1/config/public');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-request-id']).toMatch(/^[\w-]{8,}$/);
  });

  test('when an unknown API path is asked, then a JSON 404 with a stable code comes back', async () => {
    const res = await t.http().get('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  test('when the body is larger than the limit, then 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await t
      .http()
      .post('/api/v1/auth/dev')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ openid: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('when the JSON is malformed, then 400 without a stack trace', async () => {
    const res = await t.http().post('/api/v1/auth/dev').set('content-type', 'application/json').send('{"openid": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
  });

  test('when a body carries a $-operator key, then 400 and nothing is created', async () => {
    const res = await t
      .http()
      .post('/api/v1/auth/dev')
      .send({ openid: { $gt: '' } });
    expect(res.status).toBe(400);
    const nested = await t
      .http()
      .post('/api/v1/auth/dev')
      .send({ openid: 'ok-user', name: 'x', extra: { $where: '1' } });
    expect(nested.status).toBe(400);
    expect(nested.body.error.code).toBe('VALIDATION_FAILED');
  });

  test('when a query string carries a $-operator, then 400', async () => {
    const { county, branchA } = await buildCounty();
    const member = await buildMember({ branch: branchA });
    const res = await t
      .http()
      .get(`/api/v1/leaderboards/members?scope=${county.id}&period[$ne]=x`)
      .set('authorization', `Bearer ${t.tokenFor(member.id)}`);
    expect(res.status).toBe(400);
  });

  test('when an enum value is unknown, then 400 names the field', async () => {
    const { county, branchA } = await buildCounty();
    const member = await buildMember({ branch: branchA });
    const res = await t
      .http()
      .get(`/api/v1/leaderboards/members?scope=${county.id}&period=decade`)
      .set('authorization', `Bearer ${t.tokenFor(member.id)}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('query.period');
  });

  test('when the H5 origin calls, then CORS allows it; a foreign origin gets no allow header', async () => {
    const ok = await t.http().get('/healthz').set('origin', 'http://localhost:10086');
    expect(ok.headers['access-control-allow-origin']).toBe('http://localhost:10086');
    const foreign = await t.http().get('/healthz').set('origin', 'http://evil.example');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });
});
