/**
 * @slow Engine supervision (issue 23): the real server (`server/src/main.ts`, its own process) on its own embedded
 * engine; a burst of writes from several clients (a secretary's point adjustments, members claiming a capped post);
 * the engine is killed with SIGKILL mid-burst, three times. Each time /readyz must turn not-ready within 2 s and
 * ready again within 30 s, requests during the outage get 503 DB_UNAVAILABLE within 1 s (not 500 after 10 s),
 * and afterwards every acknowledged write is there, none twice, no post oversold, totals equal a rebuild.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { loadConfig } from '../../config';
import { connectDatabase } from '../src/db/connect';
import { tokenIssuer } from '../src/http/auth';
import { rebuildPoints, totalsSnapshot } from '../src/jobs/points-rebuild';
import { feedHolds, isJournal, leavePending } from '../src/modules/points/applied-marks';
import { LedgerModel } from '../src/modules/points/points.model';
import { ClaimModel, PostModel } from '../src/modules/posts/posts.model';
import { buildCounty, buildMember } from './support/factories';
import { readiness, startChildServer, waitForReadiness, type ChildServer } from './support/child-server';

jest.setTimeout(180_000);

const config = loadConfig({ NODE_ENV: 'test' }, { h5Dir: '/nonexistent' });
const tokens = tokenIssuer(config.jwtSecret, 3600);
const ROUNDS = 3;
const SEATS = 5;
const LANES = 6;
const embedded = process.env.PIONEER_TEST_ENGINE === 'ferretdb';

interface Write {
  kind: 'adjust' | 'claim';
  actorId: string;
  userId: string;
  path: string;
  body: unknown;
  key: string;
  sentAt?: number;
  reply?: { status: number; code?: string; ms: number; retryAfter: string | null };
}

async function send(base: string, w: Write): Promise<void> {
  const started = (w.sentAt = Date.now());
  try {
    const res = await fetch(`${base}${w.path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.sign(w.actorId)}`,
        'content-type': 'application/json',
        'idempotency-key': w.key,
      },
      body: JSON.stringify(w.body),
    });
    const body = (await res.json().catch(() => ({}))) as { id?: string; error?: { code?: string } };
    w.reply = {
      status: res.status,
      code: body.error?.code,
      ms: Date.now() - started,
      retryAfter: res.headers.get('retry-after'),
    };
  } catch {
    // No reply at all: not acknowledged, so nothing is promised (the server itself is never killed here).
  }
}

/** LANES clients, each sending its next write as soon as the last one answered. */
async function burst(base: string, writes: Write[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: LANES }, async () => {
      while (next < writes.length) await send(base, writes[next++]!);
    }),
  );
}

const acked = (w: Write) => !!w.reply && w.reply.status < 300;

const INJECTED_NOTE = '崩溃前未入账的调整';

/**
 * What a crash between two writes leaves, made certain rather than left to timing: a ledger entry written but not
 * yet added to the totals (in the journal, not in its feed), and a seat reserved by a claim that was never written
 * (taken one too high). The recovery's repairs must finish both.
 */
async function leaveHalfDoneWrites(postId: string): Promise<void> {
  const paid = await LedgerModel.findOne({ reason: 'manual_adjustment' }).lean();
  await LedgerModel.collection.insertOne({ ...paid!, _id: 'adjust|crash|half-done', note: INJECTED_NOTE } as never);
  await leavePending('adjust|crash|half-done'); // its journal line, written by the insert's own command
  await PostModel.updateOne({ _id: postId }, { $inc: { taken: 1 } });
}

