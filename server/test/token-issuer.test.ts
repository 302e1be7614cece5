import jwt from 'jsonwebtoken';
import { tokenIssuer } from '../src/http/auth';

/**
 * The session token issuer alone (auth.test.ts and bad-input-jwt.test.ts send tokens over HTTP to the real app):
 * a token that passed once is remembered, and what is remembered must not outlive the token or widen what passes.
 */
const SECRET = 'token-issuer-test-secret-0123456789';
const tokens = tokenIssuer(SECRET, 3600);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('tokenIssuer', () => {
  test('a token it signed passes, again and again, as its subject', () => {
    const token = tokens.sign('member-1');
    expect(tokens.verify(token)).toBe('member-1');
    expect(tokens.verify(token)).toBe('member-1');
  });

  test('a token that passed once is refused as expired once its exp has come', async () => {
    const exp = Math.floor(Date.now() / 1000) + 1;
    const token = jwt.sign({ exp }, SECRET, { subject: 'member-2', algorithm: 'HS256' });
    expect(tokens.verify(token)).toBe('member-2');
    await sleep(exp * 1000 - Date.now() + 20);
    expect(() => tokens.verify(token)).toThrow('登录已过期，请重新登录');
    expect(() => tokens.verify(token)).toThrow('登录已过期，请重新登录');
  });

  test('a token refused once is refused again (a refusal is never remembered as a pass)', () => {
    const foreign = jwt.sign({}, 'someone-elses-secret-0123456789', { subject: 'member-3', expiresIn: 600 });
    expect(() => tokens.verify(foreign)).toThrow('登录凭证无效');
    expect(() => tokens.verify(foreign)).toThrow('登录凭证无效');
  });

  test('a remembered token with one character of its signature changed is refused', () => {
    const token = tokens.sign('member-4');
    expect(tokens.verify(token)).toBe('member-4');
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    expect(() => tokens.verify(`${token.slice(0, -2)}${last}${token.at(-1)}`)).toThrow('登录凭证无效');
  });

  test('another issuer (another secret) does not pass what this one remembered', () => {
    const token = tokens.sign('member-5');
    expect(tokens.verify(token)).toBe('member-5');
    expect(() => tokenIssuer('a-different-secret-0123456789abc', 3600).verify(token)).toThrow('登录凭证无效');
  });
});
