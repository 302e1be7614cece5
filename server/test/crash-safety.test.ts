/**
 * @slow Crash safety (issue 7): the real server process (`server/src/main.ts`) is killed with SIGKILL in the middle of a
 * burst of post claims, check-ins, quiz submits and points adjustments, then started again (its start-up runs the
 * reconcilers). Every write the server acknowledged must be there, no post is oversold, retrying the unanswered
 * requests with their Idempotency-Keys pays nothing twice, and the points totals equal a rebuild from the ledger.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import mongoose from 'mongoose';
import { periodIds } from '@pioneer/shared';
import { loadConfig } from '../../config';
import { connectDatabase, ensureIndexes } from '../src/db/connect';
import { tokenIssuer } from '../src/http/auth';
import { rebuildPoints, totalsSnapshot } from '../src/jobs/points-rebuild';
import { CheckinModel } from '../src/modules/checkins/checkins.model';
import { LedgerModel, ScopeStatsModel } from '../src/modules/points/points.model';
import { ClaimModel, PostModel } from '../src/modules/posts/posts.model';
import { loadQuestions } from '../src/modules/quiz/questions.service';
import { QuizResultModel } from '../src/modules/quiz/quiz.model';
import { SEED_BANK } from '../src/modules/quiz/seed-bank';
import { buildCounty, buildMember } from './support/factories';

jest.setTimeout(240_000);

const root = path.resolve(__dirname, '..', '..');
const config = loadConfig({ NODE_ENV: 'test' }, { h5Dir: '/nonexistent' });
const tokens = tokenIssuer(config.jwtSecret, 3600);
const SEATS = 8;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** `node --import tsx` (not the tsx CLI): one process, so SIGKILL really kills the server. */
async function startServer(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      MONGODB_URI: process.env.PIONEER_TEST_MONGODB_URI,
      PORT: String(port),
      HOST: '127.0.0.1',
      H5_DIR: '/nonexistent',
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error('server did not start');
}

interface Sent {
  kind: 'claim' | 'checkin' | 'submit' | 'adjust';
  userId: string;
  path: string;
  body: unknown;
  key: string;
  acked?: { status: number; body: Record<string, unknown> };
  /** The last refusal, for the failure message. */
  refused?: { status: number; body: Record<string, unknown> };
}

async function send(base: string, req: Sent, actorId: string): Promise<void> {
  try {
    const res = await fetch(`${base}${req.path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.sign(actorId)}`,
        'content-type': 'application/json',
        'idempotency-key': req.key,
      },
      body: JSON.stringify(req.body ?? {}),
    });
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.status < 300) req.acked = { status: res.status, body };
    else req.refused = { status: res.status, body };
  } catch {
    // The connection died with the server: not acknowledged, so nothing is promised.
  }
}

const nonZero = (o: Record<string, number> | undefined) =>
  Object.fromEntries(Object.entries(o ?? {}).filter(([, n]) => n));

/**
 * The scopes' documents of the current periods (histogram, members, child sums), the boards' rows (member, points)
 * and the feeds' lines, as stored: what an award's scope write, cut by the kill, leaves to the start-up repair.
 */
async function viewsSnapshot(): Promise<Record<string, unknown>> {
  const current = periodIds(new Date());
  const docs = await ScopeStatsModel.collection
    .find<{
      _id: string;
      h?: Stats;
      n?: Record<string, number>;
      c?: Stats;
      m?: Record<string, string>;
      items?: { id: string }[];
    }>({})
    .toArray();
  const out: Record<string, unknown> = {};
  for (const d of docs) {
    const [period] = d._id.split('|');
    if (d.items) out[`feed ${d._id}`] = d.items.map((i) => i.id).sort();
    else if (d.m && current.includes(period!))
      out[`board ${d._id}`] = Object.entries(d.m)
        .map(([u, row]) => [u, JSON.parse(row.slice(12))[0]])
        .sort(([a], [b]) => (a < b ? -1 : 1));
    else if (!d._id.includes('|'))
      for (const p of current)
        if (d.n?.[p]) out[`scope ${p}|${d._id}`] = { h: nonZero(d.h?.[p]), n: d.n[p], c: nonZero(d.c?.[p]) };
  }
  return out;
}
type Stats = Record<string, Record<string, number>>;

