/** @slow Every route with bad input: operators, dotted keys, wrong types, huge numbers and bodies, bad tokens. */
import fc from 'fast-check';
import { buildAdmin } from './support/factories';
import { arbitraryFor } from './support/zod-arbitrary';
import {
  concretePath,
  hugeListQueries,
  isListRoute,
  replyProblem,
  send,
  sweepRoute,
  sweepSuite,
  type BadRequest,
  type RouteInfo,
} from './support/sweep';

/**
 * The classics on every route (quality.md "Reliability"): `$`-operators and dotted keys in bodies and query
 * strings, wrong types, huge numbers, invalid dates and coordinates, bodies that are not objects or not JSON,
 * and 3 MB bodies. No 500, no stack trace, nothing written. Property-based bodies: bad-input-property.test.ts;
 * tokens: bad-input-jwt.test.ts.
 */
const s = sweepSuite();

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A body the route's schema accepts (before refinements), as the start for one-field-wrong variants. */
function sampleBody(route: RouteInfo): Obj {
  if (!route.schemas.body) return { name: 'x' };
  const [value] = fc.sample(arbitraryFor(route.schemas.body), { numRuns: 1, seed: 7 });
  return isObj(value) ? value : {};
}

const wrongTypeOf = (v: unknown): unknown =>
  typeof v === 'string'
    ? 12345
    : typeof v === 'number'
      ? 'abc'
      : typeof v === 'boolean'
        ? 'yes'
        : Array.isArray(v)
          ? 'x'
          : isObj(v)
            ? 1
            : { nested: true };
const mapValues = (o: Obj, f: (v: unknown, k: string) => unknown): Obj =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v, k)]));
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

function bodyRequests(route: RouteInfo): BadRequest[] {
  const base = sampleBody(route);
  const first = Object.keys(base)[0] ?? 'title';
  const numbers = (huge: number) => mapValues(base, (v) => (typeof v === 'number' ? huge : v));
  return [
    { label: 'top-level $where', body: { ...base, $where: 'sleep(1000)' } },
    { label: `$gt in ${first}`, body: { ...base, [first]: { $gt: '' } } },
    {
      label: 'nested $ne',
      body: mapValues(base, (v) => (Array.isArray(v) ? [{ $ne: null }] : isObj(v) ? { ...v, $ne: 1 } : v)),
    },
    { label: 'dotted key', body: { ...base, 'roles.0': 'admin', 'a.b': 1 } },
    {
      label: '__proto__ key',
      rawBody: `{"__proto__":{"roles":["admin"]},"constructor":{"prototype":{"x":1}},${JSON.stringify(base).slice(1)}`,
    },
    { label: 'wrong types', body: mapValues(base, wrongTypeOf) },
    { label: 'huge numbers', body: numbers(1e308) },
    { label: 'huge negative numbers', body: numbers(-1e308) },
    { label: 'unsafe integers', body: numbers(2 ** 64) },
    { label: 'long strings', body: mapValues(base, (v) => (typeof v === 'string' ? '党'.repeat(100_000) : v)) },
    { label: 'invalid dates', body: mapValues(base, (v) => (typeof v === 'string' ? '2026-02-30T25:61:00Z' : v)) },
    {
      label: 'invalid coordinates',
      body: {
        ...base,
        lat: 91,
        lng: 181,
        fence: { lat: -91, lng: 999, radiusM: -5 },
        place: { name: 'x', fence: { lat: 1e9, lng: 0, radiusM: 1 } },
      },
    },
    { label: 'array body', rawBody: '[{"$gt":""}]' },
    { label: 'string body', rawBody: '"hello"' },
    { label: 'null body', rawBody: 'null' },
    { label: 'malformed JSON', rawBody: '{"a":' },
    { label: 'deep nesting', rawBody: deep(5000) },
  ];
}

