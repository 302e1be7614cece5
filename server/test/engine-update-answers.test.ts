/**
 * Two FerretDB 1.24 answers that differ from MongoDB's, mended in patches.json.
 *
 * An ordered update's `upserted` entries name the statement that upserted by its index in the command. FerretDB
 * numbered them by how many had upserted before, so in [a key that exists, a new key] the second statement's upsert
 * was reported as index 0: the ledger's insert (points.service.ts insertEntry: the entry, then its pending-journal
 * line) took a paid key for new and paid a second time.
 *
 * A `$set` that replaces an object with one holding the same values under other keys is a change. FerretDB 1.24
 * compared documents by their values only (types.Identical skipped the keys), so `{ p8: 1 }` set over `{ p1: 1 }`
 * was taken as "no change" and never written: a recount writing a histogram whose counts equal the stored ones'
 * but sit in other buckets was silently lost (found by the award's repair, jobs/points-repair.ts). patches.json
 * makes Identical compare keys too.
 */
import mongoose from 'mongoose';
import { startTestApp, type TestApp } from './support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const docs = () => mongoose.connection.collection<{ _id: string } & Record<string, unknown>>('set_identical');

it('reports an upsert by the index of the statement that made it', async () => {
  await docs().insertOne({ _id: 'k1', a: 1 });
  const res = await docs().bulkWrite(
    [
      { updateOne: { filter: { _id: 'k1' }, update: { $setOnInsert: { a: 2 } }, upsert: true } },
      { updateOne: { filter: { _id: 'k2' }, update: { $set: { b: 1 } }, upsert: true } },
    ],
    { ordered: true },
  );
  expect(res.upsertedIds).toEqual({ 1: 'k2' });
  expect(await docs().findOne({ _id: 'k1' })).toEqual({ _id: 'k1', a: 1 });
});

it('writes an object whose values equal the stored one but under other keys', async () => {
  await docs().insertOne({ _id: 'a', h: { w: { p1: 1, p2: 3 } } });
  const res = await docs().updateOne({ _id: 'a' }, { $set: { 'h.w': { p8: 1, p9: 3 } } });
  expect(res.modifiedCount).toBe(1);
  expect(await docs().findOne({ _id: 'a' })).toEqual({ _id: 'a', h: { w: { p8: 1, p9: 3 } } });
});

it('replaces a top-level object and a document inside an array the same way', async () => {
  await docs().insertOne({ _id: 'b', h: { p1: 1 }, list: [{ k: 1 }] });
  await docs().updateOne({ _id: 'b' }, { $set: { h: { p8: 1 }, list: [{ j: 1 }] } });
  expect(await docs().findOne({ _id: 'b' })).toEqual({ _id: 'b', h: { p8: 1 }, list: [{ j: 1 }] });
});

it('still treats the same keys and values as no change', async () => {
  await docs().insertOne({ _id: 'c', h: { p1: 1, p2: 2 } });
  const res = await docs().updateOne({ _id: 'c' }, { $set: { h: { p1: 1, p2: 2 } } });
  expect(res.modifiedCount).toBe(0);
});
