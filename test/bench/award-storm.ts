/**
 * Engine CPU per award (issue 17: paying writes are bounded by the engine's serialized writes, above all the award's
 * bulk write over its scope documents). Starts a fresh engine, builds a county (test factories) with `--members`
 * members over its branches, and pays `--awards` awards through `awardPoints`, first one at a time (alone), then
 * `--concurrency` at once (under load). Reports, per award: engine CPU ms (/proc of the engine process, as
 * engine-commands-rate.ts reads it), this process's CPU ms, engine commands, and bulk writes to points_scopes.
 *
 *   npx tsx test/bench/award-storm.ts [--members=300] [--awards=1000] [--concurrency=50] [--seed=100000]
 *
 * `--seed=N` pays seeded members of a county at scale instead (seed-scale.ts: N members, 10 entries each, as the
 * bench seeds), prints the size of its scope documents (county, a township, a village, a branch) and the scope bulk
 * writes' send->reply time (mean and median, ms), so the award's cost can be read against the county's size.
 *
 * CPU per award is what to compare before/after on a busy machine; wall time is not.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { onFreshEngine } from './fresh-engine';
import { flushGroupedMarks } from '../../server/src/db/grouped-marks';
import { ScopeStatsModel } from '../../server/src/modules/points/points.model';
import { awardPoints } from '../../server/src/modules/points/points.service';
import { UserModel } from '../../server/src/modules/users/users.model';
import { buildCounty, buildMember } from '../../server/test/support/factories';
import { seedScaleCounty } from './seed-scale';

const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '300' },
    awards: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '50' },
    seed: { type: 'string', default: '0' },
  },
});
const MEMBERS = Number(values.members);
const AWARDS = Number(values.awards);
const CONCURRENCY = Number(values.concurrency);
const SEED = Number(values.seed);

/** utime + stime of a process, in ms (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Counted by the wrapper of the scope bulk (the group commit's bulkWrite): statements, and of them board rows. */
const sent = {
  all: 0,
  scopeWrites: 0,
  statements: 0,
  scopeMs: [] as number[],
  bulks: 0,
  bulkStatements: 0,
  boardRows: 0,
};

/**
 * The award's scope bulk's send->reply time: the group commit's bulkWrite on points_scopes timed around the real call
 * (the driver's command monitoring is off, db/engine-commands.ts, so there is no reply event to time it by).
 */
