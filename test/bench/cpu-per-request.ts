/**
 * Node CPU per request on the cold reads (issue 17): seeds a county (like `npm run bench`), then runs autocannon on
 * each read with the V8 profiler on for exactly the load window, and prints the main thread's CPU ms per request
 * served, split by who spent it (each sample goes to the innermost frame that is not Node's own code: koa, our
 * middleware, auth, mongoose, the driver and BSON, our services, autocannon; node core only when nothing else is on
 * the stack), plus the engine commands per request. A bare Koa hello-world run gives the floor: what autocannon and
 * Node's HTTP cost per request in this one thread. The thread's CPU comes from /proc (Linux) and is split in the
 * proportions of the profile's samples; tokens are signed before the runs (the client's work). On a busy machine the
 * CPU per request still grows with the contention: compare runs taken side by side. Profiles go to --out.
 * `npx tsx test/bench/cpu-per-request.ts --size=10000 --duration=5 --only=rank,me,board` (also: dashboard, healthz,
 * warm: a member's second rank read); --rounds=N repeats them interleaved, --top=N lists the costliest functions.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import Koa from 'koa';
import mongoose from 'mongoose';
import { createApp } from '../../server/src/app';
import { connectDatabase, ensureIndexes } from '../../server/src/db/connect';
import { resolveEngine } from '../../server/src/db/engine';
import { benchConfig, sessionTokens } from './bench-config';
import { seedScaleCounty } from './seed-scale';
import { split, topFunctions, type Profile } from './profile-split';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '10000' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    only: { type: 'string', default: '' },
    out: { type: 'string', default: path.join(tmpdir(), 'pioneer-cpu') },
    /** Sampling interval, µs. */
    interval: { type: 'string', default: '200' },
    /** Each read this many times, interleaved (the spread between rounds is the noise of a shared machine). */
    rounds: { type: 'string', default: '1' },
    /** Also list this many functions by their own samples. */
    top: { type: 'string', default: '0' },
  },
});

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );

/** This thread's CPU time, µs (Linux: /proc; the profile's sample times count time the thread waited for a core). */
function mainThreadCpu(): number {
  const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
}

let commandsSent = 0;
let served = 0;

async function profiled(name: string, url: string, requests: autocannon.Request[], session: Session) {
  await new Promise((r) => setTimeout(r, 200));
  const [sent, ended] = [commandsSent, served];
  const cpu = process.cpuUsage();
  const thread = mainThreadCpu();
  await session.post('Profiler.start');
  const result = await autocannon({
    url,
    connections: Number(values.connections),
    duration: Number(values.duration),
    requests,
  });
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
  const used = process.cpuUsage(cpu);
  const threadUs = mainThreadCpu() - thread;
  await new Promise((r) => setTimeout(r, 200));
  const count = name === 'bare Koa' ? result.requests.total : served - ended;
  writeFileSync(path.join(values.out!, `${name.replace(/\W+/g, '-')}.cpuprofile`), JSON.stringify(profile));
  const spent = split(profile);
  const sampled = [...spent.values()].reduce((s, v) => s + v, 0);
  const interval = Number(values.interval);
  const perReq = (us: number) => +(us / 1000 / count).toFixed(4);
  console.log(
    `\n${name}: ${count} requests (${result.non2xx + result.errors} not 2xx), ${Math.round(result.requests.average)}/s; ` +
      `engine commands ${((commandsSent - sent) / count).toFixed(2)}/request; main thread ${perReq(threadUs)} ms/request ` +
      `(samples x interval ${perReq(sampled * interval)}), process (all threads) ${perReq(used.user + used.system)} ms/request`,
  );
  // Each owner's share of the sampled busy time, applied to the thread's CPU time.
  const rows = [...spent.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([who, us]) => ({ who, 'ms/request': perReq((us / sampled) * threadUs), share: +(us / sampled).toFixed(3) }));
  console.table(rows.filter((r) => r['ms/request'] >= 0.001));
  if (Number(values.top) > 0) console.table(topFunctions(profile, Number(values.top)));
  return threadUs / count;
}

