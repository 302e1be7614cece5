import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import mongoose from 'mongoose';
import { flushChangeMarks } from '../../src/db/change-marks';
import { flushGroupedMarks } from '../../src/db/grouped-marks';
import type { z } from 'zod';
import { loadConfig } from '../../../config';
import { createApp } from '../../src/app';
import { schemasOf } from '../../src/http/validate';
import type { AppState } from '../../src/http/types';
import { currentYear } from '../../src/modules/commitments/commitments.service';
import { buildCounty, buildMember } from './factories';
import { startTestApp, type TestApp } from './harness';
import { NEW_POST } from './posts-helpers';

/** Helpers for the bad-input sweep: every route of the app, a seeded county with real targets, and the checks. */

export interface RouteInfo {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  schemas: { body?: z.ZodType; query?: z.ZodType; params?: z.ZodType };
}

interface Layer {
  methods: string[];
  path: string;
  stack: unknown[];
}

/** Every route the app serves, read from its routers' stacks (so a new route is swept without editing this). */
export function listRoutes(
  app: Koa<AppState> = createApp({
    config: loadConfig({ NODE_ENV: 'test' }, { h5Dir: '/nonexistent' }),
    engine: 'sweep',
  }),
): RouteInfo[] {
  const routes: RouteInfo[] = [];
  for (const mw of app.middleware as Array<{ router?: { stack: Layer[] } }>) {
    for (const layer of mw.router?.stack ?? []) {
      const method = layer.methods.find((m) => m !== 'HEAD') as RouteInfo['method'] | undefined;
      if (!method) continue; // a nested router's mount point, not a route
      routes.push({ method, path: layer.path, schemas: schemasOf(layer.stack[layer.stack.length - 1]) ?? {} });
    }
  }
  return routes;
}

/**
 * A local stand-in for WeChat that refuses every code, login or phone (outbound network is blocked in tests); it
 * hands out the server access token the phone-number exchange needs first.
 */