describe('a server killed mid-burst', () => {
  let port: number;
  let server: ChildProcess | null = null;
  const sent: { req: Sent; actorId: string }[] = [];
  let postId = '';

  beforeAll(async () => {
    // main.ts always uses the database `pioneer`; in the test engine no other test file does.
    await connectDatabase(process.env.PIONEER_TEST_MONGODB_URI!, 'pioneer');
    await mongoose.connection.dropDatabase();
    await ensureIndexes();
    await loadQuestions(SEED_BANK);
    const county = await buildCounty();
    const secretary = await buildMember({ branch: county.branchA, roles: ['member', 'secretary'] });
    const members = await Promise.all(Array.from({ length: 24 }, () => buildMember({ branch: county.branchA })));
    const cadres = await Promise.all(
      Array.from({ length: 8 }, () =>
        buildMember({ branch: county.branchA, roles: ['member', 'cadre'], postedTo: county.villageA }),
      ),
    );
    port = await freePort();
    server = await startServer(port);
    const base = `http://127.0.0.1:${port}`;

    const post = await fetch(`${base}/api/v1/posts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.sign(secretary.id)}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        orgId: county.branchA.id,
        title: '路口交通引导',
        category: '交通引导',
        description: '上学高峰引导',
        capacity: SEATS,
      }),
    });
    postId = ((await post.json()) as { id: string }).id;
    // Daily attempts started before the burst; their submits are part of it.
    const attempts = await Promise.all(
      members.slice(0, 12).map(async (m) => {
        const res = await fetch(`${base}/api/v1/quiz/attempts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens.sign(m.id)}`, 'content-type': 'application/json' },
          body: '{"kind":"daily"}',
        });
        return { userId: m.id, id: ((await res.json()) as { id: string }).id };
      }),
    );

    const fence = { lat: 30.5447, lng: 119.9752 };
    for (const m of members)
      sent.push({
        actorId: m.id,
        req: { kind: 'claim', userId: m.id, path: `/api/v1/posts/${postId}/claims`, body: {}, key: `claim-${m.id}` },
      });
    for (const c of cadres)
      sent.push({
        actorId: c.id,
        req: {
          kind: 'checkin',
          userId: c.id,
          path: '/api/v1/checkins',
          body: { ...fence, accuracy: 15, coordType: 'gcj02' },
          key: `checkin-${c.id}`,
        },
      });
    for (const a of attempts)
      sent.push({
        actorId: a.userId,
        req: {
          kind: 'submit',
          userId: a.userId,
          path: `/api/v1/quiz/attempts/${a.id}/submit`,
          body: { answers: [] },
          key: `submit-${a.id}`,
        },
      });
    members.forEach((m, i) =>
      sent.push({
        actorId: secretary.id,
        req: {
          kind: 'adjust',
          userId: m.id,
          path: '/api/v1/points/adjustments',
          body: { userId: m.id, delta: 1 + (i % 5), reason: '协助村里防汛值守' },
          key: `adjust-${m.id}`,
        },
      }),
    );
    sent.sort((a, b) => a.req.key.localeCompare(b.req.key)); // interleave the kinds

    // Fire everything; kill the server once a handful of writes are acknowledged (the rest are in flight).
    const burst = Promise.all(sent.map((s) => send(base, s.req, s.actorId)));
    const until = Date.now() + 30_000;
    while (sent.filter((s) => s.req.acked).length < 6 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    server.kill('SIGKILL');
    await burst;
    server = await startServer(port);
  });

  afterAll(async () => {
    server?.kill('SIGTERM');
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
  });

  test('the burst was really cut: some writes were acknowledged and some were not', () => {
    const acked = sent.filter((s) => s.req.acked).length;
    expect(acked).toBeGreaterThanOrEqual(6);
    expect(acked).toBeLessThan(sent.length);
  });

  test('every acknowledged write is in the database after the restart', async () => {
    for (const { req } of sent.filter((s) => s.req.acked)) {
      if (req.kind === 'claim')
        expect(await ClaimModel.findOne({ _id: `${postId}_${req.userId}` }).lean()).toMatchObject({ status: 'active' });
      if (req.kind === 'checkin') expect(await CheckinModel.findById(String(req.acked!.body.id)).lean()).not.toBeNull();
      if (req.kind === 'submit') expect(await QuizResultModel.findById(req.path.split('/')[5]).lean()).not.toBeNull();
      if (req.kind === 'adjust')
        expect(await LedgerModel.findById(String(req.acked!.body.id)).lean()).toMatchObject({ userId: req.userId });
    }
  });

  test('retrying every request with its key completes the rest, pays once and never oversells the post', async () => {
    const base = `http://127.0.0.1:${port}`;
    const firstReplies = new Map(sent.filter((s) => s.req.acked).map((s) => [s.req.key, s.req.acked!.body.id]));
    await Promise.all(sent.map((s) => send(base, s.req, s.actorId)));
    // An acknowledged write answers the retry with the same record.
    for (const s of sent)
      if (firstReplies.has(s.req.key) && s.req.kind !== 'claim')
        expect(s.req.acked?.body.id).toBe(firstReplies.get(s.req.key));

    // The only refusals left: a full post, or a claim that landed before the kill but whose reply was lost.
    const refusals = sent.filter((s) => !s.req.acked);
    expect(
      refusals
        .filter(
          (s) =>
            !(
              s.req.kind === 'claim' &&
              ['POST_FULL', 'ALREADY_CLAIMED'].includes(String((s.req.refused?.body.error as { code?: string })?.code))
            ),
        )
        .map((s) => `${s.req.kind} ${s.req.refused?.status} ${JSON.stringify(s.req.refused?.body)}`),
    ).toEqual([]);
    const full = refusals.filter((s) => (s.req.refused?.body.error as { code?: string })?.code === 'POST_FULL');
    expect(full).toHaveLength(sent.filter((s) => s.req.kind === 'claim').length - SEATS);
    const active = await ClaimModel.countDocuments({ postId, status: 'active' });
    expect(active).toBe(SEATS);
    expect((await PostModel.findById(postId).lean())!.taken).toBe(SEATS);
    expect(await LedgerModel.countDocuments({ reason: 'manual_adjustment' })).toBe(
      sent.filter((s) => s.req.kind === 'adjust').length,
    );
    expect(await LedgerModel.countDocuments({ reason: 'checkin' })).toBe(
      sent.filter((s) => s.req.kind === 'checkin').length,
    );
    expect(await QuizResultModel.countDocuments({})).toBe(sent.filter((s) => s.req.kind === 'submit').length);
  });

  test('points totals, scope histograms, child sums, boards and feeds equal a rebuild from the ledger', async () => {
    const live = { totals: await totalsSnapshot(), views: await viewsSnapshot() };
    expect(Object.keys(live.totals).length).toBeGreaterThan(0);
    expect(Object.keys(live.views).length).toBeGreaterThan(20); // scopes × periods, boards, feeds
    await rebuildPoints();
    expect({ totals: await totalsSnapshot(), views: await viewsSnapshot() }).toEqual(live);
  });
});
