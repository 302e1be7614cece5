/**
 * Updates of large documents give what MongoDB's rules give. The embedded engine applies an update by decoding the
 * stored document, changing it field by field and writing it back; patches.json changed how a document's fields are
 * looked up (a key it does not hold is answered from its key map, a new key appended without a scan) and how `_id` is
 * read for the index on every write. Here a scope-sized document (hundreds of numbers in nested objects, arrays)
 * takes a few hundred random `$inc`/`$set`/`$unset`/`$max`/`$min`/`$push` updates, checked after each against the
 * same updates applied in JavaScript. The engine also keeps what an update wrote, decoded, for the next read of the
 * same text (documents of 4 KB or more): every type must come back from there exactly as from the stored JSON.
 */
import mongoose from 'mongoose';
import { startTestApp, type TestApp } from './support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

type Tree = { [key: string]: unknown };
/** The driver's loosely typed document (any field, any update path), keyed by a string. */
type Probe = mongoose.mongo.Document & { _id: string };
const PERIODS = ['week:2026-W48', 'month:2026-11', 'year:2026', 'all'];
const { Double, Int32, Long, ObjectId } = mongoose.mongo;

function scopeDoc(): Tree {
  const doc: Tree = { h: {}, c: {}, n: {}, tags: ['a', 'b'], note: 'x' };
  for (const p of PERIODS) {
    (doc.h as Tree)[p] = Object.fromEntries(Array.from({ length: 120 }, (_, b) => [`p${b * 5}`, 1 + (b % 7)]));
    (doc.c as Tree)[p] = Object.fromEntries(Array.from({ length: 30 }, (_, k) => [`org${k}`, 100 * k]));
    (doc.n as Tree)[p] = 400;
  }
  return doc;
}

/** A small deterministic generator, so a failure repeats. */
function random(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s % n;
  };
}

const parentOf = (doc: Tree, path: string[], create: boolean): Tree | undefined => {
  let at = doc;
  for (const key of path.slice(0, -1)) {
    if (at[key] === undefined && create) at[key] = {};
    at = at[key] as Tree;
    if (at === undefined) return undefined;
  }
  return at;
};

/** MongoDB's meaning of each operator, for the paths generated here (no array indexes, no conflicts). */
function applyLocally(doc: Tree, update: Record<string, Record<string, unknown>>): void {
  for (const [op, fields] of Object.entries(update))
    for (const [dotted, value] of Object.entries(fields)) {
      const path = dotted.split('.');
      const leaf = path[path.length - 1]!;
      const parent = parentOf(doc, path, op !== '$unset');
      const old = parent?.[leaf];
      if (op === '$unset') {
        if (parent) delete parent[leaf];
      } else if (op === '$inc') parent![leaf] = ((old as number | undefined) ?? 0) + (value as number);
      else if (op === '$set') parent![leaf] = value;
      else if (op === '$max') parent![leaf] = old === undefined ? value : Math.max(old as number, value as number);
      else if (op === '$min') parent![leaf] = old === undefined ? value : Math.min(old as number, value as number);
      else if (op === '$push') parent![leaf] = [...((old as unknown[] | undefined) ?? []), value];
    }
}

/** One update over distinct periods (no two of its paths share a `field.period` prefix, so none conflict). */
function randomUpdate(next: (n: number) => number): Record<string, Record<string, unknown>> {
  const update: Record<string, Record<string, unknown>> = {};
  const used = new Set<string>();
  const ops = ['$inc', '$inc', '$inc', '$set', '$unset', '$max', '$min'];
  for (let i = 0; i < 1 + next(6); i++) {
    const field = ['h', 'c', 'n', 'x'][next(4)]!;
    const period = PERIODS[next(PERIODS.length)]!;
    if (used.has(`${field}.${period}`)) continue;
    used.add(`${field}.${period}`);
    const op = ops[next(ops.length)]!;
    const path =
      field === 'n' ? `n.${period}` : `${field}.${period}.${field === 'c' ? `org${next(40)}` : `p${5 * next(140)}`}`;
    const whole = op === '$unset' && next(5) === 0 && field !== 'n'; // now and then a whole period goes
    (update[op] ??= {})[whole ? `${field}.${period}` : path] = op === '$unset' ? 1 : next(50) - 10;
  }
  if (next(10) === 0) update.$push = { tags: `t${next(100)}` };
  return update;
}

test('hundreds of random updates of a large nested document match the same updates applied in JavaScript', async () => {
  const docs = mongoose.connection.db!.collection<Probe>('engine_updates_probe');
  const expected = scopeDoc();
  await docs.insertOne({ _id: 'county', ...structuredClone(expected) });
  const next = random(17);
  for (let i = 0; i < 300; i++) {
    const update = randomUpdate(next);
    const upsert = i % 3 === 0;
    const before = await docs.findOneAndUpdate({ _id: 'county' }, update, { upsert, returnDocument: 'before' });
    expect(before).toEqual({ _id: 'county', ...expected });
    applyLocally(expected, update);
    if (i % 25 === 0) expect(await docs.findOne({ _id: 'county' })).toEqual({ _id: 'county', ...expected });
  }
  expect(await docs.findOne({ _id: 'county' })).toEqual({ _id: 'county', ...expected });
}, 120_000);