(embedded ? describe : describe.skip)('the embedded engine killed mid-burst, three times', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pioneer-supervision-'));
  let server: ChildServer;
  const writes: Write[] = [];
  const posts: string[] = [];
  /** Per kill: ms to not-ready and to ready again (from the kill), reply times of requests sent during the outage, and
   * the slowest reply to a request caught in flight by the kill. */
  const measured: Array<{ notReadyMs: number; readyMs: number; outageReplyMs: number[]; inFlightMaxMs: number }> = [];

  beforeAll(async () => {
    server = await startChildServer(dataDir);
    await connectDatabase(server.engineUri, 'pioneer');
    const county = await buildCounty();
    const secretary = await buildMember({ branch: county.branchA, roles: ['member', 'secretary'] });
    const members = await Promise.all(Array.from({ length: 12 }, () => buildMember({ branch: county.branchA })));
    for (let round = 0; round < ROUNDS; round++) {
      const res = await fetch(`${server.base}/api/v1/posts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.sign(secretary.id)}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          orgId: county.branchA.id,
          title: `路口交通引导${round + 1}`,
          category: '交通引导',
          description: '上学高峰引导',
          capacity: SEATS,
        }),
      });
      expect(res.status).toBe(201);
      posts.push(((await res.json()) as { id: string }).id);
    }

    for (let round = 0; round < ROUNDS; round++) {
      const batch: Write[] = [];
      members.forEach((m, i) => {
        batch.push({
          kind: 'claim',
          actorId: m.id,
          userId: m.id,
          path: `/api/v1/posts/${posts[round]}/claims`,
          body: {},
          key: `claim-${round}-${m.id}`,
        });
        for (let j = 0; j < 3; j++) {
          const note = `防汛值守第${round + 1}轮${i}-${j}`;
          batch.push({
            kind: 'adjust',
            actorId: secretary.id,
            userId: m.id,
            path: '/api/v1/points/adjustments',
            body: { userId: m.id, delta: 1 + ((i + j) % 5), reason: note },
            key: `adjust-${round}-${i}-${j}`,
          });
        }
      });
      batch.sort((a, b) => a.key.split('-').reverse().join().localeCompare(b.key.split('-').reverse().join())); // interleave kinds
      writes.push(...batch);

      const { body } = await readiness(server.base);
      const pid = body.engine.pid!;
      const running = burst(server.base, batch);
      while (batch.filter(acked).length < 5) await new Promise((r) => setTimeout(r, 5));
      if (round === 0) await leaveHalfDoneWrites(posts[0]!);
      const killedAt = Date.now();
      process.kill(pid, 'SIGKILL');
      const notReadyMs = await waitForReadiness(server.base, (r) => r.status === 503, 2_000);
      const notReadyAt = Date.now();
      // Requests while the engine is away: a read and a write, each answered at once.
      const probes: Write[] = [
        {
          kind: 'adjust',
          actorId: secretary.id,
          userId: members[0]!.id,
          path: '/api/v1/points/adjustments',
          body: { userId: members[0]!.id, delta: 1, reason: `停机期间的调整${round}` },
          key: `outage-${round}`,
        },
      ];
      await Promise.all(probes.map((w) => send(server.base, w)));
      writes.push(...probes);
      const started = Date.now();
      const me = await fetch(`${server.base}/api/v1/me`, {
        headers: { authorization: `Bearer ${tokens.sign(members[1]!.id)}` },
      });
      const readReply = {
        status: me.status,
        ms: Date.now() - started,
        code: ((await me.json()) as { error?: { code?: string } }).error?.code,
      };
      await waitForReadiness(server.base, (r) => r.status === 200, 30_000);
      const readyMs = Date.now() - killedAt;
      await running;
      expect(readReply).toMatchObject({ status: 503, code: 'DB_UNAVAILABLE' });
      const sentInOutage = batch.concat(probes).filter((w) => w.sentAt! >= notReadyAt && w.reply?.status === 503);
      const inFlight = batch.filter((w) => w.sentAt! < killedAt && w.reply);
      measured.push({
        notReadyMs,
        readyMs,
        outageReplyMs: [readReply.ms, ...sentInOutage.map((w) => w.reply!.ms)],
        inFlightMaxMs: Math.max(...inFlight.map((w) => w.reply!.ms)),
      });
      expect((await readiness(server.base)).body.engine).toMatchObject({
        state: 'running',
        restarts: round + 1,
        reconciled: true,
      });
      await server.waitForLog(/database back \(engine restarted\)/, round + 1, 5_000);
    }
  });

  afterAll(async () => {
    // A round that did not finish: the server's own last words say where its recovery stood.
    if (measured.length < ROUNDS && server)
      process.stderr.write(
        `engine supervision, server's last log lines:\n${server.logs
          .slice(-40)
          .map((l) => JSON.stringify(l).slice(0, 400))
          .join('\n')}\n`,
      );
    await server?.stop();
    await mongoose.disconnect();
    rmSync(dataDir, { recursive: true, force: true });
    process.stderr.write(
      `engine supervision, measured per kill: ${JSON.stringify(measured.map((m) => ({ notReadyMs: m.notReadyMs, readyMs: m.readyMs, outage503s: m.outageReplyMs.length, slowest503Ms: Math.max(...m.outageReplyMs), inFlightMaxMs: m.inFlightMaxMs })))}\n`,
    );
  });

  test('each kill: not ready within 2 s, ready again within 30 s, logged, and requests sent during the outage answered 503 DB_UNAVAILABLE with Retry-After within 1 s', () => {
    expect(measured).toHaveLength(ROUNDS);
    for (const m of measured) {
      expect(m.notReadyMs).toBeLessThan(2_000);
      expect(m.readyMs).toBeLessThan(30_000);
      expect(Math.max(...m.outageReplyMs)).toBeLessThan(1_000);
      // A request the kill caught mid-way waits for the engine (or DB_WAIT_MS per query), then ends: no hang.
      expect(m.inFlightMaxMs).toBeLessThan(15_000);
    }
    const unavailable = writes.filter((w) => w.reply?.status === 503);
    expect(unavailable.length).toBeGreaterThanOrEqual(ROUNDS);
    for (const w of unavailable) expect(w.reply).toMatchObject({ code: 'DB_UNAVAILABLE', retryAfter: '2' });
    expect(server.logs.filter((l) => l.level >= 50 && /exited unexpectedly \(SIGKILL\)/.test(l.msg))).toHaveLength(
      ROUNDS,
    );
    expect(server.logs.filter((l) => /database back \(engine restarted\)/.test(l.msg))).toHaveLength(ROUNDS);
  });

  test('what the first crash left half-done (an unapplied ledger entry, a seat without its claim) was repaired once by the recovery', async () => {
    expect(server.logs.some((l) => /applied ledger entries left unapplied/.test(l.msg))).toBe(true);
    expect(server.logs.some((l) => /repaired posts and wishes left half-done/.test(l.msg))).toBe(true);
    const injected = await LedgerModel.find({ note: INJECTED_NOTE }).lean();
    expect(injected.map((e) => e._id)).toEqual(['adjust|crash|half-done']);
    expect(await feedHolds(injected[0]!)).toBe(true); // finished: its feed line is the last thing written
  });

  test('the only refusals are 503 DB_UNAVAILABLE and a full post: no 500, no hang', () => {
    const other = writes.filter(
      (w) =>
        w.reply &&
        w.reply.status >= 300 &&
        w.reply.code !== 'DB_UNAVAILABLE' &&
        !(w.kind === 'claim' && w.reply.code === 'POST_FULL'),
    );
    // On failure, the server's own account of each 500 says what was not mapped.
    const failures = server.logs
      .filter((l) => l.msg === 'request failed')
      .map((l) => JSON.stringify((l as { err?: unknown }).err).slice(0, 600));
    expect({ refusals: other.map((w) => `${w.kind} ${w.reply!.status} ${w.reply!.code}`), failures }).toEqual({
      refusals: [],
      failures: [],
    });
    expect(writes.filter(acked).length).toBeGreaterThanOrEqual(5 * ROUNDS);
  });

  test('every acknowledged write is there; every unacknowledged one at most once', async () => {
    for (const w of writes.filter((x) => x.kind === 'adjust')) {
      const stored = await LedgerModel.countDocuments({ note: (w.body as { reason: string }).reason });
      if (acked(w)) expect({ key: w.key, stored }).toEqual({ key: w.key, stored: 1 });
      else expect(stored).toBeLessThanOrEqual(1);
    }
    for (const w of writes.filter((x) => x.kind === 'claim' && acked(x))) {
      expect(await ClaimModel.findById(`${w.path.split('/')[4]}_${w.userId}`).lean()).toMatchObject({
        status: 'active',
      });
    }
    // Every paying entry finished: its feed holds it (applied-marks.ts).
    const entries = (await LedgerModel.find({}).lean()).filter((e) => !isJournal(e._id) && e.delta !== 0);
    const unfinished: string[] = [];
    for (const e of entries) if (!(await feedHolds(e))) unfinished.push(e._id);
    expect(unfinished).toEqual([]);
  });

  test('no post is oversold and each post counts exactly its active claims', async () => {
    for (const postId of posts) {
      const active = await ClaimModel.countDocuments({ postId, status: 'active' });
      expect(active).toBeLessThanOrEqual(SEATS);
      expect((await PostModel.findById(postId).lean())!.taken).toBe(active);
    }
  });

  test('points totals equal a rebuild from the ledger', async () => {
    const live = await totalsSnapshot();
    expect(Object.keys(live).length).toBeGreaterThan(0);
    await rebuildPoints();
    expect(await totalsSnapshot()).toEqual(live);
  });
});
