import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import supertest from 'supertest';
import { loadConfig } from '../../config';
import { createApp } from '../src/app';
import { startTestApp, type TestApp } from './support/harness';
import { buildCounty, buildMember } from './support/factories';
import { UserModel } from '../src/modules/users/users.model';

/** A local stand-in for api.weixin.qq.com's jscode2session: codes starting with "good-" map to an openid. */
let fakeWechat: Server;
let fakeWechatUrl: string;
const wechatCalls: URLSearchParams[] = [];

let t: TestApp;
beforeAll(async () => {
  fakeWechat = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    wechatCalls.push(url.searchParams);
    const code = url.searchParams.get('js_code') ?? '';
    res.setHeader('content-type', 'application/json');
    if (url.pathname !== '/sns/jscode2session') return res.end(JSON.stringify({ errcode: -1 }));
    if (code.startsWith('good-')) return res.end(JSON.stringify({ openid: `wx-${code.slice(5)}`, session_key: 'k' }));
    if (code === 'broken') return void res.writeHead(500).end('oops');
    res.end(JSON.stringify({ errcode: 40029, errmsg: 'invalid code' }));
  });
  await new Promise<void>((resolve) => fakeWechat.listen(0, '127.0.0.1', resolve));
  fakeWechatUrl = `http://127.0.0.1:${(fakeWechat.address() as AddressInfo).port}`;
  t = await startTestApp({ wechat: { appId: 'wx-test-app', appSecret: 'test-secret', baseUrl: fakeWechatUrl } });
});
afterAll(async () => {
  await t.close();
  await new Promise((resolve) => fakeWechat.close(resolve));
});

describe('sign-in', () => {
  test('when WeChat accepts the code, then a session and the new member come back, and the app id and secret were sent', async () => {
    const res = await t.http().post('/api/v1/auth/wechat').send({ code: 'good-abc' });
    expect(res.status).toBe(200);
    expect(res.body.token).toEqual(expect.any(String));
    expect(res.body.user).toMatchObject({
      name: '新党员',
      roles: ['member'],
      org: null,
      points: { week: 0, month: 0, year: 0, all: 0 },
    });
    const call = wechatCalls[wechatCalls.length - 1]!;
    expect(call.get('appid')).toBe('wx-test-app');
    expect(call.get('secret')).toBe('test-secret');
    expect(call.get('grant_type')).toBe('authorization_code');
  });

  test('when the same openid signs in twice, then it is the same member', async () => {
    const first = await t.http().post('/api/v1/auth/wechat').send({ code: 'good-same' });
    const second = await t.http().post('/api/v1/auth/wechat').send({ code: 'good-same' });
    expect(second.body.user.id).toBe(first.body.user.id);
  });

  test('when ten first sign-ins of one openid race, then exactly one member exists', async () => {
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => t.http().post('/api/v1/auth/dev').send({ openid: 'racer' })),
    );
    expect(new Set(replies.map((r) => r.body.user.id)).size).toBe(1);
    expect(await UserModel.countDocuments({ _id: replies[0]!.body.user.id })).toBe(1);
  });

  test('when WeChat rejects the code, then 401 WECHAT_CODE_INVALID', async () => {
    const res = await t.http().post('/api/v1/auth/wechat').send({ code: 'bad' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('WECHAT_CODE_INVALID');
  });

  test('when WeChat is down, then 502 UPSTREAM_FAILED', async () => {
    const res = await t.http().post('/api/v1/auth/wechat').send({ code: 'broken' });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('UPSTREAM_FAILED');
  });

  test('when the code is missing, then 400', async () => {
    const res = await t.http().post('/api/v1/auth/wechat').send({});
    expect(res.status).toBe(400);
  });

  test('when dev login is used, then /me answers for that member', async () => {
    const login = await t.http().post('/api/v1/auth/dev').send({ openid: 'dev-one', name: '张三' });
    expect(login.status).toBe(200);
    const me = await t.http().get('/api/v1/me').set('authorization', `Bearer ${login.body.token}`);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: login.body.user.id, name: '张三', roles: ['member'] });
  });
});

