/**
 * One AsyncLocalStorage per request (issue 17, H8g; server/src/db/engine-commands.ts): Node 20 propagates every store
 * through a hook on every promise a request makes, so the request's command count, its reads (`readOnce`) and the
 * points sequence (modules/points/held-totals.ts, a `requestSlot`) share the scope opened first, and a request enters
 * an AsyncLocalStorage once.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { requestSlot, withCommandCount } from '../src/db/engine-commands';
import { POINTS_VERSION_HEADER } from '../src/modules/points/held-totals';
import { buildCounty, buildMember } from './support/factories';
import { startTestApp, type TestApp } from './support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

test('a request through the whole chain enters one AsyncLocalStorage', async () => {
  const { branchA } = await buildCounty();
  const member = await buildMember({ branch: branchA });
  const auth = { authorization: `Bearer ${t.tokenFor(member.id)}`, [POINTS_VERSION_HEADER]: '3' };
  await t.http().get('/api/v1/me').set(auth).expect(200); // modules loaded, first reads done
  const runs = jest.spyOn(AsyncLocalStorage.prototype, 'run');
  try {
    await t.http().get('/api/v1/me').set(auth).expect(200);
    expect(runs).toHaveBeenCalledTimes(1);
  } finally {
    runs.mockRestore();
  }
});

test("a slot is the request's: entered once, seen by the request's async work, and by a count taken inside", async () => {
  const slot = requestSlot<string>('probe');
  const outer = requestSlot<number>('outer');
  expect(slot.get()).toBeUndefined();
  const seen = await outer.enter(1, () =>
    slot.enter('a', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      const inner = await withCommandCount(async () => [slot.get(), outer.get()]);
      return [slot.get(), outer.get(), ...inner.result];
    }),
  );
  expect(seen).toEqual(['a', 1, 'a', 1]);
  expect(slot.get()).toBeUndefined(); // outside the request again
  // Two requests at once hold their own values.
  const both = await Promise.all(
    ['x', 'y'].map((v) => slot.enter(v, () => new Promise((resolve) => setTimeout(() => resolve(slot.get()), 5)))),
  );
  expect(both).toEqual(['x', 'y']);
});
