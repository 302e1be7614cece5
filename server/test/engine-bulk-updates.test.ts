/**
 * One `update` command with many statements on documents that exist (a bulkWrite of updateOnes: the grouped
 * applied marks, a roster import's counts). FerretDB 1.24 kept each statement's query open until the whole command
 * ended, one SQLite connection each, so a command of 100 statements or more took its pool of 100 and then waited
 * for a connection forever: the engine stopped answering every write (found when the ledger's applied marks began to
 * go in groups, issue 17). patches.json closes each statement's query when the statement is done.
 */
import mongoose from 'mongoose';
import { startTestApp, type TestApp } from './support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

test('a bulk write of 300 updates on existing documents completes, and the engine takes writes after it', async () => {
  const docs = mongoose.connection.db!.collection<{ _id: string; n: number }>('engine_bulk_probe');
  const ids = Array.from({ length: 300 }, (_, i) => `probe-${i}`);
  await docs.insertMany(ids.map((_id) => ({ _id, n: 0 })));
  const result = await docs.bulkWrite(
    ids.map((_id) => ({ updateOne: { filter: { _id }, update: { $inc: { n: 1 } } } })),
    { ordered: false },
  );
  expect(result.modifiedCount).toBe(300);
  await docs.updateOne({ _id: 'probe-0' }, { $inc: { n: 1 } });
  expect((await docs.findOne({ _id: 'probe-0' }))?.n).toBe(2);
}, 30_000);