async function main() {
  mkdirSync(values.out!, { recursive: true });
  const engine = await resolveEngine({
    mongodbUri: process.env.MONGODB_URI,
    dataDir: mkdtempSync(path.join(tmpdir(), 'pioneer-cpu-')),
    log: () => {},
  });
  const config = benchConfig();
  const token = sessionTokens(config.jwtSecret);
  const size = Number(values.size);
  await connectDatabase(engine.uri, `cpu_${size}`);
  mongoose.connection.getClient().on('commandStarted', () => (commandsSent += 1));
  await mongoose.connection.dropDatabase();
  await ensureIndexes();
  const c = await seedScaleCounty(size);
  const server = createServer(createApp({ config, engine: engine.kind }).callback());
  // Signed before the runs (signing is the client's work, not the server's), as sign-in signs them: with the claims a
  // read trusts (after createApp: shared views on), BENCH_PLAIN_TOKENS=1 without (bench-config.ts).
  await token.signAll();
  server.on('request', (_req, res) => res.once('close', () => (served += 1)));
  const base = await listen(server);
  const bare = new Koa();
  bare.use((ctx) => {
    ctx.body = 'hello';
  });
  const bareUrl = await listen(createServer(bare.callback()));

  let counter = 0;
  const member = (i: number) => c.memberIds[(i * 7919) % c.memberIds.length]!;
  const branchOf = (i: number) => c.branchIds[((i * 7919) % c.memberIds.length) % c.branchIds.length]!;
  const headers = (id: string) => ({ authorization: `Bearer ${token(id)}` });
  const each = (pathOf: (i: number) => string, who: (i: number) => string): autocannon.Request[] => [
    {
      setupRequest: (req) => {
        const i = counter++;
        return { ...req, path: pathOf(i), headers: headers(who(i)) };
      },
    },
  ];
  // As run.ts's warm line: the last 500 members, each read once before the load, so the load reads their next read.
  const warmIndex = (k: number) => c.memberIds.length - 1 - (k % 500);
  const warmUrl = (k: number) =>
    `/api/v1/leaderboards/members?scope=${c.branchIds[warmIndex(k) % c.branchIds.length]}&period=month&limit=0`;
  const warmHeaders = (k: number) => headers(c.memberIds[warmIndex(k)]!);
  for (let k = 0; k < 500; k++) await fetch(`${base}${warmUrl(k)}`, { headers: warmHeaders(k) });
  let warmCounter = 0;
  const reads: Record<string, autocannon.Request[]> = {
    'bare Koa': [{ path: '/' }],
    healthz: [{ path: '/healthz' }],
    warm: [
      {
        setupRequest: (req) => {
          const k = warmCounter++;
          return { ...req, path: warmUrl(k), headers: warmHeaders(k) };
        },
      },
    ],
    board: each(
      () => `/api/v1/leaderboards/members?scope=${c.countyId}&period=month&limit=50`,
      () => c.adminId,
    ),
    rank: each((i) => `/api/v1/leaderboards/members?scope=${branchOf(i)}&period=month&limit=0`, member),
    me: each(() => '/api/v1/me', member),
    dashboard: each(
      () => '/api/v1/dashboard?period=month',
      () => c.adminId,
    ),
  };
  const wanted = values.only ? ['bare Koa', ...values.only.split(',')] : Object.keys(reads);
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: Number(values.interval) });
  const perRequest = new Map<string, number[]>();
  for (let round = 0; round < Number(values.rounds); round++)
    for (const name of wanted) {
      const us = await profiled(name, name === 'bare Koa' ? bareUrl : base, reads[name]!, session);
      perRequest.set(name, [...(perRequest.get(name) ?? []), Math.round(us)]);
    }
  console.log('\nmain thread µs/request by round (median; min–max):');
  for (const [name, list] of perRequest) {
    const sorted = [...list].sort((a, b) => a - b);
    console.log(`  ${name}: ${list.join(' ')} (${sorted[sorted.length >> 1]}; ${sorted[0]}–${sorted.at(-1)})`);
  }
  session.disconnect();
  server.close();
  await mongoose.connection.dropDatabase();
  await mongoose.disconnect();
  await engine.stop();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
