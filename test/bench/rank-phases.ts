/**
 * Where a cold "my rank" read's time goes (issue 17, H11a): seeds a county (seed-scale.ts), starts the real server,
 * and times, each alone and sequential (a different member and branch each sample, as run.ts's rank line):
 * the HTTP request cold (totals and standing not held), warm (both held: Node alone), GET /healthz, and the driver's
 * key reads by themselves: a member's totals, a branch's scope document (whole and only one period's fields), and
 * the two sent together. Then a series of members never read whose branch is held (the cold path's floor: their own
 * totals only), with this thread's and the engine's CPU per read (/proc; the engine's includes its own background
 * work, e.g. a checkpoint after the seed). Also prints a branch's and the county's scope document size.
 * `npx tsx test/bench/rank-phases.ts --size=10000 --samples=200` (`--profile=300`: that many more such reads under
 * the V8 profiler, split by owner as cpu-per-request.ts splits). With ENGINE_COMMAND_TRACE=1 the server logs each
 * request's commands and their times.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { periodId } from '@pioneer/shared';
import { createApp } from '../../server/src/app';
import { connectDatabase, ensureIndexes } from '../../server/src/db/connect';
import { resolveEngine } from '../../server/src/db/engine';
import { benchConfig, sessionTokens } from './bench-config';
import { seedScaleCounty } from './seed-scale';
import { RANK_VIEW_BOUNDS } from '../../server/src/modules/points/standings';
import { Session } from 'node:inspector/promises';
import { split, topFunctions, type Profile } from './profile-split';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '10000' },
    samples: { type: 'string', default: '200' },
    /** Also profile this many more cold rank reads alone and list who spent the thread's time. */
    profile: { type: 'string', default: '0' },
    /** Also a back-to-back series of cold members in branches whose rank view aged out (waits RANK_VIEW_BOUNDS). */
    'cold-branches': { type: 'boolean', default: false },
  },
});
const SIZE = Number(values.size);
const SAMPLES = Number(values.samples);

