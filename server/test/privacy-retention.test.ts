import {
  AttendanceMonthModel,
  CheckinModel,
  CoordSeenModel,
  LastFixModel,
} from '../src/modules/checkins/checkins.model';
import { runRetention } from '../src/modules/privacy/retention';
import { flushGroupedMarks } from '../src/db/grouped-marks';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildAdmin, buildMember, buildSecretary, type County } from './support/factories';

let t: TestApp;
let county: County;
let admin: { id: string };
let secretary: { id: string };
const auth = (id: string) => bearer(t, id);
const DAY = 24 * 3600 * 1000;
const month = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 7);
const report = async () =>
  (await t.http().get('/api/v1/checkins/report').query({ org: county.branchA.id, month }).set(auth(secretary.id))).body;
const calendar = async (id: string) =>
  (await t.http().get('/api/v1/checkins/mine').query({ month }).set(auth(id))).body;

const monthDoc = (id: string) => AttendanceMonthModel.collection.findOne({ _id: `${id}|${month}` as never });

async function cadreWithCheckin(lat: number, reason?: string) {
  const cadre = await buildMember({ branch: county.branchA, roles: ['member', 'cadre'], postedTo: county.villageA });
  const res = await t
    .http()
    .post('/api/v1/checkins')
    .set(auth(cadre.id))
    .send({ lat, lng: 119.9752, accuracy: 12, coordType: 'gcj02', ...(reason ? { reason } : {}) });
  expect(res.status).toBeLessThan(300);
  await flushGroupedMarks(); // the fix is kept with the month line, written just after the reply (checkins/last-fix.ts)
  return { ...cadre, checkinId: res.body.id as string };
}

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  admin = await buildAdmin({ of: county.county, branch: county.branchB });
  secretary = await buildSecretary(county.branchA);
});
afterAll(() => t.close());

describe('retention of location fixes (issue 24)', () => {
  test('after the county retention a fix keeps day, inside/outside, distance band and flags; reports and calendars read the same; a second run changes nothing', async () => {
    const a = await cadreWithCheckin(30.5448);
    const b = await cadreWithCheckin(30.56, '去镇上开会');
    const reportBefore = await report();
    const calendarBefore = await calendar(b.id);
    expect(reportBefore.rows.length).toBeGreaterThanOrEqual(2);

    // Within the 90 days: nothing is touched.
    expect((await runRetention(new Date(Date.now() + 80 * DAY))).reduced).toBe(0);
    expect((await CheckinModel.findById(a.checkinId).lean())!.rawLat).toBe(30.5448);

    const first = await runRetention(new Date(Date.now() + 91 * DAY));
    expect(first.reduced).toBeGreaterThanOrEqual(2);
    expect(first.lastFixes).toBeGreaterThanOrEqual(2);
    expect(first.coords).toBeGreaterThanOrEqual(2);
    for (const c of [a, b]) {
      const doc = (await CheckinModel.collection.findOne({ _id: c.checkinId } as never))!;
      for (const gone of ['lat', 'lng', 'rawLat', 'rawLng', 'accuracy']) expect(doc).not.toHaveProperty(gone);
      expect(doc).toMatchObject({
        reduced: true,
        day: expect.any(String),
        withinFence: expect.any(Boolean),
        distanceM: expect.any(Number),
        flags: expect.any(Array),
      });
      expect(await LastFixModel.findById(c.id).lean()).toBeNull();
      // The month document keeps its lines (the calendar) and loses the fix and the spots (H12d).
      const kept = (await monthDoc(c.id))!;
      expect(Object.keys(kept.items)).toEqual([c.checkinId]);
      for (const gone of ['fix', 'seen', 'validDay']) expect(kept).not.toHaveProperty(gone);
      expect(await CoordSeenModel.find({ _id: { $regex: `^${c.id}\\|` } }).lean()).toEqual([]);
    }
    expect((await CheckinModel.findById(a.checkinId).lean())!.distanceBand).toBe('0-100m');
    expect((await CheckinModel.findById(b.checkinId).lean())!.distanceBand).toBe('1-5km');
    expect(await report()).toEqual({ ...reportBefore, generatedAt: expect.any(String) });
    expect(await calendar(b.id)).toEqual(calendarBefore);

    expect(await runRetention(new Date(Date.now() + 91 * DAY))).toEqual({ reduced: 0, lastFixes: 0, coords: 0 });
  });

  test("the county's own retention (60 days) applies, and one run is bounded by its batch", async () => {
    expect(
      (
        await t
          .http()
          .put('/api/v1/privacy/settings')
          .set(auth(admin.id))
          .send({ org: county.county.id, retentionDays: 60, contact: '县委组织部' })
      ).status,
    ).toBe(200);
    const c1 = await cadreWithCheckin(30.5449);
    const c2 = await cadreWithCheckin(30.545);
    // 61 days on, a batch of one, one batch: exactly one check-in reduced; the next run takes the other.
    expect((await runRetention(new Date(Date.now() + 61 * DAY), 1, 1)).reduced).toBe(1);
    expect((await runRetention(new Date(Date.now() + 61 * DAY), 1, 1)).reduced).toBe(1);
    for (const c of [c1, c2]) expect((await CheckinModel.findById(c.checkinId).lean())!.reduced).toBe(true);
  });

  test('a full batch of 500 old check-ins is reduced in one run (one bulk of 100+ updates stalled the embedded engine)', async () => {
    const c1 = await cadreWithCheckin(30.5449);
    const doc = (await CheckinModel.collection.findOne({ _id: c1.checkinId } as never))!;
    const old = new Date(Date.now() - 400 * DAY);
    await CheckinModel.collection.insertMany(
      Array.from({ length: 500 }, (_, i) => ({ ...doc, _id: `bulk-${i}`, at: old })) as never,
    );
    const started = Date.now();
    const run = await runRetention(new Date(), 500, 1);
    expect(run.reduced).toBe(500);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(await CheckinModel.countDocuments({ _id: { $in: ['bulk-0', 'bulk-499'] }, reduced: true })).toBe(2);
  }, 60_000);
});