test('an upsert of a missing document by _id with $inc, $max and $set builds it from the paths', async () => {
  const docs = mongoose.connection.db!.collection<Probe>('engine_updates_probe');
  const update = { $inc: { 't.all|self': 5, v: 1 }, $max: { 'r.all|self': 1_764_000_000_000 }, $set: { 'd.quiz': 1 } };
  expect(await docs.findOneAndUpdate({ _id: 'm1' }, update, { upsert: true, returnDocument: 'before' })).toBeNull();
  expect(await docs.findOneAndUpdate({ _id: 'm1' }, update, { upsert: true, returnDocument: 'after' })).toEqual({
    _id: 'm1',
    t: { 'all|self': 10 },
    v: 2,
    r: { 'all|self': 1_764_000_000_000 },
    d: { quiz: 1 },
  });
  await docs.updateOne({ _id: 'm1' }, { $unset: { 't.all|self': 1, missing: 1, 'r.nothere': 1 } });
  expect(await docs.findOne({ _id: 'm1' })).toEqual({
    _id: 'm1',
    t: {},
    v: 2,
    r: { 'all|self': 1_764_000_000_000 },
    d: { quiz: 1 },
  });
}, 30_000);

test('a large document read right after its update keeps every value and type, and copies do not leak', async () => {
  const docs = mongoose.connection.db!.collection<Probe>('engine_updates_types');
  const typed = {
    i32: [new Int32(0), new Int32(-2147483648), new Int32(2147483647)],
    i64: [Long.fromString('9223372036854775807'), Long.fromNumber(2 ** 53 + 2), Long.fromNumber(-1)],
    dbl: [new Double(0.1), new Double(5e-324), new Double(2 ** 53), new Double(3), new Double(-1e300)],
    s: ['say "hi"', 'back\\slash', '先锋 🚩', '', '\u2028', '<&>'],
    nested: { list: [{ a: new Int32(1) }, { b: [new Double(1.5), 'x', null, true] }], none: null, yes: false },
    oid: new ObjectId('5f1d7b3c9d3e2a1b2c3d4e5f'),
    at: new Date(1_764_000_000_123),
    pad: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, new Int32(i)])), // past 4 KB
  };
  await docs.insertOne({ _id: 't', ...typed, n: new Int32(0) });
  const raw = { promoteValues: false, promoteLongs: false } as const;
  for (let i = 1; i <= 3; i++) {
    await docs.updateOne({ _id: 't' }, { $inc: { n: 1 } });
    for (let read = 0; read < 2; read++)
      expect(await docs.findOne({ _id: 't' }, raw)).toStrictEqual({ _id: 't', ...typed, n: new Int32(i) });
  }
  // Without dates (so the decoded copy is kept), then read, changed and read again many times.
  await docs.updateOne({ _id: 't' }, { $unset: { at: 1 } });
  const { at: _at, ...kept } = typed;
  // A projection, an update that changes nothing and a filter that does not match leave the next read whole.
  expect(await docs.findOne({ _id: 't' }, { projection: { n: 1 } })).toEqual({ _id: 't', n: 3 });
  const { pad: _pad, s: _s, ...unpadded } = kept;
  const projected = await docs.findOne({ _id: 't' }, { ...raw, projection: { pad: 0, s: 0 } });
  expect(projected).toStrictEqual({ _id: 't', ...unpadded, n: new Int32(3) });
  await docs.updateOne({ _id: 't' }, { $max: { n: 1 }, $set: { s: typed.s } });
  await docs.updateOne({ _id: 't', n: 99 }, { $set: { n: 100 } });
  // An update refused half-way ($inc of n done in memory, then of an array) writes nothing, so reads see n as it was.
  await expect(docs.updateOne({ _id: 't' }, { $inc: { n: 1, s: 1 } })).rejects.toThrow(/non-numeric/);
  await expect(docs.findOneAndUpdate({ _id: 't' }, { $set: { 'pad.k1': 5 }, $inc: { dbl: 1 } })).rejects.toThrow();
  expect(await docs.findOne({ _id: 't' }, raw)).toStrictEqual({ _id: 't', ...kept, n: new Int32(3) });
  for (let i = 4; i <= 8; i++) {
    const before = await docs.findOneAndUpdate({ _id: 't' }, { $inc: { n: 1 }, $set: { [`x${i}`]: 'y' } }, raw);
    const added = Object.fromEntries(Array.from({ length: i - 4 }, (_, k) => [`x${k + 4}`, 'y']));
    expect(before).toStrictEqual({ _id: 't', ...kept, n: new Int32(i - 1), ...added });
    expect(await docs.findOne({ _id: 't' }, raw)).toStrictEqual({
      _id: 't',
      ...kept,
      n: new Int32(i),
      ...added,
      [`x${i}`]: 'y',
    });
  }
}, 60_000);
