import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from './support/harness';
import { ROUTES, WHO, type RouteRow, type Who } from './support/route-table';
import { seedWalk, type WalkSeed } from './support/route-walk-seed';
import { fakeWechat, listRoutes, type RouteInfo } from './support/sweep';

/**
 * Every route of the app, walked once by each demo role, a stranger (signed in, in no branch) and no token; the
 * answer must match the table in support/route-table.ts: 401/403 for those not allowed, anything else (the
 * service's own 200/201/400/404/409) for those who are. A route with no row fails, so the next route cannot
 * forget its check. One request per walker per route, in the order of WHO (refusals first, so the allowed
 * requests that change state come after the ones that must not).
 */
const routes = listRoutes();
const keyOf = (r: RouteInfo) => `${r.method} ${r.path}`;
let t: TestApp;
let s: WalkSeed;
let wechat: Awaited<ReturnType<typeof fakeWechat>>;

beforeAll(async () => {
  wechat = await fakeWechat();
  t = await startTestApp({ wechat: { appId: 'wx-walk', appSecret: 'walk-secret', baseUrl: wechat.baseUrl } });
  s = await seedWalk(t);
});
afterAll(async () => {
  await t.close();
  await wechat.close();
});

/** A real target for each path parameter, unless the row names its own. */
function pathOf(route: RouteInfo, row: RouteRow): string {
  const own = row.params?.(s) ?? {};
  return route.path.replace(/:(\w+)/g, (_, name: string) => {
    if (own[name]) return encodeURIComponent(own[name]);
    const p = route.path;
    if (name === 'userId') return s.users.member.id;
    if (name === 'claimId') return s.ids.memberClaim;
    if (name === 'month') return '2026-11';
    if (name === 'name') return `${randomBytes(16).toString('hex')}.jpg`;
    if (p.startsWith('/api/v1/orgs/')) return s.county.branchA.id;
    if (p.startsWith('/api/v1/posts/')) return s.ids.post;
    if (p.startsWith('/api/v1/activities/')) return s.ids.activity;
    if (p.startsWith('/api/v1/quiz/questions/')) return s.ids.question;
    if (p.startsWith('/api/v1/commitments/')) return encodeURIComponent(s.ids.commitment);
    if (p.startsWith('/api/v1/wishes/')) return s.ids.wish;
    if (p.startsWith('/api/v1/records/')) return s.ids.record;
    if (p.startsWith('/api/v1/checkins/')) return s.ids.checkin;
    return randomBytes(12).toString('hex');
  });
}

const userOf = (who: Who): string | null => (who === 'none' ? null : s.users[who].id);

async function call(route: RouteInfo, row: RouteRow, who: Who) {
  const user = userOf(who);
  let req = t.http()[route.method.toLowerCase() as 'get'](pathOf(route, row));
  const query = row.query?.(s);
  if (query) req = req.query(query);
  if (user) req = req.set('authorization', `Bearer ${t.tokenFor(user)}`);
  if (route.method !== 'GET' && route.method !== 'DELETE') req = req.send((row.body?.(s) ?? {}) as object);
  return req;
}

describe('authorization walk: every route × every role', () => {
  test('the table has a row for every route and no row for a route that is gone', () => {
    const keys = routes.map(keyOf);
    expect(keys.filter((k) => !ROUTES[k])).toEqual([]);
    expect(Object.keys(ROUTES).filter((k) => !keys.includes(k))).toEqual([]);
  });

  test.each(routes.map((r) => [keyOf(r), r] as const))('%s', async (key, route) => {
    const row = ROUTES[key];
    if (!row) throw new Error(`${key} has no row in support/route-table.ts: decide who may call it`);
    const wrong: string[] = [];
    for (const who of WHO) {
      const res = await call(route, row, who);
      const refused = res.status === 401 || res.status === 403 || (row.own === true && res.status === 404);
      const why = `${res.status} ${(res.body as { code?: string; message?: string })?.message ?? ''}`.trim();
      if (res.status >= 500) wrong.push(`${who}: ${why}`);
      else if (row.login) {
        if (res.status === 403) wrong.push(`${who}: ${why}`);
      } else if (row.allow.includes(who) === refused)
        wrong.push(`${who} ${row.allow.includes(who) ? 'should pass' : 'should be refused'}: ${why}`);
    }
    expect(wrong).toEqual([]);
  });
});
