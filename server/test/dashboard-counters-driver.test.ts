/**
 * The live 数据看板 counters go through the driver's collection, not mongoose's bulkWrite (issue 17, H9a: its cast of
 * an award's ~30 dotted paths was ~7 % of a paying check-in's Node CPU), and create the documents mongoose created:
 * the schema's defaults (`self`, `prev`, `kids`) that the update does not write (dashboard.model.ts).
 */
import { startCountyApp, type TestApp } from './support/harness';
import type { County } from './support/factories';
import { cadreChecksIn } from './support/checkin-helpers';
import { applyIncrements, flushCounters } from '../src/modules/dashboard/counters';
import { DashboardCountersModel, withCounterDefaults } from '../src/modules/dashboard/dashboard.model';

let t: TestApp;
let county: County;
beforeAll(async () => ({ t, county } = await startCountyApp()));
afterAll(() => t.close());
afterEach(() => jest.restoreAllMocks());

const counters = (id: string) => DashboardCountersModel.collection.findOne({ _id: id as never });

test('when a cadre checks in, then no mongoose bulkWrite counts it and the counters move', async () => {
  // A spy that calls through: only whether the mongoose path was taken is watched.
  const viaMongoose = jest.spyOn(DashboardCountersModel, 'bulkWrite');
  const { res } = await cadreChecksIn(t, county);
  expect(res.status).toBe(201);
  await flushCounters();
  expect(viaMongoose).not.toHaveBeenCalled();
  const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
  const doc = await DashboardCountersModel.findById(`${county.county.id}|${year}`).lean<{ cad?: object }>();
  expect(Object.keys(doc?.cad ?? {}).length).toBeGreaterThan(0);
});

test.each([
  ['self and kids', { $inc: { 'self.m01.quizN': 1, 'kids.k1.m01.quizN': 1 } }],
  ['prev only', { $inc: { 'prev.m12.quizN': 2, 'pcad.y.u1': 1 } }],
  ['a $max only', { $max: { 'lh.b1.01': 5 } }],
  ['self and a $max', { $inc: { 'self.y.active': 1 }, $max: { 'lh.b1.01': 7 } }],
])('when counters with %s create a document, then it is the one mongoose created', async (tag, update) => {
  const [ours, theirs] = [`drv|${tag}`, `mgs|${tag}`];
  const { $inc, $max } = update as { $inc?: Record<string, number>; $max?: Record<string, number> };
  await applyIncrements(new Map($inc ? [[ours, $inc]] : []), new Map($max ? [[ours, $max]] : []));
  const once = { updateOne: { filter: { _id: theirs }, update, upsert: true } };
  await DashboardCountersModel.bulkWrite([once] as never);
  const { _id: a, ...mine } = (await counters(ours))!;
  const { _id: b, ...mongoose } = (await counters(theirs))!;
  expect([a, b]).toEqual([ours, theirs]);
  expect(mine).toEqual(mongoose);
});

test('when an update writes every defaulted field, then it is sent as it is', () => {
  const update = { $inc: { 'self.y.n': 1, 'prev.y.n': 1, 'kids.a.y.n': 1 } };
  expect(withCounterDefaults(update)).toBe(update);
});
