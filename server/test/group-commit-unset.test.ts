/**
 * db/group-commit.ts merges the statements gathered on one document: an `$unset` of a path another statement writes
 * (the path itself or a parent of it) is left out, as the engine refuses an update naming a path twice; any other
 * `$unset` goes (H9a: the written paths and their parents are one set per document, no longer a prefix test of every
 * unset against every written path).
 */
import mongoose from 'mongoose';
import { startTestApp, type TestApp } from './support/harness';
import { groupCommit } from '../src/db/group-commit';

let t: TestApp;
beforeAll(async () => (t = await startTestApp()));
afterAll(() => t.close());

const docs = () => mongoose.connection.db!.collection<{ _id: string }>('group_commit_probe');

test('when gathered statements unset a parent of a path another writes, then that unset is left out and the others land', async () => {
  await docs().insertOne({ _id: 'g1', h: { old: { p1: 1 }, 'week:1': { p1: 1 } }, n: { old: 2 } } as never);
  const writes = groupCommit(() => docs() as never);
  const hold = writes.hold();
  const upsert = (update: object) => ({ updateOne: { filter: { _id: 'g1' }, update, upsert: true } });
  const both = Promise.all([
    writes.write([upsert({ $unset: { 'h.week:1': 1, 'h.old': 1, 'n.old': 1, 'n.we': 1 } })]),
    writes.write([upsert({ $inc: { 'h.week:1.p2': 1 }, $max: { 'n.week': 3 } })]),
  ]);
  expect(hold.gathered()).toBe(2);
  hold.release();
  await both;
  // `h.week:1` is a parent of a written path (kept); `n.we` only shares a prefix with `n.week` (unset, absent anyway).
  expect(await docs().findOne({ _id: 'g1' })).toEqual({ _id: 'g1', h: { 'week:1': { p1: 1, p2: 1 } }, n: { week: 3 } });
});
