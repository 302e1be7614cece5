/**
 * A check-in's grouped writes after the reply (its month line, its `settled` mark) go through the driver's
 * collections, not mongoose's bulkWrite (issue 17, H9a: its cast was ~1.7 % of a paying check-in's Node CPU), and
 * store what mongoose stored: a new month document holds the schema's default `days: {}`.
 */
import { startCountyApp, type TestApp } from './support/harness';
import type { County } from './support/factories';
import { cadreChecksIn } from './support/checkin-helpers';
import { flushGroupedMarks } from '../src/db/grouped-marks';
import { AttendanceMonthModel, CheckinModel, type CheckinDoc } from '../src/modules/checkins/checkins.model';
import { storedItem } from '../src/modules/checkins/records';

let t: TestApp;
let county: County;
beforeAll(async () => ({ t, county } = await startCountyApp()));
afterAll(() => t.close());
afterEach(() => jest.restoreAllMocks());

test('when a cadre checks in, then no mongoose bulkWrite writes its month line or mark, and both land as before', async () => {
  // Spies that call through: only whether the mongoose path was taken is watched.
  const months = jest.spyOn(AttendanceMonthModel, 'bulkWrite');
  const checkins = jest.spyOn(CheckinModel, 'bulkWrite');
  const { cadre, res } = await cadreChecksIn(t, county);
  expect(res.status).toBe(201);
  await flushGroupedMarks();
  expect(months).not.toHaveBeenCalled();
  expect(checkins).not.toHaveBeenCalled();
  const c = (await CheckinModel.findById(res.body.id).lean<CheckinDoc>())!;
  expect(c.settled).toBe(true);
  const id = `${cadre.id}|${c.month}`;
  const { _id, fix, seen, validDay, ...mine } = (await AttendanceMonthModel.collection.findOne({ _id: id as never }))!;
  // The check-in's fix rides in the same update (issue 17, H12d, checkins/last-fix.ts).
  expect([typeof fix, Object.keys(seen).length, validDay]).toEqual(['string', 1, c.day]);
  // The same line as mongoose's bulkWrite wrote it, on a document of its own.
  const theirs = `${id}|mongoose`;
  await AttendanceMonthModel.bulkWrite([
    {
      updateOne: {
        filter: { _id: theirs },
        update: { $set: { [`items.${c._id}`]: storedItem(c) }, $setOnInsert: { userId: c.userId, month: c.month } },
        upsert: true,
      },
    },
  ]);
  const { _id: other, ...mongoose } = (await AttendanceMonthModel.collection.findOne({ _id: theirs as never }))!;
  expect([_id, other]).toEqual([id, theirs]);
  expect(mine).toEqual(mongoose);
  expect(mine).toMatchObject({ userId: cadre.id, month: c.month, days: {} });
});