/** CPU time (utime + stime), µs, of this thread and of a process (Linux /proc). */
const cpuOf = (stat: string) => {
  const fields = readFileSync(stat, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
};
const threadCpuUs = () => cpuOf(`/proc/self/task/${process.pid}/stat`);
const processCpuUs = (pid: number) => (pid ? cpuOf(`/proc/${pid}/stat`) : NaN);

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(2);
async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function main() {
  const engine = await resolveEngine({ dataDir: mkdtempSync(path.join(tmpdir(), 'pioneer-phases-')), log: () => {} });
  await connectDatabase(engine.uri, `phases_${SIZE}`);
  await mongoose.connection.dropDatabase();
  await ensureIndexes();
  const county = await seedScaleCounty(SIZE);
  const config = benchConfig();
  const token = sessionTokens(config.jwtSecret);
  await token.signAll();
  const server = createServer(createApp({ config, engine: engine.kind }).callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const db = mongoose.connection.db!;
  const totals = db.collection<{ _id: string }>('points_member_totals');
  const scopes = db.collection<{ _id: string }>('points_scopes');
  const month = periodId('month', new Date());
  const n = county.memberIds.length;
  const member = (i: number) => county.memberIds[(i * 7919) % n]!;
  const branch = (i: number) => county.branchIds[((i * 7919) % n) % county.branchIds.length]!;
  const get = async (url: string, user?: string) => {
    const res = await fetch(`${base}${url}`, { headers: user ? { authorization: `Bearer ${token(user)}` } : {} });
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    await res.arrayBuffer();
  };
  const rankUrl = (i: number) => `/api/v1/leaderboards/members?scope=${branch(i)}&period=month&limit=0`;

  const sizeOf = async (id: string) => JSON.stringify(await scopes.findOne({ _id: id })).length;
  console.log(`branch scope doc ${await sizeOf(county.branchIds[0]!)} B, county ${await sizeOf(county.countyId)} B`);
  const monthOnly = { [`h.${month}`]: 1, [`n.${month}`]: 1, [`c.${month}`]: 1 };
  console.log(
    `branch month only ${JSON.stringify(await scopes.findOne({ _id: county.branchIds[0]! }, { projection: monthOnly })).length} B`,
  );

  const rows: Record<string, number[]> = {
    healthz: [],
    'rank cold': [],
    'rank warm (same member again)': [],
    'driver: totals': [],
    'driver: scope whole': [],
    'driver: scope month only': [],
    'driver: totals + scope together': [],
  };
  let k = 0;
  for (let s = 0; s < SAMPLES; s++) {
    rows.healthz!.push(await timed(() => get('/healthz')));
    const i = (k += 1);
    rows['rank cold']!.push(await timed(() => get(rankUrl(i), member(i))));
    rows['rank warm (same member again)']!.push(await timed(() => get(rankUrl(i), member(i))));
    const j = 50_000 + (k += 1);
    rows['driver: totals']!.push(await timed(() => totals.findOne({ _id: member(j) }, { projection: { t: 1, v: 1 } })));
    rows['driver: scope whole']!.push(await timed(() => scopes.findOne({ _id: branch(j) })));
    rows['driver: scope month only']!.push(
      await timed(() => scopes.findOne({ _id: branch(j + 1) }, { projection: monthOnly })),
    );
    rows['driver: totals + scope together']!.push(
      await timed(() =>
        Promise.all([
          totals.findOne({ _id: member(j + 2) }, { projection: { t: 1, v: 1 } }),
          scopes.findOne({ _id: branch(j + 2) }),
        ]),
      ),
    );
  }
  console.table(Object.fromEntries(Object.entries(rows).map(([name, xs]) => [name, { p50: p50(xs) }])));
  // Cold members whose branch is held (read above): CPU per read alone (robust to a busy machine), this thread's
  // (server and client) and the engine's.
  const enginePid = (engine as { pid?: () => number | null }).pid?.() ?? null;
  const coldTimes: number[] = [];
  const branchOfMember = new Map(
    (
      await db
        .collection<{ _id: string; orgId: string }>('users')
        .find({}, { projection: { orgId: 1 } })
        .toArray()
    ).map((u) => [u._id, u.orgId]),
  );
  // Members not read above (each in the branch of `rankUrl(i)`'s member: any branch, held by now).
  const used = new Set(Array.from({ length: 2 * SAMPLES + 2 }, (_, i) => member(i)));
  const unread = county.memberIds.filter((id) => !used.has(id));
  if (values['cold-branches']) {
    // Back to back, as run.ts's line, each branch in turn: a member never read in it while its rank view has aged out,
    // then another never read in it (the view now held): the same minutes, the same branch, one read apart.
    await new Promise((r) => setTimeout(r, RANK_VIEW_BOUNDS * config.sharedViewMs + 200));
    const [aged, held] = [[] as number[], [] as number[]];
    for (const branchId of county.branchIds.slice(0, SAMPLES)) {
      const [first, second] = unread.filter((u) => branchOfMember.get(u) === branchId).slice(-2);
      const url = rankUrl(1).replace(branch(1), branchId);
      aged.push(await timed(() => get(url, first!)));
      held.push(await timed(() => get(url, second!)));
    }
    console.log(`cold members, branch aged out: p50 ${p50(aged)} ms; the next in the same branch: ${p50(held)} ms`);
  }
  const [thread0, engine0] = [threadCpuUs(), enginePid ? processCpuUs(enginePid) : NaN];
  for (let s = 0; s < SAMPLES; s++) {
    const [id, i] = [unread[(s * 7919) % unread.length]!, s + 1];
    const url = rankUrl(i).replace(branch(i), branchOfMember.get(id)!);
    coldTimes.push(await timed(() => get(url, id)));
  }
  console.log(
    `cold members, branch held: p50 ${p50(coldTimes)} ms; CPU per request: this thread ${((threadCpuUs() - thread0) / SAMPLES / 1000).toFixed(3)} ms, engine ${((processCpuUs(enginePid ?? 0) - engine0) / SAMPLES / 1000).toFixed(3)} ms`,
  );
  const profiled = Number(values.profile);
  if (profiled > 0) {
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 50 });
    await session.post('Profiler.start');
    for (let s = 0; s < profiled; s++) {
      const id = unread[(SAMPLES + s) % unread.length]!;
      await get(rankUrl(1).replace(branch(1), branchOfMember.get(id)!), id);
    }
    const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
    const owners = split(profile);
    const total = [...owners.values()].reduce((a, b) => a + b, 0);
    console.table([...owners].sort((a, b) => b[1] - a[1]).map(([who, n]) => ({ who, share: +(n / total).toFixed(3) })));
    console.table(topFunctions(profile, 40));
  }
  server.close();
  await mongoose.disconnect();
  await engine.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
