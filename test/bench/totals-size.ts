/**
 * The size of the members' totals documents in the seeded bench (issue 17: an award makes the engine read, rewrite
 * and return the whole document): seeds a county as cpu-per-request.ts does, then prints the documents' mean and
 * largest BSON size and their mean `t`/`r` keys. `npx tsx test/bench/totals-size.ts --size=10000`; `--root=<repo>`
 * seeds with another checkout's code (a before/after comparison from one script).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { onFreshEngine } from './fresh-engine';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '10000' },
    root: { type: 'string', default: path.resolve(__dirname, '../..') },
  },
});

onFreshEngine('totals-size', async () => {
  const seed = (await import(path.join(values.root!, 'test/bench/seed-scale.ts'))) as typeof import('./seed-scale');
  await seed.seedScaleCounty(Number(values.size));
  const docs = await mongoose.connection.db!.collection('points_member_totals').find({}).toArray();
  const sizes = docs.map((d) => mongoose.mongo.BSON.calculateObjectSize(d));
  const keys = docs.map((d) => Object.keys(d.t ?? {}).length + Object.keys(d.r ?? {}).length);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
  console.log(
    `${values.root}: ${docs.length} totals documents, mean ${Math.round(mean(sizes))} B, largest ${Math.max(...sizes)} B, ` +
      `mean ${Math.round(mean(keys))} t/r keys`,
  );
});
