/**
 * Engine CPU of two engine binaries on the same write commands, taken in alternating blocks so both see the same
 * contention (issue 17: on a shared 2-core machine, runs of a whole benchmark minutes apart differ by more than a
 * change to the engine does). Starts both engines on fresh data directories, gives each the same documents (scope
 * documents of a few KB, like points_scopes at 100k members), then sends, to one engine and then the other, blocks
 * of the paying writes' shapes: a bulk update of `--statements` $inc/$max statements over scope documents (the
 * award's scope bulk), a findAndModify upsert and an insert. Prints engine CPU ms per round (one of each) for both,
 * from /proc, and their ratio.
 *
 *   npx tsx test/bench/engine-ab.ts --a=/work/main/.cache/ferretdb/<hash>/ferretdb-embed [--b=<binary>]
 *     [--rounds=20] [--block=40] [--statements=18] [--concurrency=1] [--shape=scopes|checkin]
 *
 * --shape=checkin sends a paying check-in's statements instead (issue 17: its documents are small, ~0.3-1.8 KB, so
 * the engine's cost per statement dominates): a bulk of `--statements` upserts by `_id` over small counter documents
 * ($inc of nested counts, $max of a date string, $setOnInsert, and every third an $addToSet to a feed line), a
 * findAndModify of a member's totals ($inc and $unset, returning the new document) and an insert.
 *
 * --b defaults to this worktree's engine (buildFerretdb). The binaries live in .cache/ferretdb/<hash>/, named by the
 * hash of the wrapper and patches (ferretdbBinaryPath) in the worktree that built them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import { MongoClient, type Db } from 'mongodb';
import { buildFerretdb, launchFerretdb } from '../../server/src/db/ferretdb';

const { values } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    rounds: { type: 'string', default: '20' },
    block: { type: 'string', default: '40' },
    statements: { type: 'string', default: '18' },
    concurrency: { type: 'string', default: '1' },
    shape: { type: 'string', default: 'scopes' },
  },
});
if (!values.a) throw new Error('--a=<engine binary> is required');
const ROUNDS = Number(values.rounds);
const BLOCK = Number(values.block);
const STATEMENTS = Number(values.statements);
const CONCURRENCY = Number(values.concurrency);
const SCOPES = 400;
const CHECKIN = values.shape === 'checkin';
if (!CHECKIN && values.shape !== 'scopes') throw new Error('--shape is scopes or checkin');

/** utime + stime of a process, in ms (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface Engine {
  name: string;
  child: ChildProcess;
  client: MongoClient;
  db: Db;
  dir: string;
  cpu: number;
  rounds: number;
}

async function start(name: string, binary: string): Promise<Engine> {
  const dir = mkdtempSync(path.join(tmpdir(), `pioneer-ab-${name}-`));
  const { address, child } = await launchFerretdb(binary, dir, '127.0.0.1:0');
  const client = await MongoClient.connect(`mongodb://${address}/`, { maxPoolSize: CONCURRENCY + 2 });
  return { name, child, client, db: client.db('ab'), dir, cpu: 0, rounds: 0 };
}

/** A scope document of ~5 KB: a histogram and child sums per period, as points_scopes holds at 100k members. */
function scopeDoc(i: number): Record<string, unknown> {
  const buckets = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, b) => [`p${b * 5}`, b + i]));
  const periods = ['week:2026-W49', 'month:2026-12', 'year:2026', 'all'];
  return {
    _id: `scope-${i}`,
    h: Object.fromEntries(periods.map((p) => [p, buckets(40)])),
    c: Object.fromEntries(periods.map((p) => [p, buckets(25)])),
    m: Object.fromEntries(Array.from({ length: 10 }, (_, r) => [`m${r}`, r * 10 + i])),
  };
}

async function seed(e: Engine): Promise<void> {
  await e.db.collection('scopes').insertMany(Array.from({ length: SCOPES }, (_, i) => scopeDoc(i)));
  await e.db.collection<{ _id: string; n: number }>('totals').insertOne({ _id: 'warm', n: 0 });
  await e.db.collection<{ _id: string }>('ledger').insertOne({ _id: 'warm' });
}

let serial = 0;

const PERIODS = ['week:2026-W49', 'month:2026-12', 'year:2026', 'all'];