function timeScopeBulks(): void {
  const collection = ScopeStatsModel.collection;
  const bulkWrite = collection.bulkWrite.bind(collection);
  collection.bulkWrite = (async (...args: Parameters<typeof bulkWrite>) => {
    const statements = args[0] as unknown as readonly { updateOne?: { update?: { $max?: object } } }[];
    sent.bulks += 1;
    sent.bulkStatements += statements.length;
    // Row statements: `m.<member>` of the older layouts, `r.<period>.<member>` of the scopes' blocks (board-blocks.ts).
    sent.boardRows += statements.filter((o) =>
      /^[mr]\./.test(Object.keys(o.updateOne?.update?.$max ?? {})[0] ?? ''),
    ).length;
    const started = performance.now();
    try {
      return await bulkWrite(...args);
    } finally {
      sent.scopeMs.push(performance.now() - started);
    }
  }) as typeof collection.bulkWrite;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function measure(label: string, engine: () => number, run: () => Promise<number>) {
  await flushGroupedMarks();
  sent.scopeMs = [];
  const [e0, n0, c0, w0, s0, t0] = [
    cpuMs(engine()),
    process.cpuUsage(),
    sent.all,
    sent.scopeWrites,
    sent.statements,
    Date.now(),
  ];
  const [b0, bs0, br0] = [sent.bulks, sent.bulkStatements, sent.boardRows];
  const awards = await run();
  await flushGroupedMarks();
  const engineMs = cpuMs(engine()) - e0;
  const node = process.cpuUsage(n0);
  const wallMs = Date.now() - t0;
  const per = (n: number) => +(n / awards).toFixed(3);
  console.log(
    `${label}: ${awards} awards in ${wallMs} ms (${Math.round((awards * 1000) / wallMs)}/s); per award: engine CPU ` +
      `${per(engineMs)} ms, node CPU ${per((node.user + node.system) / 1000)} ms, commands ${per(sent.all - c0)}, ` +
      `scope bulk writes ${per(sent.scopeWrites - w0)} (statements ${per(sent.statements - s0)}, send->reply mean ` +
      `${(sent.scopeMs.reduce((a, b) => a + b, 0) / (sent.scopeMs.length || 1)).toFixed(2)} ms, median ` +
      `${median(sent.scopeMs).toFixed(2)} ms); scope bulks ${per(sent.bulks - b0)}, their statements ` +
      `${per(sent.bulkStatements - bs0)}, board rows ${per(sent.boardRows - br0)}`,
  );
}

/** A small county of the test factories, every award reaching every board. */
async function factoryMembers(): Promise<string[]> {
  const county = await buildCounty();
  const branches = [county.branchA, county.branchA2, county.branchB];
  const members: string[] = [];
  for (let i = 0; i < MEMBERS; i++) members.push((await buildMember({ branch: branches[i % 3]! })).id);
  return members;
}

/** A county at scale (as the bench seeds it); prints its scope documents' sizes. */
async function seededMembers(size: number): Promise<string[]> {
  const county = await seedScaleCounty(size);
  console.log(`seeded ${size} members: ${JSON.stringify(county.seconds)}`);
  const [countyId, townId, villageId, branchId] = (await UserModel.findById(county.memberIds[0]).lean())!.orgPath;
  await scopeSizes({ county: countyId!, township: townId!, village: villageId!, branch: branchId! });
  return county.memberIds;
}

/** Each scope document's size as stored (JSON characters) and its numbers by field. */
async function scopeSizes(ids: Record<string, string>): Promise<void> {
  const docs = mongoose.connection.db!.collection('points_scopes');
  for (const [level, _id] of Object.entries(ids)) {
    const doc = await docs.findOne({ _id: _id as never });
    const count = (field: string) =>
      Object.values((doc?.[field] ?? {}) as Record<string, object | number>).reduce<number>(
        (n, v) => n + (typeof v === 'object' ? Object.keys(v).length : 1),
        0,
      );
    console.log(
      `scope document ${level}: ${JSON.stringify(doc ?? {}).length} chars; histogram buckets ${count('h')}, ` +
        `child sums ${count('c')}, periods ${Object.keys(doc?.h ?? {}).join(' ')}`,
    );
  }
}

onFreshEngine('storm', async (engine) => {
  mongoose.connection.getClient().on('commandStarted', (e) => {
    sent.all += 1;
    if (e.commandName !== 'update' || e.command.update !== 'points_scopes') return;
    sent.scopeWrites += 1;
    sent.statements += (e.command.updates as unknown[]).length;
  });
  timeScopeBulks();
  const members = SEED > 0 ? await seededMembers(SEED) : await factoryMembers();
  let n = 0;
  const award = () => {
    const i = n++;
    return awardPoints({
      userId: members[(i * 7919) % members.length]!,
      reason: 'manual_adjustment',
      points: 1 + (i % 5),
      refType: 'storm',
      refId: `s${i}`,
      idempotencyKey: `storm|${i}`,
    });
  };
  const enginePid = () => engine.pid()!;
  const idle0 = cpuMs(enginePid());
  await new Promise((r) => setTimeout(r, 3000));
  console.log(`engine idle: ${((cpuMs(enginePid()) - idle0) / 3).toFixed(1)} ms CPU a second (counted in 'alone')`);
  await measure('warm-up, one at a time', enginePid, async () => {
    for (let i = 0; i < 100; i++) await award();
    return 100;
  });
  await measure('alone (one at a time)', enginePid, async () => {
    for (let i = 0; i < 200; i++) await award();
    return 200;
  });
  await measure(`under load (${CONCURRENCY} at once)`, enginePid, async () => {
    let left = AWARDS;
    const worker = async () => {
      while (left-- > 0) await award();
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return AWARDS;
  });
});
