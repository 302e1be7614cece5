import type { TestApp } from './harness';

/** The bearer header of a member's session. */
export const bearer = (t: TestApp, userId: string) => ({ authorization: `Bearer ${t.tokenFor(userId)}` });

/**
 * Calls to /api/v1 (or a `base` below it) as one member, over real HTTP: `client(t, secretary.id).post('/transfers', body)` is the whole
 * request (a test still adds `.query()` or `.set()` where it needs them). Tests name it `as`.
 */
export function client(t: TestApp, userId: string, base = '/api/v1') {
  const auth = bearer(t, userId);
  return {
    get: (url: string) => t.http().get(`${base}${url}`).set(auth),
    delete: (url: string) => t.http().delete(`${base}${url}`).set(auth),
    post: (url: string, body: object = {}) => t.http().post(`${base}${url}`).set(auth).send(body),
    put: (url: string, body: object = {}) => t.http().put(`${base}${url}`).set(auth).send(body),
    patch: (url: string, body: object = {}) => t.http().patch(`${base}${url}`).set(auth).send(body),
  };
}
