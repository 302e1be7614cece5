/**
 * The embedded engine's commands per second, by command kind: every server path is a few key commands (find by
 * `_id`, findAndModify by `_id`, update / bulk update by `_id`, insert), so this bounds every req/s in `npm run bench`.
 * Drives a fresh engine (server/engine/ferretdb, built as the server builds it) through the mongodb driver with the
 * server's pool size, on collections of documents shaped like ours (a member totals doc with ~30 numbers, a scope doc
 * with nested histograms), sequentially and with 50 callers at once, and reports ops/s and CPU per op of the engine
 * process and of this (node) process.
 *
 *   npx tsx test/bench/engine-commands-rate.ts [--sizes=1000,100000] [--duration=3] [--only=find,bulk]
 *     [--binary=.cache/ferretdb/<hash>/ferretdb-embed] [--json=out.json]
 *
 * Engine settings come from the environment as for the server (PIONEER_EMBEDDED_SYNC; GOGC/GOMAXPROCS pass through).
 * Timings need a quiet machine: read CPU per op, not ops/s, when other work shares the cores.
 */
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MongoClient, type AnyBulkWriteOperation, type Collection, type Document } from 'mongodb';
import { buildFerretdb, launchFerretdb } from '../../server/src/db/ferretdb';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,100000' },
    duration: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '50' },
    only: { type: 'string', default: '' },
    binary: { type: 'string' },
    json: { type: 'string' },
  },
});
const SIZES = values.sizes!.split(',').map(Number);
const DURATION_MS = Number(values.duration) * 1000;
const CONCURRENCY = Number(values.concurrency);
const ONLY = values.only!.split(',').filter(Boolean);
const POOL = 20; // server/src/db/connect.ts

const PERIODS = ['week:2026-W48', 'month:2026-11', 'year:2026', 'all'];
const SCOPES = ['self', 'county', 'town3', 'branch17', 'group2', 'sector1', 'branch18'];

/** points_member_totals: t/r per period x scope (~30 numbers each side), plus the dashboard markers. */
function totalsDoc(id: string): Keyed {
  const t: Record<string, number> = {};
  const r: Record<string, number> = {};
  for (const p of PERIODS)
    for (const s of SCOPES.slice(0, 4)) {
      t[`${p}|${s}`] = Math.floor(Math.random() * 500);
      r[`${p}|${s}`] = 1_764_000_000_000 + Math.floor(Math.random() * 1e9);
    }
  return { _id: id, t, r, v: 12, d: { 'quiz|2026-11-30': 1, 'checkin|2026-11-30': 1 } };
}

/** points_scopes: a score histogram per period, member counts and child-org sums. */
function scopeDoc(id: string, buckets = 60, children = 10, members = 400): Keyed {
  const h: Record<string, Record<string, number>> = {};
  const c: Record<string, Record<string, number>> = {};
  const n: Record<string, number> = {};
  for (const p of PERIODS) {
    h[p] = {};
    c[p] = {};
    for (let b = 0; b < buckets; b++) h[p][`p${b * 5}`] = 1 + (b % 7);
    for (let k = 0; k < children; k++) c[p][`org${k}`] = 100 * k;
    n[p] = members;
  }
  return { _id: id, h, c, n };
}

/**
 * A county's points_scopes document at ~1k members (apply.ts `statsUpdate`): a histogram of ~150 distinct scores per
 * current period, ~40 child orgs' sums per period and member counts — ~770 numbers in nested objects.
 */
const bigScopeDoc = (id: string) => scopeDoc(id, 150, 40, 1000);

function ledgerDoc(id: string): Keyed {
  return {
    _id: id,
    userId: 'u1',
    delta: 5,
    asked: 5,
    reason: 'quiz',
    refType: 'quiz',
    refId: id,
    note: null,
    actorId: null,
    at: new Date(),
    periods: PERIODS,
    scopes: SCOPES.slice(1, 5),
  };
}

/** Our documents are keyed by strings. */
type Keyed = Document & { _id: string };

