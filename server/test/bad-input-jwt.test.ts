import jwt from 'jsonwebtoken';
import {
  concretePath,
  fingerprint,
  replyProblem,
  send,
  sweepRoute,
  sweepSuite,
  type BadRequest,
} from './support/sweep';

/**
 * Every route with a token that must not pass: malformed, expired, signed with another secret, `alg: none`,
 * and a valid signature over a user who does not exist. Where a route refuses a request without a token (401),
 * it refuses each of these too; nothing is ever written. Also checks the sweep's own checks can fail.
 */
const s = sweepSuite();

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

function badTokens(): BadRequest[] {
  const secret = s.t.config.jwtSecret;
  const sub = s.seeded.users.admin.id;
  const now = Math.floor(Date.now() / 1000);
  return [
    { label: 'no scheme', authorization: s.t.tokenFor(sub) },
    { label: 'malformed', authorization: 'Bearer abc.def' },
    { label: 'garbage segments', authorization: 'Bearer !!!.@@@.###' },
    { label: 'not base64 JSON', authorization: `Bearer ${b64({ alg: 'HS256' })}.bm90IGpzb24.c2ln` },
    {
      label: 'expired',
      authorization: `Bearer ${jwt.sign({ exp: now - 60 }, secret, { subject: sub, algorithm: 'HS256' })}`,
    },
    {
      label: 'not yet valid',
      authorization: `Bearer ${jwt.sign({ nbf: now + 3600 }, secret, { subject: sub, algorithm: 'HS256' })}`,
    },
    {
      label: 'another secret',
      authorization: `Bearer ${jwt.sign({}, 'someone-elses-secret-0123456789', { subject: sub, expiresIn: 600, algorithm: 'HS256' })}`,
    },
    { label: 'alg none', authorization: `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub, exp: now + 600 })}.` },
    {
      label: 'HS512 with our secret',
      authorization: `Bearer ${jwt.sign({}, secret, { subject: sub, expiresIn: 600, algorithm: 'HS512' })}`,
    },
    {
      label: 'no subject',
      authorization: `Bearer ${jwt.sign({ role: 'admin' }, secret, { expiresIn: 600, algorithm: 'HS256' })}`,
    },
    {
      label: 'subject is an operator',
      authorization: `Bearer ${jwt.sign({ sub: { $ne: null } } as object, secret, { expiresIn: 600, algorithm: 'HS256' })}`,
    },
    {
      label: 'unknown user',
      authorization: `Bearer ${jwt.sign({}, secret, { subject: 'no-such-user', expiresIn: 600, algorithm: 'HS256' })}`,
    },
    { label: 'huge token', authorization: `Bearer ${'a'.repeat(6000)}.${'b'.repeat(6000)}.c` },
  ];
}

describe('bad-input sweep: tokens on every route', () => {
  test('the checks themselves fail on a 500, a stack trace, a bare error and a write', async () => {
    expect(replyProblem('x', { status: 500, text: '{}', body: {} })).toMatch(/500/);
    expect(
      replyProblem('x', {
        status: 400,
        text: 'Error: boom\n    at handle (/work/main/server/src/http/validate.ts:40:11)',
        body: {},
      }),
    ).toMatch(/stack/);
    expect(replyProblem('x', { status: 404, text: 'Not Found', body: {} })).toMatch(/error code/);
    expect(
      replyProblem('x', {
        status: 400,
        text: '{"error":{"code":"VALIDATION_FAILED"}}',
        body: { error: { code: 'VALIDATION_FAILED' } },
      }),
    ).toBeNull();
    const before = await fingerprint();
    await s.t
      .http()
      .patch('/api/v1/me')
      .set('authorization', `Bearer ${s.t.tokenFor(s.seeded.users.member.id)}`)
      .send({ name: '改名了' });
    expect(await fingerprint()).not.toBe(before);
  });

  test.each(s.routes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s: a bad token never passes',
    async (_, route) => {
      const path = concretePath(route, s.seeded);
      const withoutToken = await send(s.t, route.method, path, {
        label: 'no token',
        body: route.method === 'GET' ? undefined : {},
      });
      const requests = badTokens().map((r) => ({ ...r, body: route.method === 'GET' ? undefined : {} }));
      // A route that refuses an anonymous request refuses every forged one the same way.
      const mustBe401 = withoutToken.status === 401;
      const problems = await sweepRoute(s.t, route, path, requests, (_r, res) =>
        mustBe401 && res.status !== 401 ? `${res.status}, not 401` : null,
      );
      expect(problems).toEqual([]);
    },
  );
});
