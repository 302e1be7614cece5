/**
 * Node CPU per request on the cold reads (issue 17): seeds a county (like `npm run bench`), then runs autocannon on
 * each read with the V8 profiler on for exactly the load window, and prints the main thread's CPU ms per request
 * served, split by who spent it (each sample goes to the innermost frame that is not Node's own code: koa, our
 * middleware, auth, mongoose, the driver and BSON, our services, autocannon; node core only when nothing else is on
 * the stack), plus the engine commands per request. A bare Koa hello-world run gives the floor: what autocannon and
 * Node's HTTP cost per request in this one thread. The thread's CPU comes from /proc (Linux) and is split in the
 * proportions of the profile's samples; tokens are signed before the runs (the client's work). On a busy machine the
 * CPU per request still grows with the contention: compare runs taken side by side. Profiles go to --out.
 * `npx tsx test/bench/cpu-per-request.ts --size=10000 --duration=5 --only=rank,me,board` (also: dashboard)
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

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '10000' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    only: { type: 'string', default: '' },
    out: { type: 'string', default: path.join(tmpdir(), 'pioneer-cpu') },
    /** Sampling interval, µs. */
    interval: { type: 'string', default: '200' },
  },
});

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Who a frame belongs to, or null for Node's own code (its time goes to the nearest caller that is not). */
function ownerOf({ url, functionName }: ProfileNode['callFrame']): string | null {
  // The inspector's own dispatch is Profiler.stop serializing the profile: not the server's.
  if (!url) return functionName === 'dispatch' ? '(profiler)' : functionName.startsWith('(') ? functionName : null;
  if (url.startsWith('node:')) return null;
  // The innermost package (mongoose carries its own copy of the driver in its node_modules).
  const lib = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].pop()?.[1];
  if (lib) {
    // Helpers used by several owners: their time goes to whoever called them.
    if (/^(jsonwebtoken|jws|jwa|safe-buffer|buffer-equal-constant-time|ms|semver|lodash\.|debug)/.test(lib))
      return null;
    if (lib === 'mongodb' || lib === 'bson') return 'driver+bson';
    if (lib === 'mongoose' || lib === 'mpath' || lib === 'kareem' || lib === 'sift') return 'mongoose';
    if (
      /^(koa|@koa\/|koa-|http-errors|statuses|accepts|type-is|content-|cookies|vary|on-finished|path-to-regexp|negotiator|mime|fresh|encodeurl|escape-html|destroy|delegates|only|helmet|depd|ee-first|media-typer|raw-body|co-body)/.test(
        lib,
      )
    )
      return 'koa+helmet+cors';
    if (lib === 'autocannon' || lib === 'hdr-histogram-js' || lib === 'reinterval' || lib === 'retimer')
      return 'autocannon';
    return `lib:${lib}`;
  }
  const mine = /\/(server\/src|shared\/src|config|test\/bench)\/(.*)$/.exec(url);
  if (!mine) return `other:${url.slice(-40)}`;
  const file = mine[2]!;
  if (file === 'http/auth.ts' || file.startsWith('modules/users/') || file === 'db/change-marks.ts')
    return 'auth+session';
  if (file.startsWith('http/')) return 'our middleware';
  if (file.startsWith('db/')) return 'our db layer';
  if (mine[1] === 'shared/src') return 'shared (zod schemas)';
  if (file === 'cpu-per-request.ts') return 'autocannon';
  return `ours:${file.replace(/\.ts$/, '')}`;
}

/** Samples per owner while the main thread ran (idle and the profiler's own work left out). */
function split(profile: Profile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const owner = new Map<number, string>();
  const ownerOfNode = (id: number): string => {
    const known = owner.get(id);
    if (known) return known;
    let at: number | undefined = id;
    let found: string | null = null;
    while (at !== undefined && !found) {
      found = ownerOf(byId.get(at)!.callFrame);
      at = parent.get(at);
    }
    const name = found ?? 'node core';
    owner.set(id, name);
    return name;
  };
  const spent = new Map<string, number>();
  // Samples are counted, not weighted by their time: on a busy machine the signal that takes a sample waits while
  // the thread waits for a core, so the gap before a sample is wall time, but each sample is one tick of running.
  for (const id of profile.samples) {
    const who = ownerOfNode(id);
    if (who !== '(idle)' && who !== '(profiler)') spent.set(who, (spent.get(who) ?? 0) + 1);
  }
  return spent;
}

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
  // Signed before the runs: signing is the client's work, not the server's.
  for (const id of c.memberIds) token(id);
  const server = createServer(createApp({ config, engine: engine.kind }).callback());
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
  const reads: Record<string, autocannon.Request[]> = {
    'bare Koa': [{ path: '/' }],
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
  for (const name of wanted) await profiled(name, name === 'bare Koa' ? bareUrl : base, reads[name]!, session);
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