export async function fakeWechat(): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url?.startsWith('/cgi-bin/token'))
      return void res.end(JSON.stringify({ access_token: 'sweep-token', expires_in: 7200 }));
    res.end(JSON.stringify({ errcode: 40029, errmsg: 'invalid code' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The sweep's app: the real one, with WeChat pointed at the fake. */
export async function startSweepApp(start: (overrides: Record<string, unknown>) => Promise<TestApp>) {
  const wechat = await fakeWechat();
  const t = await start({ wechat: { appId: 'wx-sweep', appSecret: 'sweep-secret', baseUrl: wechat.baseUrl } });
  const seeded = await seedCounty(t);
  return {
    t,
    seeded,
    tokens: tokensOf(t, seeded),
    close: async () => {
      await t.close();
      await wechat.close();
    },
  };
}

export type Seeded = Awaited<ReturnType<typeof seedCounty>>;

/**
 * A sweep file's set-up: every route (known before the tests are defined), then the real app with WeChat pointed
 * at the fake and a seeded county, started before the file's tests and closed after them.
 */
export function sweepSuite() {
  const suite = { routes: listRoutes() } as { routes: RouteInfo[]; t: TestApp; seeded: Seeded; tokens: string[] };
  let close = async () => undefined as void;
  beforeAll(async () => {
    const started = await startSweepApp(startTestApp);
    Object.assign(suite, started);
    close = started.close;
  });
  afterAll(() => close());
  return suite;
}

/** A small county with an admin, a secretary, a member and a cadre, and a real post, activity, question and commitment. */
export async function seedCounty(t: TestApp) {
  const county = await buildCounty();
  const admin = await buildMember({
    branch: county.branchA,
    roles: ['member', 'admin'],
    adminOf: county.county,
    name: '王组织',
  });
  const secretary = await buildMember({ branch: county.branchA, roles: ['member', 'secretary'], name: '李书记' });
  const member = await buildMember({ branch: county.branchA, name: '陈党员' });
  const cadre = await buildMember({
    branch: county.branchA,
    roles: ['member', 'cadre'],
    postedTo: county.villageA,
    name: '赵驻村',
  });
  const as = (id: string) => ({ authorization: `Bearer ${t.tokenFor(id)}` });
  const post = await t
    .http()
    .post('/api/v1/posts')
    .set(as(secretary.id))
    .send({ ...NEW_POST, orgId: county.branchA.id });
  const now = Date.now();
  const activity = await t
    .http()
    .post('/api/v1/activities')
    .set(as(secretary.id))
    .send({
      type: 'theme_day',
      title: '主题党日',
      startsAt: new Date(now - 600_000).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
    });
  const question = await t
    .http()
    .post('/api/v1/quiz/questions')
    .set(as(admin.id))
    .send({
      type: 'judge',
      stem: '扫描用判断题：支部每月开展主题党日。',
      options: ['正确', '错误'],
      answer: ['A'],
      explanation: '每月一次',
    });
  const year = currentYear();
  const commitment = await t
    .http()
    .put('/api/v1/commitments/mine')
    .set(as(member.id))
    .send({ year, items: [{ text: '带头参加支部活动' }] });
  for (const res of [post, activity, question, commitment])
    if (res.status >= 300) throw new Error(`seed failed: ${res.status} ${res.text}`);
  return {
    county,
    users: { admin, secretary, member, cadre },
    ids: {
      post: post.body.id as string,
      activity: activity.body.id as string,
      question: question.body.id as string,
      commitment: `${member.id}|${year}`,
    },
  };
}

/** The route's path with real ids where the seed has one, so bodies reach the service and not just a 404. */
export function concretePath(route: RouteInfo, s: Seeded): string {
  const random = randomBytes(12).toString('hex');
  return route.path.replace(/:(\w+)/g, (_, name: string) => {
    const p = route.path;
    if (name === 'userId') return s.users.member.id;
    if (name === 'month') return '2026-11';
    if (name === 'name') return `${random}.jpg`;
    if (name !== 'id') return random;
    if (p.startsWith('/api/v1/orgs/')) return s.county.branchA.id;
    if (p.startsWith('/api/v1/posts/')) return s.ids.post;
    if (p.startsWith('/api/v1/activities/')) return s.ids.activity;
    if (p.startsWith('/api/v1/quiz/questions/')) return s.ids.question;
    if (p.startsWith('/api/v1/commitments/')) return encodeURIComponent(s.ids.commitment);
    return random;
  });
}

/** The tokens the sweep rotates through, so each route is tried with the roles that reach its deeper code. */
export function tokensOf(t: TestApp, s: Seeded): string[] {
  return [s.users.admin.id, s.users.secretary.id, s.users.member.id, s.users.cadre.id].map((id) => t.tokenFor(id));
}

/** Commands that only read: any other command marks its collection (or, when it names none, every one) written. */
const READS = new Set([
  'find',
  'getMore',
  'count',
  'distinct',
  'listCollections',
  'listIndexes',
  'killCursors',
  'endSessions',
  'hello',
  'isMaster',
  'ismaster',
  'ping',
  'buildInfo',
  'collStats',
  'dbStats',
]);
const written = new Set<string>();
let everythingWritten = true;
const hashes = new Map<string, string>();
let watching = false;

/** Marks what each command the driver sends may have changed, so an unchanged collection is not read again. */
function watchWrites(): void {
  if (watching) return;
  watching = true;
  mongoose.connection.getClient().on('commandStarted', (event) => {
    if (READS.has(event.commandName)) return;
    // An aggregate reads unless it writes out ($out/$merge).
    if (event.commandName === 'aggregate' && !JSON.stringify(event.command.pipeline ?? []).match(/"\$(out|merge)"/))
      return;
    const target = event.command[event.commandName];
    if (typeof target === 'string') written.add(target);
    else everythingWritten = true;
  });
}

async function hashOf(name: string): Promise<string> {
  const docs = await mongoose.connection.db!.collection(name).find({}).sort({ _id: 1 }).toArray();
  const hash = createHash('sha1');
  hash.update(`${name}:${JSON.stringify(docs, (key, value) => (key === 'updatedAt' ? undefined : value))}\n`);
  return hash.digest('hex');
}

/**
 * A hash of every document in every collection: equal before and after means nothing was written. `updatedAt`
 * is left out: a refused post claim reserves a seat and gives it back (`$inc` +1 then -1, posts/claims.service),
 * which leaves the data as it was but lets mongoose stamp the time. A collection is read again only after a command
 * other than a read named it (the driver's command monitor, which sees every command this process sends), so a
 * sweep of refused requests costs a list of the collections, not a read of every document twice per route.
 */
export async function fingerprint(): Promise<string> {
  watchWrites();
  // What earlier requests left queued lands first (grouped marks, counters and audit filings ~10 ms after a reply,
  // then the change marks of their members and orgs ~5 ms after), so it is not taken for a refused request's write.
  await flushGroupedMarks();
  await flushChangeMarks();
  const db = mongoose.connection.db!;
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
  const all = everythingWritten;
  everythingWritten = false;
  const hash = createHash('sha1');
  for (const name of names) {
    // Cleared before the read: a write that starts while it is read marks it again for the next call.
    if (all || written.delete(name) || !hashes.has(name)) hashes.set(name, await hashOf(name));
    hash.update(`${name}:${hashes.get(name)}\n`);
  }
  return hash.digest('hex');
}

export interface BadRequest {
  label: string;
  token?: string | null;
  /** A raw query string (no `?`). */
  query?: string;
  /** Sent as JSON text; `rawBody` is sent as is with a JSON content type. */
  body?: unknown;
  rawBody?: string;
  authorization?: string;
}

const STACK_FRAME = /\n\s+at \S|\bat [\w.<>]+ \(|\/work\/|node_modules|\.[jt]s:\d+/;

export async function send(t: TestApp, method: RouteInfo['method'], path: string, r: BadRequest, timeoutMs?: number) {
  const url = r.query ? `${path}?${r.query}` : path;
  let req = t.http()[method.toLowerCase() as 'get'](url);
  if (timeoutMs) req = req.timeout(timeoutMs);
  if (r.authorization !== undefined) req = req.set('authorization', r.authorization);
  else if (r.token) req = req.set('authorization', `Bearer ${r.token}`);
  const raw = r.rawBody ?? (r.body === undefined ? undefined : JSON.stringify(r.body));
  if (raw !== undefined) req = req.set('content-type', 'application/json').send(raw);
  return req;
}

/** What is wrong with a reply, if anything: a 5xx, a stack trace or file path, or an error without our shape. */
export function replyProblem(label: string, res: { status: number; text: string; body: unknown }): string | null {
  if (res.status >= 500) return `${label}: ${res.status} ${res.text.slice(0, 160)}`;
  if (STACK_FRAME.test(res.text ?? '')) return `${label}: leaks a stack or path: ${res.text.slice(0, 160)}`;
  // 431: Node's HTTP parser refuses an oversized request line before the app sees it (an empty reply, no stack).
  if (
    res.status >= 400 &&
    res.status !== 431 &&
    typeof (res.body as { error?: { code?: unknown } })?.error?.code !== 'string'
  )
    return `${label}: ${res.status} without an error code`;
  return null;
}

/** Requests of one route in flight at once. */
const IN_FLIGHT = 4;

/**
 * Sends the requests to one route and returns every problem: bad replies, and any write by a refused request.
 * When some request succeeded (a random body that happened to be valid), the refused ones are replayed between
 * two fingerprints so the successes do not hide a write.
 */
export async function sweepRoute(
  t: TestApp,
  route: RouteInfo,
  path: string,
  requests: BadRequest[],
  onReply?: (r: BadRequest, res: { status: number }) => string | null,
): Promise<string[]> {
  const problems: string[] = [];
  const where = `${route.method} ${route.path}`;
  const before = await fingerprint();
  const refused: BadRequest[] = [];
  // A few at a time: the replies do not depend on each other, and the engine answers while Node waits.
  for (let i = 0; i < requests.length; i += IN_FLIGHT) {
    const batch = requests.slice(i, i + IN_FLIGHT);
    const replies = await Promise.all(batch.map((r) => send(t, route.method, path, r)));
    batch.forEach((r, k) => {
      const res = replies[k]!;
      const problem = replyProblem(`${where} [${r.label}]`, res);
      if (problem) problems.push(problem);
      const more = onReply?.(r, res);
      if (more) problems.push(`${where} [${r.label}]: ${more}`);
      if (res.status >= 300) refused.push(r);
    });
  }
  if (refused.length === requests.length) {
    if ((await fingerprint()) !== before) problems.push(`${where}: a refused request wrote to the database`);
    return problems;
  }
  const replayFrom = await fingerprint();
  let replayedAllRefused = true;
  for (const r of refused)
    replayedAllRefused = (await send(t, route.method, path, r)).status >= 300 && replayedAllRefused;
  if (replayedAllRefused && (await fingerprint()) !== replayFrom)
    problems.push(`${where}: a refused request wrote to the database`);
  return problems;
}

/** The keys a route's query schema reads (zod 4 keeps an object's shape through `.refine`). */
export function queryKeys(route: RouteInfo): string[] {
  const shape = (route.schemas.query as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

/** Query keys that position or size a list: each must be bounded by what exists (issue 13, finding 1). */
export const BOUND_KEYS = ['cursor', 'limit', 'year', 'month', 'quarter', 'half', 'from', 'to', 'days', 'at'];

export const isListRoute = (route: RouteInfo) =>
  route.method === 'GET' && queryKeys(route).some((k) => BOUND_KEYS.includes(k));

/**
 * Huge and out-of-range positions for one list route, with the org ids it needs to get past validation to the
 * service. `cursorOnly` marks a request that differs from a first page only by its cursor.
 */
export function hugeListQueries(
  route: RouteInfo,
  s: Seeded,
): Array<BadRequest & { query: string; cursorOnly?: string }> {
  const keys = queryKeys(route);
  const base = new URLSearchParams();
  if (keys.includes('org')) base.set('org', s.county.branchA.id);
  if (keys.includes('scope')) base.set('scope', s.county.branchA.id);
  if (keys.includes('parent')) base.set('parent', s.county.county.id);
  const q = (extra: Record<string, string>) => {
    const p = new URLSearchParams(base);
    for (const [k, v] of Object.entries(extra)) p.set(k, v);
    return p.toString();
  };
  const cursor = (label: string, value: string, limit: string) => ({
    label,
    query: q({ cursor: value, limit }),
    cursorOnly: q({ limit }),
  });
  return [
    cursor('cursor 999999999999', '999999999999', '5'),
    cursor('cursor 999999', '999999', '100'),
    cursor('state cursor 4:999999', '4:999999', '100'),
    cursor('month cursor 9999-12:99999', '9999-12:99999', '100'),
    { label: 'page 1e9, limit 1e9', query: q({ page: '1e9', limit: '1e9' }) },
    { label: 'limit 1000000000', query: q({ limit: '1000000000' }) },
    { label: 'year 99999', query: q({ year: '99999' }) },
    { label: 'year 9999', query: q({ year: '9999' }) },
    { label: 'year -1', query: q({ year: '-1' }) },
    { label: 'year 0', query: q({ year: '0' }) },
    { label: 'month 9999-12', query: q({ month: '9999-12' }) },
    { label: 'month 0001-01', query: q({ month: '0001-01' }) },
    { label: 'quarter 9999-Q4', query: q({ quarter: '9999-Q4' }) },
    { label: 'half 0001-H1', query: q({ half: '0001-H1' }) },
    { label: 'from 0001 to 9999', query: q({ from: '0001-01-01T00:00:00Z', to: '9999-12-31T00:00:00Z' }) },
    { label: 'days 1000000000', query: q({ days: '1000000000' }) },
    { label: 'at 9999-12-31', query: q({ at: '9999-12-31' }) },
  ];
}
