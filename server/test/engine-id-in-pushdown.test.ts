/**
 * A filter whose `_id` is `{$in: [strings / ObjectIds]}` is a batch of key lookups on the embedded engine (issue 17:
 * cold reads gathered into one command, server/src/db/key-reads.ts). FerretDB scanned the whole collection for it;
 * patches.json now fetches those documents by the `_id` index, in the order the scan returns them, and the handler
 * still applies the whole filter. Here every form gives exactly what the same conditions give written so that no
 * `_id` is pushed down (inside `$and`), and the key form is many times faster on a large collection.
 */
import mongoose from 'mongoose';
import { startTestApp, type TestApp } from './support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

type Id = string | number | null | mongoose.mongo.ObjectId | RegExp;
type Doc = mongoose.mongo.Document & { _id: Id };
type Filter = mongoose.mongo.Filter<Doc>;
const COUNT = 5000;
const oid = new mongoose.mongo.ObjectId('5f1d7b3c9d3e2a1b2c3d4e5f');
const otherOid = new mongoose.mongo.ObjectId('5f1d7b3c9d3e2a1b2c3d4e60');

function docs(): Doc[] {
  const all: Doc[] = Array.from({ length: COUNT }, (_, i) => ({
    _id: `d${i}`,
    v: i % 7,
    nested: { a: i % 2, b: `s${i % 4}` },
    ...(i % 10 === 0 ? { opt: 'x' } : {}),
  }));
  all.push(
    { _id: oid, v: 3, nested: { a: 1, b: 's1' } },
    { _id: 'say "hi" 先锋', v: 1, nested: {} },
    { _id: 7, v: 0 },
    { _id: 7.5, v: 1 },
  );
  return all;
}

async function seeded(name: string): Promise<mongoose.mongo.Collection<Doc>> {
  const coll = mongoose.connection.db!.collection<Doc>(name);
  await coll.deleteMany({});
  const all = docs();
  // Inserted out of _id order, so "the scan's order" and "the index's order" differ.
  for (let i = all.length; i > 0; i -= 1000) await coll.insertMany(all.slice(Math.max(0, i - 1000), i).reverse());
  return coll;
}

const lists: Id[][] = [
  [],
  ['d3'],
  ['d3', 'd10', 'd11', 'd4999'],
  ['d4999', 'd3', 'd3', 'd10', 'd4999'], // duplicates, not in order
  ['missing', 'd5', 'also missing'],
  ['missing'],
  [oid, 'd7', otherOid],
  ['say "hi" 先锋', 'd1', ''],
  [7, 'd2'], // a number: left to the scan (equal numbers of other types match too)
  [7.0, 'd2', null],
  [/^d1$/, 'd3'],
  Array.from({ length: 400 }, (_, i) => `d${(i * 37) % COUNT}`),
];
/** Longer than the engine fetches by key (1,000): scanned. */
const long = Array.from({ length: 1200 }, (_, i) => `d${i * 4}`);
const conditions: Filter[] = [
  {},
  { v: 3 },
  { v: { $gt: 2 } },
  { $or: [{ v: 1 }, { 'nested.a': 0 }] },
  { opt: null },
  { 'nested.b': 's3' },
];
const keyed = (ids: Id[], c: Filter): Filter => ({ _id: { $in: ids }, ...c }) as Filter;
const scanned = (ids: Id[], c: Filter): Filter => ({ $and: [{ _id: { $in: ids } }, c] }) as Filter;

test('find, count, sort, limit and projection with _id $in give what the scan gives', async () => {
  const coll = await seeded('engine_id_in_reads');
  for (const ids of lists)
    for (const c of conditions) {
      const [k, s] = [keyed(ids, c), scanned(ids, c)];
      expect(await coll.find(k).toArray()).toEqual(await coll.find(s).toArray());
      expect(await coll.countDocuments(k)).toBe(await coll.countDocuments(s));
      expect(await coll.find(k).sort({ v: -1, _id: 1 }).limit(3).toArray()).toEqual(
        await coll.find(s).sort({ v: -1, _id: 1 }).limit(3).toArray(),
      );
      expect(await coll.find(k).project({ v: 1, _id: 0 }).skip(1).toArray()).toEqual(
        await coll.find(s).project({ v: 1, _id: 0 }).skip(1).toArray(),
      );
    }
  expect(await coll.find(keyed(long, { v: 3 })).toArray()).toEqual(await coll.find(scanned(long, { v: 3 })).toArray());
  // The scan's order (the order documents were written), not the _id index's.
  expect((await coll.find({ _id: { $in: ['d1', 'd2', 'd1000'] } }).toArray()).map((d) => d._id)).toEqual([
    'd1000',
    'd2',
    'd1',
  ]);
  // `_id` with other operators beside `$in`, or named twice: still the scan's answer.
  const beside = { _id: { $in: ['d1', 'd2', 'd3'], $ne: 'd2' } } as Filter;
  expect((await coll.find(beside).toArray()).map((d) => d._id)).toEqual(['d3', 'd1']);
}, 300_000);

test('updates and deletes by _id $in change what the scan changes', async () => {
  const [a, b] = [await seeded('engine_id_in_a'), await seeded('engine_id_in_b')];
  let step = 0;
  for (const ids of lists)
    for (const c of conditions.slice(0, 4)) {
      step++;
      const update = { $inc: { v: 1 }, $set: { [`s${step}`]: step } };
      const [ra, rb] = [await a.updateMany(keyed(ids, c), update), await b.updateMany(scanned(ids, c), update)];
      expect([ra.matchedCount, ra.modifiedCount]).toEqual([rb.matchedCount, rb.modifiedCount]);
      if (step % 5 === 0)
        expect((await a.deleteMany(keyed(ids, c))).deletedCount).toBe(
          (await b.deleteMany(scanned(ids, c))).deletedCount,
        );
    }
  expect(await a.find({}).toArray()).toEqual(await b.find({}).toArray());
}, 300_000);

test('a batch of key reads by _id $in is many times faster than the same ids scanned', async () => {
  const coll = await seeded('engine_id_in_speed');
  // Documents near the end of the collection, 50 at once (a cold-read batch under load).
  const batch = (i: number) => Array.from({ length: 50 }, (_, j) => `d${(i * 50 + j * 97) % COUNT}`);
  const timePer = async (filter: (i: number) => Filter, n: number) => {
    const started = performance.now();
    for (let i = 0; i < n; i++) expect(await coll.find(filter(i)).toArray()).toHaveLength(50);
    return (performance.now() - started) / n;
  };
  const scan = await timePer((i) => scanned(batch(i), {}), 5);
  const key = await timePer((i) => keyed(batch(i), {}), 25);
  expect(key * 5).toBeLessThan(scan);
}, 120_000);