function queryRequests(): BadRequest[] {
  return [
    { label: 'query operators', query: 'org[$gt]=&scope[$ne]=1&limit[$gt]=0&cursor[$regex]=.*&$where=1&a.b=1' },
    { label: 'query repeated keys', query: 'org=a&org=b&limit=1&limit=2&period=week&period=month' },
    { label: 'query huge numbers', query: 'limit=1e309&days=99999999999999999999&year=-1e308&at=1e400' },
    {
      label: 'query invalid dates',
      query: 'from=2026-13-45&to=not-a-date&month=2026-00&quarter=2026-Q9&year=0&at=2026-02-30&day=9999-99-99',
    },
    { label: 'query bad coordinates', query: 'lat=91&lng=-181&radiusM=-1' },
    { label: 'query control characters', query: 'org=%00%01&cursor=%E4%B8&format=../../etc/passwd' },
  ];
}

const THREE_MB = JSON.stringify({ text: 'x'.repeat(3 * 1024 * 1024) });
const PARSED = new Set(['POST', 'PUT', 'PATCH']);

describe('bad-input sweep: the classics on every route', () => {
  test("the sweep found the app's routes", () => {
    expect(s.routes.length).toBeGreaterThan(80);
    expect(s.routes.filter((r) => r.schemas.body).length).toBeGreaterThan(40);
  });

  test.each(s.routes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s: no 500, no stack, nothing written',
    async (_, route) => {
      const path = concretePath(route, s.seeded);
      const requests = [...(route.method === 'GET' ? [] : bodyRequests(route)), ...queryRequests()].map((r, i) => ({
        ...r,
        token: s.tokens[i % s.tokens.length],
      }));
      const problems = await sweepRoute(s.t, route, path, requests);

      if (PARSED.has(route.method)) {
        const big = await send(s.t, route.method, path, { label: '3 MB', rawBody: THREE_MB, token: s.tokens[0] });
        if (big.status !== 413) problems.push(`3 MB body: ${big.status}, not 413`);
      }
      // Where a valid body carries coordinates, the same body at latitude 91 must be refused, not stored.
      if (route.schemas.body && 'lat' in sampleBody(route)) {
        const res = await send(s.t, route.method, path, {
          label: 'lat 91',
          body: { ...sampleBody(route), lat: 91 },
          token: s.tokens[3],
        });
        if (res.status < 300) problems.push(`lat 91 accepted with ${res.status}`);
      }
      expect(problems).toEqual([]);
    },
  );
});

/**
 * Every cursor, page, limit, year and range a client sends is bounded by what exists (issue 13, finding 1): on
 * every list route, huge or out-of-range values answer within a second with a 400 or an empty page (or, for a
 * cursor past the newest entry, the first page: the position is clamped to what exists).
 */
describe('bad-input sweep: huge cursors, pages, limits and years on every list route', () => {
  const lists = s.routes.filter(isListRoute);
  // An admin of its own: the classic sweep above may have closed or changed the seeded users' accounts.
  let listToken: string;
  beforeAll(async () => {
    const admin = await buildAdmin({ of: s.seeded.county.county, branch: s.seeded.county.branchA, name: '扫描管理员' });
    listToken = s.t.tokenFor(admin.id);
  });

  test('the sweep found the list routes', () => {
    expect(lists.length).toBeGreaterThanOrEqual(15);
  });

  test.each(lists.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s: within 1 s, a 400 or an empty page',
    async (_, route) => {
      const path = concretePath(route, s.seeded);
      const problems: string[] = [];
      for (const r of hugeListQueries(route, s.seeded)) {
        const started = Date.now();
        const res = await send(s.t, route.method, path, { ...r, token: listToken }, 5000);
        const took = Date.now() - started;
        const label = `${r.label} (${r.query})`;
        if (took >= 1000) problems.push(`${label}: took ${took} ms`);
        const bad = replyProblem(label, res);
        if (bad) problems.push(bad);
        if (res.status !== 200 && res.status !== 400) problems.push(`${label}: ${res.status}, not 200 or 400`);
        const items = (res.body as { items?: unknown[] } | undefined)?.items;
        if (res.status !== 200 || !Array.isArray(items)) continue;
        if (items.length > 100) problems.push(`${label}: ${items.length} items in one page`);
        if (r.cursorOnly && items.length > 0) {
          const first = await send(s.t, route.method, path, {
            label: 'first page',
            query: r.cursorOnly,
            token: listToken,
          });
          if (JSON.stringify(first.body.items) !== JSON.stringify(items))
            problems.push(`${label}: a cursor past the end gave ${items.length} items that are not the first page`);
        }
      }
      expect(problems).toEqual([]);
    },
  );
});
