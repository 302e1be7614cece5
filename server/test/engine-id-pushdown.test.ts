/**
 * A filter on `_id` (a string or an ObjectId) with other conditions beside it is a key lookup on the embedded engine.
 * FerretDB fetched by the `_id` index only when `_id` was the filter's one key, so a conditional key update
 * (`{_id, v: old}`, a compare-and-set) scanned the whole collection; patches.json now fetches the one document by its
 * `_id` and applies the whole filter to it (as FerretDB applies it to whatever a query returns). Here every kind of
 * command gives the same results as the same conditions written so that no `_id` is pushed down (inside `$and`),
 * and the key form is many times faster on a large collection.
 */
import mongoose from 'mongoose';
import { startTestApp, type TestApp } from './support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

type Doc = mongoose.mongo.Document & { _id: string | mongoose.mongo.ObjectId };
type Collection<T extends mongoose.mongo.Document> = mongoose.mongo.Collection<T>;
type Filter<T> = mongoose.mongo.Filter<T>;
const COUNT = 5000;
const oid = new mongoose.mongo.ObjectId('5f1d7b3c9d3e2a1b2c3d4e5f');

function docs(): Doc[] {
  const all: Doc[] = Array.from({ length: COUNT }, (_, i) => ({
    _id: `d${i}`,
    v: i % 7,
    arr: [i % 3, 10 + (i % 5)],
    nested: { a: i % 2, b: `s${i % 4}` },
    ...(i % 10 === 0 ? { opt: 'x' } : {}),
  }));
  all.push(
    { _id: oid, v: 3, arr: [1], nested: { a: 1, b: 's1' } },
    { _id: 'say "hi" 先锋', v: 1, arr: [], nested: {} },
  );
  return all;
}

async function seeded(name: string): Promise<Collection<Doc>> {
  const coll = mongoose.connection.db!.collection<Doc>(name);
  await coll.deleteMany({});
  const all = docs();
  for (let i = 0; i < all.length; i += 1000) await coll.insertMany(all.slice(i, i + 1000));
  return coll;
}

const ids: Doc['_id'][] = ['d3', 'd10', 'd11', 'd4999', 'missing', oid, 'say "hi" 先锋'];
const conditions: Filter<Doc>[] = [
  { v: 3 },
  { v: { $gt: 2 } },
  { v: { $in: [0, 1] } },
  { $or: [{ v: 1 }, { 'nested.a': 0 }] },
  { opt: null },
  { opt: 'x' },
  { arr: 11 },
  { arr: { $size: 2 } },
  { 'nested.b': 's3' },
  { nested: { a: 1, b: 's1' } },
  { v: { $exists: false } },
];
const keyed = (id: Doc['_id'], c: Filter<Doc>): Filter<Doc> => ({ _id: id, ...c }) as Filter<Doc>;
const scanned = (id: Doc['_id'], c: Filter<Doc>): Filter<Doc> => ({ $and: [{ _id: id }, c] }) as Filter<Doc>;

test('find and count with _id beside other conditions give what the scan gives', async () => {
  const coll = await seeded('engine_id_pushdown_reads');
  for (const id of ids)
    for (const c of conditions) {
      expect(await coll.find(keyed(id, c)).toArray()).toEqual(await coll.find(scanned(id, c)).toArray());
      expect(await coll.countDocuments(keyed(id, c))).toBe(await coll.countDocuments(scanned(id, c)));
    }
  expect(await coll.find({ _id: 'd3', v: 3 }).project({ v: 1 }).toArray()).toEqual([{ _id: 'd3', v: 3 }]);
  expect(await coll.findOne({ _id: 'd3', v: 4 })).toBeNull();
}, 120_000);

test('updates, findOneAndUpdate and deletes with _id beside other conditions change what the scan changes', async () => {
  const [a, b] = [await seeded('engine_id_pushdown_a'), await seeded('engine_id_pushdown_b')];
  let step = 0;
  for (const id of ids)
    for (const c of conditions) {
      step++;
      const update = { $inc: { v: 1 }, $set: { [`s${step}`]: step } };
      const [ra, rb] = [await a.updateOne(keyed(id, c), update), await b.updateOne(scanned(id, c), update)];
      expect([ra.matchedCount, ra.modifiedCount]).toEqual([rb.matchedCount, rb.modifiedCount]);
      const options = { returnDocument: 'after' } as const;
      const [fa, fb] = [
        await a.findOneAndUpdate(keyed(id, c), { $max: { top: step } }, options),
        await b.findOneAndUpdate(scanned(id, c), { $max: { top: step } }, options),
      ];
      expect(fa).toEqual(fb);
      if (step % 4 === 0)
        expect((await a.deleteOne(keyed(id, c))).deletedCount).toBe((await b.deleteOne(scanned(id, c))).deletedCount);
    }
  const all = { sort: { _id: 1 } } as const;
  expect(await a.find({}, all).toArray()).toEqual(await b.find({}, all).toArray());
}, 300_000);

test('a conditional key update is a key lookup, many times faster than the same conditions scanned', async () => {
  const coll = await seeded('engine_id_pushdown_speed');
  const timePer = async (filter: (i: number) => Filter<Doc>, n: number) => {
    const started = performance.now();
    for (let i = 0; i < n; i++) await coll.updateOne(filter(i), { $inc: { hits: 1 } });
    return (performance.now() - started) / n;
  };
  // Documents near the end of the collection (a scan stops at the first match, so early ones would be cheap).
  const late = (i: number) => `d${COUNT - 1 - i * 7}`;
  const scan = await timePer((i) => scanned(late(i), { v: 0 }), 5);
  const key = await timePer((i) => keyed(late(i), { v: 0 }), 50);
  expect(key * 5).toBeLessThan(scan);
}, 120_000);
