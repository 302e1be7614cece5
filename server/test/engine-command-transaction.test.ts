/**
 * The embedded engine runs each write command (update, insert, delete, findAndModify) in one SQLite transaction,
 * committed once when the command is done (issue 17: FerretDB began and committed one per statement, ~30 % of a
 * paying check-in's engine CPU; fsql.CommandTx in server/engine/ferretdb/patches.json). What must hold: a command
 * of many statements commits once (counted in the write-ahead log); a later statement sees an earlier one's write
 * (two upserts of one new key in one bulk: the second updates what the first inserted, instead of inserting it again
 * and failing on the duplicate key); a failing statement rolls back only itself (an unordered insert with a
 * duplicate key, a bulk update whose second statement fails) and the others land, as when each committed on its own.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Collection } from 'mongodb';
import { ownEngine } from './support/own-engine';

jest.setTimeout(120_000);

const embedded = process.env.PIONEER_TEST_ENGINE === 'ferretdb';

/**
 * Commits in a SQLite write-ahead log: its frames of the current log generation (salts equal to the header's) that
 * end a transaction (a non-zero database size). The log only grows during a test this small (the engine's
 * checkpoint loop starts it over past 4 MB).
 */
function walCommits(file: string): number {
  let wal: Buffer;
  try {
    wal = readFileSync(file);
  } catch {
    return 0;
  }
  if (wal.length < 32) return 0;
  const pageSize = wal.readUInt32BE(8);
  const salts = wal.subarray(16, 24);
  let commits = 0;
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    if (!wal.subarray(at + 8, at + 16).equals(salts)) break;
    if (wal.readUInt32BE(at + 4) !== 0) commits++;
  }
  return commits;
}

(embedded ? describe : describe.skip)('one SQLite transaction per write command', () => {
  const { dataDir, client } = ownEngine('pioneer-command-tx-', 4);
  const commits = () => walCommits(path.join(dataDir, 'probe.sqlite-wal'));
  let docs: Collection<{ _id: string; n?: number; k?: number }>;

  beforeAll(async () => {
    docs = client().db('probe').collection('command_tx');
    await docs.insertOne({ _id: 'warm', n: 0 }); // the collection and its metadata, before anything is counted
  });

  test('when a bulk update holds 20 statements on one _id, then all 20 count and they commit once', async () => {
    await docs.insertOne({ _id: 'one', n: 0 });
    const before = commits();
    const res = await docs.bulkWrite(
      Array.from({ length: 20 }, () => ({ updateOne: { filter: { _id: 'one' }, update: { $inc: { n: 1 } } } })),
      { ordered: false },
    );
    expect(res.modifiedCount).toBe(20);
    expect(commits() - before).toBe(1);
    expect(await docs.findOne({ _id: 'one' })).toEqual({ _id: 'one', n: 20 });
  });

  test('when two upserts of one new key come in one bulk, then the second updates what the first inserted', async () => {
    const res = await docs.bulkWrite(
      [
        { updateOne: { filter: { _id: 'fresh' }, update: { $inc: { n: 1 } }, upsert: true } },
        { updateOne: { filter: { _id: 'fresh' }, update: { $inc: { n: 1 } }, upsert: true } },
      ],
      { ordered: true },
    );
    expect(res.upsertedCount).toBe(1);
    expect(res.modifiedCount).toBe(1);
    expect(await docs.findOne({ _id: 'fresh' })).toEqual({ _id: 'fresh', n: 2 });
  });

  test('when an unordered insert holds a duplicate key, then only that document is refused and it commits once', async () => {
    await docs.insertOne({ _id: 'dup-2' });
    const before = commits();
    const ids = ['dup-1', 'dup-2', 'dup-3', 'dup-4'];
    const err = await docs
      .insertMany(
        ids.map((_id) => ({ _id, k: 1 })),
        { ordered: false },
      )
      .catch((e: unknown) => e);
    expect((err as { code?: number }).code).toBe(11000);
    expect(await docs.find({ _id: { $in: ids } }).toArray()).toEqual([
      { _id: 'dup-2' },
      { _id: 'dup-1', k: 1 },
      { _id: 'dup-3', k: 1 },
      { _id: 'dup-4', k: 1 },
    ]);
    expect(commits() - before).toBe(1);
  });

  test('when a bulk update fails at its second statement, then the first stays written and the third never runs', async () => {
    const mixed = client().db('probe').collection<{ _id: string; n: number | string }>('command_tx');
    await mixed.insertMany([
      { _id: 'f1', n: 0 },
      { _id: 'f2', n: 'text' },
      { _id: 'f3', n: 0 },
    ]);
    const bulk = ['f1', 'f2', 'f3'].map((_id) => ({ updateOne: { filter: { _id }, update: { $inc: { n: 1 } } } }));
    await expect(docs.bulkWrite(bulk, { ordered: true })).rejects.toThrow();
    expect(await mixed.find({ _id: { $in: ['f1', 'f2', 'f3'] } }).toArray()).toEqual([
      { _id: 'f1', n: 1 },
      { _id: 'f2', n: 'text' },
      { _id: 'f3', n: 0 },
    ]);
  });

  // The statement's read now runs on the connection that rewrites the documents it returns, while it is still open.
  test('when an updateMany rewrites the documents its own read is scanning, then each is updated once', async () => {
    const many = client().db('probe').collection<{ _id: string; n: number; pad: string }>('command_tx_many');
    await many.insertMany(
      Array.from({ length: 300 }, (_, i) => ({ _id: `m-${i}`, n: i % 3, pad: 'x'.repeat(i * 20) })),
    );
    const res = await many.updateMany({ n: { $lt: 5 } }, { $inc: { n: 10 }, $set: { pad: 'y'.repeat(5000) } });
    expect(res.modifiedCount).toBe(300);
    const counts = await many.aggregate([{ $group: { _id: '$n', c: { $sum: 1 } } }, { $sort: { _id: 1 } }]).toArray();
    expect(counts).toEqual([
      { _id: 10, c: 100 },
      { _id: 11, c: 100 },
      { _id: 12, c: 100 },
    ]);
  });

  test('when a bulk delete holds many statements, then each lands and they commit once', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `del-${i}`);
    await docs.insertMany(ids.map((_id) => ({ _id })));
    const before = commits();
    const res = await docs.bulkWrite(ids.map((_id) => ({ deleteOne: { filter: { _id } } })));
    expect(res.deletedCount).toBe(10);
    expect(commits() - before).toBe(1);
    expect(await docs.countDocuments({ _id: { $in: ids } })).toBe(0);
  });

  test('when a write command creates its collection, then other clients see it at once and the engine goes on', async () => {
    const fresh = client().db('probe').collection<{ _id: string; n: number }>('command_tx_new');
    await fresh.bulkWrite([
      { updateOne: { filter: { _id: 'a' }, update: { $inc: { n: 1 } }, upsert: true } },
      { updateOne: { filter: { _id: 'a' }, update: { $inc: { n: 1 } }, upsert: true } },
    ]);
    expect(await fresh.find().toArray()).toEqual([{ _id: 'a', n: 2 }]);
    const res = await fresh.findOneAndUpdate(
      { _id: 'b' },
      { $inc: { n: 5 } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(res).toEqual({ _id: 'b', n: 5 });
  });
});