/** Statement s of check-in n: an upsert of a small counter document (its key set grows as periods and slots fill). */
function checkinStatement(n: number, s: number): object {
  const _id = `counter-${(n * 7 + s * 13) % 2000}`;
  const at = new Date(Date.UTC(2026, 11, 1, 0, 0, n % 86_400)).toISOString();
  const period = PERIODS[s % PERIODS.length]!;
  const update: Record<string, object> = {
    $inc: { [`n.${period}`]: 1, [`slot.${period}.s${n % 12}`]: 1, total: 1 },
    $max: { [`last.${period}`]: at, 'last.any': at },
    $setOnInsert: { org: `branch-${s}`, kind: 'checkin' },
  };
  if (s % 3 === 0) update.$addToSet = { items: `entry-${n}-${s}` };
  return { updateOne: { filter: { _id }, update, upsert: true } };
}

/** One round of a paying check-in's shapes (see --shape=checkin). */
async function checkinRound(e: Engine, n: number): Promise<void> {
  await e.db
    .collection<{ _id: string }>('counters')
    .bulkWrite(Array.from({ length: STATEMENTS }, (_, s) => checkinStatement(n, s)) as never, { ordered: false });
  await e.db.collection<{ _id: string }>('totals').findOneAndUpdate(
    { _id: `member-${n % 5000}` },
    {
      $inc: { 't.week:2026-W49': 5, 't.month:2026-12': 5, 't.all': 5 },
      $unset: { [`t.week:2026-W${(n % 40) + 1}`]: '' },
    },
    { upsert: true, returnDocument: 'after' },
  );
  await e.db.collection<{ _id: string; n: number }>('ledger').insertOne({ _id: `entry-${n}`, n });
}

/** One round: the award's writes' shapes (a bulk over scope documents, a findAndModify upsert, an insert). */
async function round(e: Engine): Promise<void> {
  const n = serial++;
  if (CHECKIN) return checkinRound(e, n);
  const scopes = e.db.collection<{ _id: string }>('scopes');
  await scopes.bulkWrite(
    Array.from({ length: STATEMENTS }, (_, s) => ({
      updateOne: {
        filter: { _id: `scope-${(n * 7 + s * 13) % SCOPES}` },
        update: {
          $inc: { [`h.all.p${(s % 40) * 5}`]: 1, [`c.all.p${(s % 25) * 5}`]: 1 },
          $max: { [`m.m${s % 10}`]: n },
        },
      },
    })),
    { ordered: false },
  );
  await e.db
    .collection<{ _id: string; n: number }>('totals')
    .findOneAndUpdate({ _id: `member-${n % 5000}` }, { $inc: { n: 1 } }, { upsert: true });
  await e.db.collection<{ _id: string; n: number }>('ledger').insertOne({ _id: `entry-${n}`, n });
}

/** BLOCK rounds on one engine, CONCURRENCY at a time; adds the engine's CPU to its total. */
async function block(e: Engine): Promise<void> {
  const before = cpuMs(e.child.pid!);
  let left = BLOCK;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (left-- > 0) await round(e);
    }),
  );
  e.cpu += cpuMs(e.child.pid!) - before;
  e.rounds += BLOCK;
}

async function stop(e: Engine): Promise<void> {
  await e.client.close();
  const exited = new Promise((resolve) => e.child.once('exit', resolve));
  e.child.kill('SIGTERM');
  await exited;
  rmSync(e.dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const engines = [await start('a', values.a!), await start('b', values.b ?? buildFerretdb())];
  for (const e of engines) await seed(e);
  for (const e of engines) await block(e); // warm-up, not counted
  for (const e of engines) {
    e.cpu = 0;
    e.rounds = 0;
  }
  for (let r = 0; r < ROUNDS; r++) for (const e of r % 2 ? [...engines].reverse() : engines) await block(e);
  const [a, b] = engines.map((e) => e.cpu / e.rounds) as [number, number];
  console.log(
    `engine CPU per round (${values.shape}: a bulk of ${STATEMENTS} statements, a findAndModify upsert, an insert; ` +
      `${ROUNDS} blocks of ${BLOCK} each, ${CONCURRENCY} at a time): a ${a.toFixed(2)} ms, b ${b.toFixed(2)} ms, ` +
      `b/a ${(b / a).toFixed(3)}`,
  );
  for (const e of engines) await stop(e);
}

void main();
