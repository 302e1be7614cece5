/**
 * Values read back exactly as they were written, at every depth of a document. The embedded engine stores documents
 * as JSON and parses them again on every read and every update; patches.json replaced FerretDB's parse (a json.Decoder
 * per number, string and date, and a reflective decode per object level: half of a read's CPU on our number-heavy
 * totals and histograms) with strconv and a one-pass object splitter, which must keep each BSON type (int32, int64,
 * double) and value (the edges of each range, whole doubles, the smallest subnormal, integers past 2^53), strings and
 * keys that JSON escapes, and dates.
 */
import mongoose from 'mongoose';
import { startTestApp, type TestApp } from './support/harness';

const { Double, Int32, Long } = mongoose.mongo; // the driver's own BSON classes, which it decodes into

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const values = {
  i32: [new Int32(0), new Int32(-1), new Int32(2147483647), new Int32(-2147483648), new Int32(42)],
  i64: [Long.fromString('9223372036854775807'), Long.fromString('-9223372036854775808'), Long.fromNumber(2 ** 53 + 2)],
  dbl: [
    new Double(0.1),
    new Double(-1.5),
    new Double(1e300),
    new Double(5e-324),
    new Double(2 ** 53),
    new Double(123456789.125),
    new Double(-2.2250738585072014e-308),
    new Double(3),
  ],
};

function nested(): Record<string, unknown> {
  return { top: values, h: { 'month:2026-11': { p5: new Int32(7), p10: new Double(0.25) } }, list: values.dbl };
}

test('int32, int64 and double values keep their type and value through insert, read and update', async () => {
  const docs = mongoose.connection.db!.collection<{ _id: string }>('engine_numbers_probe');
  await docs.insertOne({ _id: 'n', ...nested() });
  const raw = { promoteValues: false, promoteLongs: false } as const;
  expect(await docs.findOne({ _id: 'n' }, raw)).toStrictEqual({ _id: 'n', ...nested() });

  // An update reads the stored document back (parsing every number) and writes all of it again.
  await docs.updateOne({ _id: 'n' }, { $inc: { 'h.month:2026-11.p5': 1 } });
  const after = await docs.findOne({ _id: 'n' }, raw);
  expect(after).toStrictEqual({
    _id: 'n',
    ...nested(),
    h: { 'month:2026-11': { p5: new Int32(8), p10: new Double(0.25) } },
  });
}, 30_000);

test('strings and keys that JSON escapes, and dates, keep their value through insert, read and update', async () => {
  const docs = mongoose.connection.db!.collection<{ _id: string }>('engine_strings_probe');
  const tricky = ['say "hi"', 'back\\slash', 'line\nbreak\ttab', '<a href="x">&</a>', '先锋 ✓ 🚩', '', '\u0001'];
  const doc = {
    _id: 'id "quoted" \\ 先锋',
    s: tricky,
    keyed: Object.fromEntries(tricky.filter(Boolean).map((k, i) => [k.replace('.', ''), { [k]: i }])),
    at: new Date(1_764_000_000_123),
    before1970: new Date(-1),
  };
  await docs.insertOne(doc);
  expect(await docs.findOne({ _id: doc._id })).toStrictEqual(doc);
  await docs.updateOne({ _id: doc._id }, { $set: { more: 'x' } });
  expect(await docs.findOne({ _id: doc._id })).toStrictEqual({ ...doc, more: 'x' });
}, 30_000);
