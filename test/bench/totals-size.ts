/**
 * The members' totals documents in the seeded bench (issue 17: an award makes the engine read, rewrite and return the
 * whole document): seeds a county as cpu-per-request.ts does, prints the documents' mean and largest BSON size and
 * their mean `t`/`r` keys, then sends `--awards` members' totals updates alone (bumpMemberTotals, `--concurrency` at
 * once, members drawn at random) and prints the engine's and this process's CPU ms per update: the award's
 * findAndModify without the rest of a request, so a before/after comparison is not lost in a paying line's noise.
 * `npx tsx test/bench/totals-size.ts --size=10000 --awards=3000`; `--root=<repo>` runs another checkout's seed and
 * update (a before/after comparison from one script).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { periodIds } from '@pioneer/shared';
import mongoose from 'mongoose';
import { onFreshEngine } from './fresh-engine';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '10000' },
    awards: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '10' },
    root: { type: 'string', default: path.resolve(__dirname, '../..') },
  },
});

/** utime + stime of a process (or a thread: `task`), ms. */
function cpuMs(stat: string): number {
  const fields = readFileSync(stat, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

async function printSizes(label: string): Promise<void> {
  const docs = await mongoose.connection.db!.collection('points_member_totals').find({}).toArray();
  const sizes = docs.map((d) => mongoose.mongo.BSON.calculateObjectSize(d));
  const keys = docs.map((d) => Object.keys(d.t ?? {}).length + Object.keys(d.r ?? {}).length);
  console.log(
    `${label}: ${docs.length} totals documents, mean ${Math.round(mean(sizes))} B, largest ${Math.max(...sizes)} B, ` +
      `mean ${Math.round(mean(keys))} t/r keys`,
  );
}

onFreshEngine('totals-size', async (engine) => {
  const from = (file: string) => import(path.join(values.root!, file));
  const seed = (await from('test/bench/seed-scale.ts')) as typeof import('./seed-scale');
  const totals = (await from(
    'server/src/modules/points/member-totals.ts',
  )) as typeof import('../../server/src/modules/points/member-totals');
  const county = await seed.seedScaleCounty(Number(values.size));
  await printSizes(`${values.root} seeded`);
  const users = await mongoose.connection
    .db!.collection<{ _id: string; orgPath: string[] }>('users')
    .find({ _id: { $in: county.memberIds } }, { projection: { orgPath: 1 } })
    .toArray();
  const awards = Array.from({ length: Number(values.awards) }, (_, i) => {
    const u = users[Math.floor(Math.random() * users.length)]!;
    const at = new Date();
    return { _id: `bench|${i}|${u._id}`, userId: u._id, delta: 1, at, periods: periodIds(at), scopes: u.orgPath };
  });
  const engineStat = `/proc/${engine.pid()!}/stat`;
  const threadStat = `/proc/self/task/${process.pid}/stat`;
  const [engine0, thread0] = [cpuMs(engineStat), cpuMs(threadStat)];
  let next = 0;
  const worker = async () => {
    while (next < awards.length) await totals.bumpMemberTotals(awards[next++]!, []);
  };
  await Promise.all(Array.from({ length: Number(values.concurrency) }, worker));
  const [engineMs, threadMs] = [cpuMs(engineStat) - engine0, cpuMs(threadStat) - thread0];
  console.log(
    `${values.root}: ${awards.length} totals updates, engine ${(engineMs / awards.length).toFixed(3)} ms/update, ` +
      `main thread ${(threadMs / awards.length).toFixed(3)} ms/update`,
  );
  await printSizes(`${values.root} after the updates`);
});
