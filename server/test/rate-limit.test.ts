import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildMember, type County } from './support/factories';
import { ReplayModel } from '../src/http/idempotency';
import { LoginModel, UserModel } from '../src/modules/users/users.model';

let t: TestApp;
let county: County;
const auth = (id: string) => bearer(t, id);
const off = { loginPerMinIp: 0, writesPerMinUser: 0, writesPerMinIp: 0, readsPerMinUser: 0 };

beforeAll(async () => ({ t, county } = await startCountyApp()));
afterAll(() => t.close());

/** Sends requests one after another, so the order in which the limit bites is the order sent. */
async function inTurn<T>(n: number, send: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += 1) out.push(await send(i));
  return out;
}

describe('rate limits', () => {
  test('when one address signs in more often than the login limit, then it gets 429 with Retry-After and no account', async () => {
    const http = t.httpWith({ rateLimit: { ...off, loginPerMinIp: 3 } });
    const replies = await inTurn(4, (i) => http.post('/api/v1/auth/dev').send({ openid: `rl-login-${i}` }));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    const refused = replies[3]!;
    expect(refused.body.error).toMatchObject({ code: 'RATE_LIMITED', message: '操作太频繁，请稍后再试' });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await LoginModel.findById('wx:rl-login-2').lean()).not.toBeNull();
    expect(await LoginModel.findById('wx:rl-login-3').lean()).toBeNull();
  });

  test('when a member passes the per-member write limit, then they get 429 and another member still writes', async () => {
    const http = t.httpWith({ rateLimit: { ...off, writesPerMinUser: 3 } });
    const a = await buildMember({ branch: county.branchA });
    const b = await buildMember({ branch: county.branchA });
    const fromA = await inTurn(4, (i) =>
      http
        .patch('/api/v1/me')
        .set(auth(a.id))
        .send({ name: `甲${i}` }),
    );
    expect(fromA.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(fromA[3]!.headers['retry-after']).toMatch(/^\d+$/);
    // The refused write changed nothing: the name is the third one.
    expect((await UserModel.findById(a.id).lean())?.name).toBe('甲2');
    expect((await http.patch('/api/v1/me').set(auth(b.id)).send({ name: '乙' })).status).toBe(200);
  });

  test('when members behind one address pass the per-IP write limit together, then the next write from it gets 429', async () => {
    const http = t.httpWith({ rateLimit: { ...off, writesPerMinUser: 100, writesPerMinIp: 4 } });
    const members = await Promise.all([1, 2, 3].map(() => buildMember({ branch: county.branchB })));
    const replies = await inTurn(5, (i) =>
      http
        .patch('/api/v1/me')
        .set(auth(members[i % 3]!.id))
        .send({ name: `丙${i}` }),
    );
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 429]);
    expect((await UserModel.findById(members[1]!.id).lean())?.name).toBe('丙1');
  });

  test('when writes without a valid token pass the per-IP limit, then they are refused too', async () => {
    const http = t.httpWith({ rateLimit: { ...off, writesPerMinUser: 1, writesPerMinIp: 2 } });
    const replies = await inTurn(3, () =>
      http.patch('/api/v1/me').set({ authorization: 'Bearer not.a.token' }).send({ name: 'x' }),
    );
    expect(replies.map((r) => r.status)).toEqual([401, 401, 429]);
  });

  test('when a member reads far more often than the write limits, then no read is refused', async () => {
    const http = t.httpWith({
      rateLimit: { loginPerMinIp: 1, writesPerMinUser: 1, writesPerMinIp: 1, readsPerMinUser: 100 },
    });
    const member = await buildMember({ branch: county.branchA });
    const replies = await inTurn(15, () => http.get('/api/v1/me').set(auth(member.id)));
    expect(replies.every((r) => r.status === 200)).toBe(true);
  });

  test('when a limit is 0, then that limit is off', async () => {
    const http = t.httpWith({ rateLimit: off });
    const member = await buildMember({ branch: county.branchA });
    const logins = await Promise.all(
      Array.from({ length: 40 }, () => http.post('/api/v1/auth/dev').send({ openid: 'rl-off' })),
    );
    expect(logins.every((r) => r.status === 200)).toBe(true);
    const writes = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        http
          .patch('/api/v1/me')
          .set(auth(member.id))
          .send({ name: `丁${i}` }),
      ),
    );
    expect(writes.every((r) => r.status === 200)).toBe(true);
  });

  test('when a write with an Idempotency-Key is refused, then no reply is stored under its key', async () => {
    const http = t.httpWith({ rateLimit: { ...off, writesPerMinUser: 1 } });
    const member = await buildMember({ branch: county.branchA });
    const replaysBefore = await ReplayModel.countDocuments({});
    await http.patch('/api/v1/me').set(auth(member.id)).send({ name: '戊' });
    const refused = await http
      .patch('/api/v1/me')
      .set(auth(member.id))
      .set('Idempotency-Key', 'refused-key-0001')
      .send({ name: '己' });
    expect(refused.status).toBe(429);
    expect(await ReplayModel.countDocuments({})).toBe(replaysBefore);
    expect((await UserModel.findById(member.id).lean())?.name).toBe('戊');
  });

  test('when the default test settings are used, then every limit is off', () => {
    expect(t.config.rateLimit).toEqual(off);
  });

  test('when no proxy is trusted (the default), then a client varying X-Forwarded-For per login is still one address and gets 429', async () => {
    const http = t.httpWith({ rateLimit: { ...off, loginPerMinIp: 3 } });
    expect(t.config.trustedProxies).toBe(0);
    const replies = await inTurn(6, (i) =>
      http
        .post('/api/v1/auth/dev')
        .set('X-Forwarded-For', `203.0.113.${i + 1}`)
        .send({ openid: `rl-xff-${i}` }),
    );
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 429, 429, 429]);
  });

  test('when one proxy is trusted, then the right-most X-Forwarded-For entry is the client: the left part it cannot change, the right part is one address each', async () => {
    const http = t.httpWith({ rateLimit: { ...off, loginPerMinIp: 3 }, trustedProxies: 1 });
    const spoofed = await inTurn(5, (i) =>
      http
        .post('/api/v1/auth/dev')
        .set('X-Forwarded-For', `198.51.100.${i + 1}, 203.0.113.9`)
        .send({ openid: `rl-proxy-${i}` }),
    );
    expect(spoofed.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
    const distinct = await inTurn(5, (i) =>
      http
        .post('/api/v1/auth/dev')
        .set('X-Forwarded-For', `203.0.113.${20 + i}`)
        .send({ openid: `rl-proxy-d${i}` }),
    );
    expect(distinct.every((r) => r.status === 200)).toBe(true);
  });

  test('when a member passes the per-member read limit, then their next read gets 429 with Retry-After and another member still reads', async () => {
    const http = t.httpWith({ rateLimit: { ...off, readsPerMinUser: 5 } });
    const a = await buildMember({ branch: county.branchA });
    const b = await buildMember({ branch: county.branchA });
    const replies = await inTurn(6, () => http.get('/api/v1/me').set(auth(a.id)));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(replies[5]!.headers['retry-after']).toMatch(/^\d+$/);
    expect((await http.get('/api/v1/me').set(auth(b.id))).status).toBe(200);
    // Writes have their own limits: the member over the read limit still saves.
    expect((await http.patch('/api/v1/me').set(auth(a.id)).send({ name: '庚' })).status).toBe(200);
  });
});