interface Ctx {
  totals: Collection<Keyed>;
  scopes: Collection<Keyed>;
  bigScopes: Collection<Keyed>;
  ledger: Collection<Keyed>;
  size: number;
  seq: number;
}

const pick = (ctx: Ctx) => `u${Math.floor(Math.random() * ctx.size)}`;
const scopeId = (ctx: Ctx) => `s${Math.floor(Math.random() * Math.min(ctx.size, 1000))}`;
const incs = () => Object.fromEntries(PERIODS.map((p) => [`t.${p}|county`, 5]));
const BIG_SCOPES = 20;
const bigScopeId = () => `b${Math.floor(Math.random() * BIG_SCOPES)}`;
const bucket = () => `p${5 * Math.floor(Math.random() * 160)}`;

/** An award's totals update (apply.ts `bumpMemberTotals`): $inc and $max per period x scope, a marker $set. */
function awardTotalsUpdate(): Document {
  const inc: Record<string, number> = { v: 1 };
  const max: Record<string, number> = {};
  for (const p of PERIODS)
    for (const s of SCOPES.slice(0, 4)) {
      inc[`t.${p}|${s}`] = 5;
      max[`r.${p}|${s}`] = Date.now();
    }
  return { $inc: inc, $max: max, $set: { 'd.quiz|2026-11-30': 1 } };
}

/** An award's statement on one scope document (apply.ts `statsUpdate`): a bucket move and a child sum per period. */
function awardScopeUpdate(): Document {
  const inc: Record<string, number> = {};
  for (const p of PERIODS) {
    inc[`h.${p}.${bucket()}`] = -1;
    inc[`h.${p}.${bucket()}`] = 1;
    inc[`c.${p}.org${Math.floor(Math.random() * 45)}`] = 5;
  }
  const unset = Object.fromEntries(
    ['week:2026-W47', 'month:2026-10', 'year:2025'].flatMap((p) => ['h', 'n', 'c'].map((f) => [`${f}.${p}`, 1])),
  );
  return { $inc: inc, $unset: unset };
}

/** One operation per kind, as the server sends them (mongoose adds nothing to these on the wire). */
const KINDS: Record<string, (ctx: Ctx) => Promise<unknown>> = {
  findOne: (ctx) => ctx.totals.findOne({ _id: pick(ctx) }),
  findOneProjected: (ctx) => ctx.totals.findOne({ _id: pick(ctx) }, { projection: { t: 1, v: 1 } }),
  findOneScope: (ctx) => ctx.scopes.findOne({ _id: scopeId(ctx) }),
  findOneAndUpdate: (ctx) =>
    ctx.totals.findOneAndUpdate({ _id: pick(ctx) }, { $inc: { ...incs(), v: 1 } }, { upsert: true }),
  updateOneUpsert: (ctx) =>
    ctx.scopes.updateOne(
      { _id: scopeId(ctx) },
      { $inc: { 'h.month:2026-11.p5': -1, 'h.month:2026-11.p10': 1, 'n.month:2026-11': 0 } },
      { upsert: true },
    ),
  findOneAndUpdateAward: (ctx) =>
    ctx.totals.findOneAndUpdate({ _id: pick(ctx) }, awardTotalsUpdate(), { upsert: true, returnDocument: 'before' }),
  bulkAward4: (ctx) =>
    ctx.bigScopes.bulkWrite(
      Array.from({ length: 4 }, () => ({
        updateOne: { filter: { _id: bigScopeId() }, update: awardScopeUpdate(), upsert: true },
      })),
      { ordered: false },
    ),
  insertOne: (ctx) => ctx.ledger.insertOne(ledgerDoc(`l${process.pid}-${ctx.size}-${ctx.seq++}`)),
  bulkWrite5: (ctx) => {
    const ops: AnyBulkWriteOperation<Keyed>[] = [];
    for (let i = 0; i < 5; i++)
      ops.push({ updateOne: { filter: { _id: scopeId(ctx) }, update: { $inc: { 'n.all': 1 } }, upsert: true } });
    return ctx.scopes.bulkWrite(ops, { ordered: false });
  },
};

