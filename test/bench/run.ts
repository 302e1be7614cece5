/**
 * `npm run bench`: seeds a county at 1k, 10k and 100k members on the embedded engine (or MONGODB_URI), starts the
 * real server, and measures (1) each hot path's latency as the data grows (sequential requests: must stay flat) and
 * (2) throughput with autocannon (50 connections, 10 s each) against a bare Koa hello-world in the same run, and
 * (3) the engine commands each action sends (the server's X-Engine-Commands header, summed over an action's requests;
 * under load, `loadCommands`: every command the driver sent during the run per action).
 * Results: a table on stdout and JSON in test/artifacts/bench/.
 * Options: --sizes=1000,10000,100000 --duration=10 --connections=50 --samples=200 --only=<part of a name>[,<another>]
 * --client=worker|thread: the sequential series sent from a worker thread (default) or the server's own thread.
 * `--check`: a cheap gate (1k members, 20 actions each, no throughput run unless --sizes/--duration say so): exits
 * non-zero when an action sends more engine commands than test/bench/thresholds.json allows, or, when throughput
 * was measured, when a ratio to bare Koa falls below its floor there. The counts are exact; ratios need a quiet
 * machine, so their floors sit well below the measured numbers.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import Koa from 'koa';
import mongoose from 'mongoose';
import { loadConfig } from '../../config';
import { createApp } from '../../server/src/app';
import { connectDatabase, ensureIndexes } from '../../server/src/db/connect';
import { resolveEngine } from '../../server/src/db/engine';
import { tokenIssuer } from '../../server/src/http/auth';
import { seedScaleCounty } from './seed-scale';
import { endpoints, loadAnswerKey, type Endpoint } from './endpoints';
import { signSessions } from './bench-config';
import { closeClient, useClient, type ClientKind } from './http-client';

const { values } = parseArgs({
  options: {
    only: { type: 'string', default: '' },
    sizes: { type: 'string' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    samples: { type: 'string' },
    check: { type: 'boolean', default: false },
    /** With --check: also measure throughput at the largest size and hold the ratios to their floors. */
    'check-ratios': { type: 'boolean', default: false },
    /** Who sends the sequential series: a worker thread (default: a client off the server's thread) or `thread`. */
    client: { type: 'string', default: 'worker' },
  },
});
const CHECK = values.check!;
const SIZES = (values.sizes ?? (CHECK ? '1000' : '1000,10000,100000')).split(',').map(Number);
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const SAMPLES = Number(values.samples ?? (CHECK ? '20' : '200'));
const MEASURE_LOAD = !CHECK || values['check-ratios']!;
useClient(values.client as ClientKind);

/** test/bench/thresholds.json: the most engine commands per action (mean), the least ratio to bare Koa. */
interface Thresholds {
  commands: Record<string, number>;
  ratios: Record<string, number>;
}

/** What --check finds wrong: an action over its commands, a ratio under its floor, a named action not measured. */
function regressions(
  limits: Thresholds,
  lat: Record<string, { commands: number }>,
  loads: Record<string, { ratio: number }> | undefined,
): string[] {
  const found: string[] = [];
  for (const [name, max] of Object.entries(limits.commands)) {
    const got = lat[name]?.commands;
    if (got === undefined) {
      if (!values.only) found.push(`${name}: not measured`);
    } else if (got > max) found.push(`${name}: ${got} engine commands per action > ${max}`);
  }
  if (loads)
    for (const [name, min] of Object.entries(limits.ratios)) {
      const got = loads[name]?.ratio;
      if (got !== undefined && got < min) found.push(`${name}: ratio ${got} to bare Koa < ${min}`);
    }
  return found;
}

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Sequential actions: p50/p99 ms, and engine commands per action (mean and most), a count a busy machine cannot blur. */
async function latency(base: string, e: Endpoint, offset: number) {
  const times: number[] = [];
  const commands: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = process.hrtime.bigint();
    const done = await e.once(base, offset + i);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    commands.push(typeof done === 'number' ? done : done.commands);
    times.push(typeof done === 'number' ? ms : done.ms);
  }
  times.sort((a, b) => a - b);
  const mean = commands.reduce((s, n) => s + n, 0) / commands.length;
  return {
    p50: +percentile(times, 50).toFixed(2),
    p99: +percentile(times, 99).toFixed(2),
    commands: +mean.toFixed(1),
    commandsMax: Math.max(...commands),
  };
}

/** Every engine command this process's driver sends (the server runs in this process): counted over a load run. */
let commandsSent = 0;

/**
 * The server's requests, counted as they end (answered, or their client gone): under load, commands are divided by
 * the requests the server worked on, once those in flight when autocannon stopped have ended. Dividing by the
 * replies autocannon received counted the commands of up to 50 unfinished requests against too few actions (about
 * +4 a quiz at 25 a second).
 */
const served = { inFlight: 0, ended: 0 };
function countRequests(server: Server): Server {
  server.on('request', (_req, res) => {
    served.inFlight += 1;
    res.once('close', () => {
      served.inFlight -= 1;
      served.ended += 1;
    });
  });
  return server;
}

/** Until every request in flight has ended (at most 10 s), and a grouped write's 10 ms after it. */
async function settle(): Promise<void> {
  for (let waited = 0; served.inFlight > 0 && waited < 10_000; waited += 20)
    await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 50));
}

async function load(base: string, requests: autocannon.Request[]) {
  await settle();
  const sentBefore = commandsSent;
  const endedBefore = served.ended;
  const result = await autocannon({ url: base, connections: CONNECTIONS, duration: DURATION, requests });
  await settle();
  // Per action (the quiz is two requests): under load, where shared views are read once per bound for everyone.
  const actions = (served.ended - endedBefore) / requests.length;
  return {
    loadCommands: actions > 0 ? +((commandsSent - sentBefore) / actions).toFixed(2) : 0,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    non2xx: result.non2xx,
  };
}