describe('sessions', () => {
  let memberId: string;
  let otherId: string;
  beforeAll(async () => {
    const { branchA } = await buildCounty();
    memberId = (await buildMember({ branch: branchA })).id;
    otherId = (await buildMember({ branch: branchA, name: '别人' })).id;
  });

  test('when there is no token, then 401', async () => {
    const res = await t.http().get('/api/v1/me');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  test('when the token is malformed, then 401', async () => {
    const res = await t.http().get('/api/v1/me').set('authorization', 'Bearer not.a.jwt');
    expect(res.status).toBe(401);
  });

  test('when the token has expired, then 401 asking to sign in again', async () => {
    const expired = jwt.sign({ exp: Math.floor(Date.now() / 1000) - 60 }, t.config.jwtSecret, { subject: memberId });
    const res = await t.http().get('/api/v1/me').set('authorization', `Bearer ${expired}`);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toContain('过期');
  });

  test('when the token is signed with another secret, then 401', async () => {
    const foreign = jwt.sign({}, 'someone-elses-secret-1234567890', { subject: memberId });
    const res = await t.http().get('/api/v1/me').set('authorization', `Bearer ${foreign}`);
    expect(res.status).toBe(401);
  });

  test('when the token uses alg none, then 401', async () => {
    const unsigned = jwt.sign({ sub: memberId }, '', { algorithm: 'none' });
    const res = await t.http().get('/api/v1/me').set('authorization', `Bearer ${unsigned}x`);
    expect(res.status).toBe(401);
  });

  // The secret is a KeyObject made once (auth.ts): tokens signed with the configured string still pass, and a key
  // object must not widen what passes (another HMAC size, an RSA signature, a payload edited after signing).
  test('when a token is signed with the configured secret string, then it passes as before', async () => {
    const signed = jwt.sign({}, t.config.jwtSecret, { subject: memberId, expiresIn: 600, algorithm: 'HS256' });
    const res = await t.http().get('/api/v1/me').set('authorization', `Bearer ${signed}`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(memberId);
  });

  test('when a token is signed with our secret but HS384 or HS512, or with an RSA key, then 401', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const tokens = [
      jwt.sign({}, t.config.jwtSecret, { subject: memberId, expiresIn: 600, algorithm: 'HS384' }),
      jwt.sign({}, t.config.jwtSecret, { subject: memberId, expiresIn: 600, algorithm: 'HS512' }),
      jwt.sign({}, privateKey, { subject: memberId, expiresIn: 600, algorithm: 'RS256' }),
    ];
    for (const token of tokens) {
      const res = await t.http().get('/api/v1/me').set('authorization', `Bearer ${token}`);
      expect(res.status).toBe(401);
    }
  });

  test('when a valid token has its subject edited, then 401', async () => {
    const [head, , sig] = t.tokenFor(memberId).split('.');
    const body = Buffer.from(JSON.stringify({ sub: otherId, exp: Math.floor(Date.now() / 1000) + 600 }));
    const res = await t
      .http()
      .get('/api/v1/me')
      .set('authorization', `Bearer ${head}.${body.toString('base64url')}.${sig}`);
    expect(res.status).toBe(401);
  });

  test('when the member behind a valid token is gone, then 401', async () => {
    const res = await t
      .http()
      .get('/api/v1/me')
      .set('authorization', `Bearer ${t.tokenFor('000000000000000000000000')}`);
    expect(res.status).toBe(401);
  });
});

describe('dev login switched off', () => {
  test('when dev login is off, then /auth/dev is 404 and public config offers no identities', async () => {
    const closed = startTestAppWithoutDevLogin();
    try {
      const res = await closed.http().post('/api/v1/auth/dev').send({ openid: 'x' });
      expect(res.status).toBe(404);
      const config = await closed.http().get('/api/v1/config/public');
      expect(config.body).toEqual({ devLogin: false, demoIdentities: [] });
    } finally {
      await new Promise<void>((resolve) => closed.server.close(() => resolve()));
    }
  });
});

function startTestAppWithoutDevLogin() {
  const app = createApp({ config: loadConfig({ NODE_ENV: 'test' }, { devLogin: false }), engine: 'test' });
  const server = createServer(app.callback()).listen(0);
  return { server, http: () => supertest(server) };
}