async function seed(
  coll: Collection<Keyed>,
  count: number,
  make: (id: string) => Keyed,
  prefix: string,
): Promise<void> {
  for (let start = 0; start < count; start += 1000) {
    const docs = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) docs.push(make(`${prefix}${i}`));
    await coll.insertMany(docs, { ordered: false });
  }
}

/** utime + stime of a process in ms, from /proc (Linux). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // fields 14 and 15, USER_HZ = 100
}

const nodeCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

interface Row {
  size: number;
  kind: string;
  callers: number;
  ops: number;
  opsPerSec: number;
  p50Ms: number;
  engineCpuMsPerOp: number;
  nodeCpuMsPerOp: number;
}

async function measure(ctx: Ctx, kind: string, callers: number, enginePid: number): Promise<Row> {
  const run = KINDS[kind]!;
  for (let i = 0; i < 50; i++) await run(ctx); // warm-up
  const times: number[] = [];
  const e0 = cpuMsOf(enginePid);
  const n0 = nodeCpuMs();
  const t0 = performance.now();
  const end = t0 + DURATION_MS;
  const worker = async () => {
    while (performance.now() < end) {
      const s = performance.now();
      await run(ctx);
      times.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: callers }, worker));
  const elapsed = performance.now() - t0;
  const ops = times.length;
  times.sort((a, b) => a - b);
  const round = (x: number, d = 3) => Number(x.toFixed(d));
  return {
    size: ctx.size,
    kind,
    callers,
    ops,
    opsPerSec: Math.round((ops * 1000) / elapsed),
    p50Ms: round(times[Math.floor(ops / 2)] ?? 0),
    engineCpuMsPerOp: round((cpuMsOf(enginePid) - e0) / ops),
    nodeCpuMsPerOp: round((nodeCpuMs() - n0) / ops),
  };
}

async function main(): Promise<void> {
  const binary = values.binary ? path.resolve(values.binary) : buildFerretdb(console.log);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'engine-rate-'));
  const { address, child } = await launchFerretdb(binary, dataDir, '127.0.0.1:0');
  const client = await MongoClient.connect(`mongodb://${address}/`, { maxPoolSize: POOL });
  const rows: Row[] = [];
  console.log(`engine ${path.relative(process.cwd(), binary)} pid ${child.pid}; ${DURATION_MS / 1000} s per line`);
  console.log('size    kind              callers   ops/s   p50 ms  engine CPU ms/op  node CPU ms/op');
  try {
    for (const size of SIZES) {
      const db = client.db(`rate${size}`);
      const ctx: Ctx = {
        totals: db.collection<Keyed>('totals'),
        scopes: db.collection<Keyed>('scopes'),
        bigScopes: db.collection<Keyed>('bigScopes'),
        ledger: db.collection<Keyed>('ledger'),
        size,
        seq: 0,
      };
      const seeded = performance.now();
      await seed(ctx.totals, size, totalsDoc, 'u');
      await seed(ctx.scopes, Math.min(size, 1000), (id) => scopeDoc(id), 's');
      await seed(ctx.bigScopes, BIG_SCOPES, bigScopeDoc, 'b');
      console.log(`seeded ${size} totals docs in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);
      for (const kind of Object.keys(KINDS).filter((k) => !ONLY.length || ONLY.some((o) => k.includes(o))))
        for (const callers of [1, CONCURRENCY]) {
          const row = await measure(ctx, kind, callers, child.pid!);
          rows.push(row);
          console.log(
            `${String(size).padEnd(8)}${kind.padEnd(18)}${String(callers).padStart(7)}${String(row.opsPerSec).padStart(8)}` +
              `${row.p50Ms.toFixed(2).padStart(9)}${row.engineCpuMsPerOp.toFixed(3).padStart(18)}${row.nodeCpuMsPerOp.toFixed(3).padStart(16)}`,
          );
        }
    }
    const peak = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
    console.log(`engine peak memory (VmHWM): ${Math.round(Number(peak) / 1024)} MB`);
  } finally {
    await client.close();
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (values.json) writeFileSync(values.json, JSON.stringify({ binary, rows }, null, 2));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
