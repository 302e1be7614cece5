/**
 * Node CPU per request (issue 17): seeds a county (like `npm run bench`), then runs autocannon on each line (the same
 * requests as `npm run bench`: endpoints.ts) with the V8 profiler on for exactly the load window, and prints the main thread's CPU ms per request
 * served, split by who spent it (each sample goes to the innermost frame that is not Node's own code: koa, our
 * middleware, auth, mongoose, the driver and BSON, our services, autocannon; node core only when nothing else is on
 * the stack), plus the engine commands per request and the engine process's CPU ms per request (/proc of the embedded
 * FerretDB; both counted until the requests in flight and their grouped writes are done). A bare Koa hello-world run gives the floor: what autocannon and
 * Node's HTTP cost per request in this one thread. The thread's CPU comes from /proc (Linux) and is split in the
 * proportions of the profile's samples; tokens are signed before the runs (the client's work). On a busy machine the
 * CPU per request still grows with the contention: compare runs taken side by side. Profiles go to --out.
 * `npx tsx test/bench/cpu-per-request.ts --size=10000 --duration=5 --only=rank,me,board` (also: dashboard, healthz,
 * warm: a member's second rank read; the paying lines quiz: start + submit, answered right, checkin: a cadre in the
 * fence, claim: post claim, each also per action); --rounds=N repeats them interleaved, --top=N lists the costliest
 * functions. A paying line pays once per member (cadre) a day: a note says when a line has run out of payers.
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
import { endpoints, loadAnswerKey } from './endpoints';
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
    /** Also list the statements per request by command and collection (each statement is a read and a rewrite). */
    statements: { type: 'boolean', default: false },
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

/** A process's CPU time (utime + stime), µs: the engine's (FerretDB, a child process) from /proc (Linux). */
function processCpu(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
}

/** --only's short names: the lines of endpoints.ts (run.ts's) this tool loads. */
const LINES = {
  healthz: 'GET /healthz',
  board: 'county board top 50 (month)',
  dashboard: '数据看板 (county, month)',
  rank: 'my rank (branch, month)',
  warm: "my rank (warm: a member's second read)",
  me: 'my points (GET /me)',
  quiz: 'daily quiz start + submit (all right: pays 5)',
  checkin: 'check-in (cadre, in fence)',
  claim: 'post claim',
} as const;
/** The paying lines: a member (a cadre for check-in) pays once a day (claims a post once). */
const PAYING = new Set(['quiz', 'checkin', 'claim']);

interface Line {
  /** One action's requests (the quiz: start and submit). */
  requests: autocannon.Request[];
  before?: (base: string) => Promise<void>;
  /** Actions sent so far. */
  used?: () => number;
}

let commandsSent = 0;
/** Statements (documents inserted, updates, deletes) sent per `command collection`, for --statements. */
const statements = new Map<string, number>();
function countStatements(e: { commandName: string; command: Record<string, unknown> }): void {
  const c = e.command;
  const n = Array.isArray(c.updates)
    ? c.updates.length
    : Array.isArray(c.documents)
      ? c.documents.length
      : Array.isArray(c.deletes)
        ? c.deletes.length
        : 1;
  const key = `${e.commandName} ${String(c[e.commandName])}`;
  statements.set(key, (statements.get(key) ?? 0) + n);
}
let served = 0;
/** Until the server's requests in flight when autocannon stopped have ended (at most 10 s), and grouped writes. */
const inFlight = { n: 0 };
async function settle(): Promise<void> {
  for (let waited = 0; inFlight.n > 0 && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 200));
}