async function main() {
  const engine = await resolveEngine({
    mongodbUri: process.env.MONGODB_URI,
    dataDir: mkdtempSync(path.join(tmpdir(), 'pioneer-bench-')),
    log: (m) => console.log(m),
  });
  // Rate limits off: the load generator is one IP driving thousands of members (the limits are tested elsewhere).
  const config = loadConfig(
    { NODE_ENV: 'test' },
    {
      h5Dir: '/nonexistent',
      rateLimit: { loginPerMinIp: 0, writesPerMinUser: 0, writesPerMinIp: 0, readsPerMinUser: 0 },
      // Shared views as deployed (the test config turns them off so each test reads what it wrote).
      sharedViewMs: Number(process.env.SHARED_VIEW_MS ?? 1000),
    },
  );
  const tokens = tokenIssuer(config.jwtSecret, 3600);
  const cache = new Map<string, string>();
  const token = (id: string) => cache.get(id) ?? cache.set(id, tokens.sign(id)).get(id)!;
  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, ${engine.kind}`;
  const bare = new Koa();
  bare.use((ctx) => {
    ctx.body = 'hello';
  });
  const bareServer = createServer(bare.callback());
  const bareUrl = await listen(bareServer);
  const report: Record<string, unknown> = {
    machine,
    client: values.client,
    at: new Date().toISOString(),
    sizes: {} as Record<number, unknown>,
  };
  let counter = 0;
  const next = () => counter++;

  for (const size of SIZES) {
    await connectDatabase(engine.uri, `bench_${size}`);
    mongoose.connection.getClient().on('commandStarted', () => (commandsSent += 1));
    await mongoose.connection.dropDatabase();
    await ensureIndexes();
    const started = Date.now();
    const county = await seedScaleCounty(size);
    await loadAnswerKey();
    const seedSeconds = (Date.now() - started) / 1000;
    console.log(`\n${size} members: seeded in ${seedSeconds.toFixed(1)} s`, county.seconds);
    const server = countRequests(createServer(createApp({ config, engine: engine.kind }).callback()));
    const base = await listen(server);
    // --only=wall: just the endpoints whose name contains it (for a before/after of one change); --only=rank,board
    // any of several.
    const wanted = values.only ? values.only.split(',') : [];
    const list = endpoints(county, token).filter((e) => !values.only || wanted.some((w) => e.name.includes(w)));
    // Every member's token signed before any timing: signing in the measured window spent the server's thread.
    // As each member's sign-in signs it (with its claims: bench-config.ts signSessions; BENCH_PLAIN_TOKENS=1 without).
    await signSessions(tokens, cache);
    const lat: Record<string, Awaited<ReturnType<typeof latency>>> = {};
    for (const e of list) lat[e.name] = await latency(base, e, size);
    console.table(lat);
    const entry: Record<string, unknown> = { seedSeconds, seedParts: county.seconds, latency: lat };
    if (MEASURE_LOAD && size === Math.max(...SIZES)) {
      const ceiling = await load(bareUrl, [{ path: '/' }]);
      const loads: Record<string, unknown> = { 'bare Koa hello (ceiling)': { ...ceiling, ratio: 1 } };
      for (const e of list) {
        if (!e.load) continue;
        await e.beforeLoad?.(base);
        const r = await load(base, e.load(next));
        const paying = e.paying?.();
        loads[e.name] = {
          ...r,
          ratio: +(r.rps / ceiling.rps).toFixed(3),
          commands: lat[e.name]!.commands,
          ...(paying === undefined ? {} : { paying }),
        };
      }
      console.log(`\nthroughput at ${size} members, ${CONNECTIONS} connections x ${DURATION} s, ${machine}`);
      console.table(loads);
      entry.load = loads;
    }
    (report.sizes as Record<number, unknown>)[size] = entry;
    await closeClient(); // its kept-alive connections would hold the server's close
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await mongoose.connection.dropDatabase();
    await mongoose.disconnect();
  }
  const first = report.sizes as Record<number, { latency: Record<string, { p50: number }> }>;
  const small = first[Math.min(...SIZES)]!.latency;
  const big = first[Math.max(...SIZES)]!.latency;
  const growth = Object.fromEntries(Object.keys(small).map((k) => [k, +(big[k]!.p50 / small[k]!.p50).toFixed(2)]));
  console.log(`\np50 growth from ${Math.min(...SIZES)} to ${Math.max(...SIZES)} members (flat means <= 1.5):`);
  console.table(growth);
  report.growth = growth;
  const out = path.resolve(__dirname, '..', 'artifacts', 'bench');
  mkdirSync(out, { recursive: true });
  const file = path.join(out, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2));
  console.log(`\nwritten ${path.relative(process.cwd(), file)}`);
  bareServer.close();
  await engine.stop();
  if (CHECK) {
    const limits = JSON.parse(readFileSync(path.join(__dirname, 'thresholds.json'), 'utf8')) as Thresholds;
    const sizes = report.sizes as Record<number, { latency: Record<string, { commands: number }>; load?: never }>;
    const largest = sizes[Math.max(...SIZES)]!;
    const found = regressions(limits, sizes[Math.min(...SIZES)]!.latency, largest.load);
    if (found.length > 0) {
      console.error(`\nbench --check: ${found.length} regression(s)\n  ${found.join('\n  ')}`);
      process.exit(1);
    }
    console.log('\nbench --check: every action within test/bench/thresholds.json');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