describe('same-coordinates spots on the month document (issue 17: no statement of their own per check-in)', () => {
  const today = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  const daysAgo = (n: number) => new Date(Date.now() + 8 * 3600 * 1000 - n * DAY).toISOString().slice(0, 10);

  test('a cadre still checking in keeps their recent spots; a spot first seen before the shortest retention goes', async () => {
    const c = await cadreWithCheckin(30.5447);
    const recent = '30_544700,119_975200';
    await AttendanceMonthModel.collection.updateOne(
      { _id: `${c.id}|${month}` as never },
      {
        $set: { 'seen.30_111111,119_111111': daysAgo(800) },
      },
    );
    expect(Object.keys((await monthDoc(c.id))!.seen)).toEqual(expect.arrayContaining([recent, '30_111111,119_111111']));
    const run = await runRetention(new Date());
    expect(run.coords).toBeGreaterThanOrEqual(1);
    expect((await monthDoc(c.id))!.seen).toEqual({ [recent]: today() });
  });

  test('an old month document is reached however many recent ones sort before it (one batch of one document)', async () => {
    const fix = (at: string) => `${at}|30.5447|119.9752|12`;
    await AttendanceMonthModel.collection.insertMany([
      { _id: `000recent|${month}`, userId: '000recent', month, items: {}, fix: fix(new Date().toISOString()) },
      { _id: 'zzzold|2025-01', userId: 'zzzold', month: '2025-01', items: {}, fix: fix('2025-01-06T01:00:00.000Z') },
    ] as never);
    await runRetention(new Date(), 1, 1);
    expect(await AttendanceMonthModel.collection.findOne({ _id: 'zzzold|2025-01' as never })).not.toHaveProperty('fix');
    expect(await AttendanceMonthModel.collection.findOne({ _id: `000recent|${month}` as never })).toHaveProperty('fix');
  });

  test('spots an older version stored apart are folded onto the month document once: an earlier day still flags', async () => {
    const c = await cadreWithCheckin(30.5446);
    await CoordSeenModel.create({ _id: `${c.id}|30.544500,119.975200`, day: daysAgo(3) });
    await runRetention(new Date());
    expect(await CoordSeenModel.findById(`${c.id}|30.544500,119.975200`).lean()).toBeNull();
    const again = await t
      .http()
      .post('/api/v1/checkins')
      .set(auth(c.id))
      .send({ lat: 30.5445, lng: 119.9752, accuracy: 12, coordType: 'gcj02' });
    expect(again.status).toBe(201);
    expect(again.body.flags).toEqual(['same_coords']);
  });
});