async function profiled(name: string, url: string, line: Line, session: Session, enginePid: number | null) {
  await settle();
  const [sent, ended] = [commandsSent, served];
  statements.clear();
  const cpu = process.cpuUsage();
  const thread = mainThreadCpu();
  const engine0 = enginePid ? processCpu(enginePid) : 0;
  await session.post('Profiler.start');
  const result = await autocannon({
    url,
    connections: Number(values.connections),
    duration: Number(values.duration),
    requests: line.requests,
  });
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
  const used = process.cpuUsage(cpu);
  const threadUs = mainThreadCpu() - thread;
  // The engine's CPU and the commands include the grouped writes made after the replies (written within ~10 ms).
  await settle();
  const engineUs = enginePid ? processCpu(enginePid) - engine0 : NaN;
  const count = name === 'bare Koa' ? result.requests.total : served - ended;
  const perAction = line.requests.length;
  writeFileSync(path.join(values.out!, `${name.replace(/\W+/g, '-')}.cpuprofile`), JSON.stringify(profile));
  const spent = split(profile);
  const sampled = [...spent.values()].reduce((s, v) => s + v, 0);
  const interval = Number(values.interval);
  const perReq = (us: number) => +(us / 1000 / count).toFixed(4);
  console.log(
    `\n${name}: ${count} requests (${result.non2xx + result.errors} not 2xx), ${Math.round(result.requests.average)}/s; ` +
      `engine commands ${((commandsSent - sent) / count).toFixed(2)}/request; main thread ${perReq(threadUs)} ms/request ` +
      `(samples x interval ${perReq(sampled * interval)}), process (all threads) ${perReq(used.user + used.system)} ` +
      `ms/request; engine process ${perReq(engineUs)} ms/request` +
      (perAction > 1
        ? `; per action (${perAction} requests): main thread ${perReq(threadUs * perAction)} ms, engine ` +
          `${perReq(engineUs * perAction)} ms, commands ${(((commandsSent - sent) / count) * perAction).toFixed(2)}`
        : ''),
  );
  // Each owner's share of the sampled busy time, applied to the thread's CPU time.
  const rows = [...spent.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([who, us]) => ({ who, 'ms/request': perReq((us / sampled) * threadUs), share: +(us / sampled).toFixed(3) }));
  console.table(rows.filter((r) => r['ms/request'] >= 0.001));
  if (Number(values.top) > 0) console.table(topFunctions(profile, Number(values.top)));
  if (values.statements)
    console.table(
      [...statements.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([what, n]) => ({ what, 'per request': +(n / count).toFixed(2) })),
    );
  return { node: threadUs / count, engine: engineUs / count };
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
  mongoose.connection.getClient().on('commandStarted', (e) => {
    commandsSent += 1;
    if (values.statements) countStatements(e);
  });
  await mongoose.connection.dropDatabase();
  await ensureIndexes();
  const c = await seedScaleCounty(size);
  const server = createServer(createApp({ config, engine: engine.kind }).callback());
  // Signed before the runs (signing is the client's work, not the server's), as sign-in signs them: with the claims a
  // read trusts (after createApp: shared views on), BENCH_PLAIN_TOKENS=1 without (bench-config.ts).
  await token.signAll();
  server.on('request', (_req, res) => {
    inFlight.n += 1;
    res.once('close', () => {
      inFlight.n -= 1;
      served += 1;
    });
  });
  const base = await listen(server);
  const bare = new Koa();
  bare.use((ctx) => {
    ctx.body = 'hello';
  });
  const bareUrl = await listen(createServer(bare.callback()));

  await loadAnswerKey();
  // The same requests as `npm run bench` (endpoints.ts), under the short names --only takes.
  const lines = new Map(endpoints(c, token).map((e) => [e.name, e]));
  const reads: Record<string, Line> = {
    'bare Koa': { requests: [{ path: '/' }] },
    ...Object.fromEntries(
      Object.entries(LINES).map(([short, name]) => {
        const e = lines.get(name)!;
        let n = 0; // each line its own members, on from round to round (a repeated member pays nothing)
        return [short, { requests: e.load!(() => n++), before: e.beforeLoad, used: () => n }];
      }),
    ),
  };
  for (const short of values.only ? values.only.split(',') : Object.keys(LINES)) await reads[short]?.before?.(base);
  const wanted = values.only ? ['bare Koa', ...values.only.split(',')] : Object.keys(reads);
  const unknown = wanted.filter((w) => !reads[w]);
  if (unknown.length > 0)
    throw new Error(`--only: no line ${unknown.join(', ')} (lines: ${Object.keys(LINES).join(', ')})`);
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: Number(values.interval) });
  const enginePid = (engine as { pid?: () => number | null }).pid?.() ?? null;
  if (!enginePid) console.log('(no embedded engine process: engine CPU not measured)');
  const perRequest = new Map<string, number[]>();
  const enginePerRequest = new Map<string, number[]>();
  for (let round = 0; round < Number(values.rounds); round++)
    for (const name of wanted) {
      const us = await profiled(name, name === 'bare Koa' ? bareUrl : base, reads[name]!, session, enginePid);
      const used = reads[name]!.used?.() ?? 0;
      const payers = name === 'checkin' ? c.cadres.length : c.memberIds.length;
      if (PAYING.has(name) && used > payers)
        console.log(`  (${name}: ${used} actions so far for ${payers} payers: a repeat pays nothing today)`);
      perRequest.set(name, [...(perRequest.get(name) ?? []), Math.round(us.node)]);
      enginePerRequest.set(name, [...(enginePerRequest.get(name) ?? []), Math.round(us.engine)]);
    }
  const byRound = (title: string, rows: Map<string, number[]>) => {
    console.log(`\n${title} µs/request by round (median; min–max):`);
    for (const [name, list] of rows) {
      const sorted = [...list].sort((a, b) => a - b);
      console.log(`  ${name}: ${list.join(' ')} (${sorted[sorted.length >> 1]}; ${sorted[0]}–${sorted.at(-1)})`);
    }
  };
  byRound('main thread', perRequest);
  if (enginePid) byRound('engine process', enginePerRequest);
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
