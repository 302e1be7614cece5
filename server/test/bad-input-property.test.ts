/** @slow Every write route with bodies fast-check draws from the shared zod schemas. */
import fc from 'fast-check';
import { arbitraryFor } from './support/zod-arbitrary';
import { concretePath, sweepRoute, sweepSuite, type BadRequest, type RouteInfo } from './support/sweep';

/**
 * Property-based bad input on every route: bodies and query strings from fast-check, both shapeless
 * (`fc.anything`, `fc.object`) and derived from the route's own shared zod schema with one field made nasty.
 * Requests are drawn with a fixed seed (SWEEP_SEED to try others) and sent without shrinking: a failure names
 * the route and the request's label, which is enough to reproduce it by hand.
 */
const SEED = Number(process.env.SWEEP_SEED ?? 20261125);
const RUNS = Number(process.env.SWEEP_RUNS ?? 4);
const s = sweepSuite();

const NASTY: unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  -1e308,
  2 ** 53 + 1,
  1e-320,
  '',
  ' ',
  '党'.repeat(5000),
  '2026-02-30T25:61:00Z',
  '9999-12-31T23:59:59Z',
  '0000-00-00',
  'NaN',
  'Infinity',
  '-0',
  '__proto__',
  [],
  [null],
  [{ $gt: '' }],
  {},
  { $gt: '' },
  { $where: '1' },
  { 'a.b': 1 },
  91,
  -181,
];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value the schema accepts with one of its keys (or a new one) replaced by something nasty. */
function nearValid(schemaArb: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(schemaArb, fc.constantFrom(...NASTY), fc.nat(), fc.boolean()).map(([value, nasty, pick, nested]) => {
    if (!isObj(value)) return nasty;
    const keys = Object.keys(value);
    if (keys.length === 0) return { [`k${pick % 3}`]: nasty };
    const key = keys[pick % keys.length]!;
    const inner = value[key];
    // Sometimes one level down, where arrays of items and nested objects (fences, answers) live.
    if (nested && Array.isArray(inner) && inner.length > 0)
      return {
        ...value,
        [key]: inner.map((x, i) => (i === 0 && isObj(x) ? { ...x, [Object.keys(x)[0] ?? 'x']: nasty } : x)),
      };
    if (nested && isObj(inner)) return { ...value, [key]: { ...inner, [Object.keys(inner)[0] ?? 'x']: nasty } };
    return { ...value, [key]: nasty };
  });
}

const sample = <T>(arb: fc.Arbitrary<T>, n: number, salt: number): T[] =>
  fc.sample(arb, { numRuns: n, seed: SEED + salt });

function queryString(value: unknown): string {
  if (!isObj(value)) return `q=${encodeURIComponent(JSON.stringify(value))}`;
  return Object.entries(value)
    .map(
      ([k, v]) =>
        `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))}`,
    )
    .join('&');
}

function requestsFor(route: RouteInfo, salt: number): BadRequest[] {
  const out: BadRequest[] = [];
  if (route.method !== 'GET') {
    out.push(
      ...sample(fc.anything({ maxDepth: 3, withNullPrototype: false }), RUNS, salt).map((body, i) => ({
        label: `fc.anything #${i}`,
        body,
      })),
    );
    out.push(
      ...sample(fc.object({ maxDepth: 2 }), RUNS, salt + 1).map((body, i) => ({ label: `fc.object #${i}`, body })),
    );
    if (route.schemas.body) {
      const arb = arbitraryFor(route.schemas.body);
      out.push(
        ...sample(nearValid(arb), RUNS * 2, salt + 2).map((body, i) => ({
          label: `near-valid body #${i}: ${JSON.stringify(body).slice(0, 120)}`,
          body,
        })),
      );
      out.push(
        ...sample(arb, RUNS, salt + 3).map((body, i) => ({
          label: `schema body #${i}: ${JSON.stringify(body).slice(0, 120)}`,
          body,
        })),
      );
    }
  }
  if (route.schemas.query) {
    const arb = arbitraryFor(route.schemas.query);
    out.push(
      ...sample(nearValid(arb), RUNS * 2, salt + 4).map((q, i) => ({
        label: `near-valid query #${i}: ${queryString(q).slice(0, 120)}`,
        query: queryString(q),
      })),
    );
  }
  out.push(
    ...sample(
      fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 12 }), { maxKeys: 4 }),
      RUNS,
      salt + 5,
    ).map((q, i) => ({ label: `fc query #${i}`, query: queryString(q) })),
  );
  return out;
}

describe('bad-input sweep: property-based bodies and queries on every route', () => {
  test('a schema-derived body is usually accepted by the schema it came from (the generator is worth trusting)', () => {
    const withBodies = s.routes.filter((r) => r.schemas.body);
    const accepted = withBodies.filter((r) =>
      sample(arbitraryFor(r.schemas.body!), 5, 1).some((v) => r.schemas.body!.safeParse(v).success),
    );
    expect(accepted.length / withBodies.length).toBeGreaterThan(0.8);
  });

  test.each(s.routes.map((r, i) => [`${r.method} ${r.path}`, r, i] as const))(
    '%s: no 500, no stack, nothing written',
    async (_, route, i) => {
      const path = concretePath(route, s.seeded);
      const requests = requestsFor(route, i * 10).map((r, k) => ({ ...r, token: s.tokens[k % s.tokens.length] }));
      expect(await sweepRoute(s.t, route, path, requests)).toEqual([]);
    },
  );
});
