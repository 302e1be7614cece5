/**
 * 数据看板 (issue 18), the branch facts: 三会一课 compliance (a branch counted once when its last required type is
 * held), branches idle 30 days at a period's end, cadres' present days against their 应出勤 — known answers on a
 * hand-built county, read back through GET /dashboard in at most 3 engine commands, and equal to a rebuild.
 */
import { CHECKIN_RULES, type Dashboard } from '@pioneer/shared';
import { requiredDaysInPosting, requiredDaysOfMonth } from '@pioneer/shared/src/holidays';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildAdmin, buildMember, type County } from './support/factories';
import { awardPoints } from '../src/modules/points/points.service';
import { ActivityModel } from '../src/modules/activities/activities.model';
import { DashboardCountersModel } from '../src/modules/dashboard/dashboard.model';
import { flushCounters } from '../src/modules/dashboard/counters';
import { rebuildDashboard } from '../src/jobs/dashboard-rebuild';
import { UserModel } from '../src/modules/users/users.model';
import { syncCadre } from '../src/modules/orgs/subtree';

let t: TestApp;
let county: County;
let admin: { id: string };
const at = (day: string) => new Date(`${day}T10:00:00+08:00`);

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  admin = await buildAdmin({ of: county.county, branch: county.branchB });
});
afterAll(() => t.close());

async function activity(branchId: string, type: string) {
  const id = `act-${type}-${Math.random().toString(36).slice(2, 10)}`;
  await ActivityModel.collection.insertOne({ _id: id, branchId, type } as never);
  return id;
}
const attend = (userId: string, activityId: string, day: string) =>
  awardPoints({
    userId,
    reason: 'activity_attended',
    units: 1,
    refType: 'activity',
    refId: activityId,
    idempotencyKey: `att|${activityId}|${userId}`,
    at: at(day),
  });
const checkin = (userId: string, day: string) =>
  awardPoints({
    userId,
    reason: 'checkin',
    units: 1,
    refType: 'test',
    refId: `ci${day}`,
    idempotencyKey: `ci|${userId}|${day}`,
    at: at(day),
  });

async function board(query: Record<string, string>) {
  const res = await t.http().get('/api/v1/dashboard').query(query).set(bearer(t, admin.id));
  expect(res.status).toBe(200);
  expect(Number(res.headers['x-engine-commands'])).toBeLessThanOrEqual(3);
  return res.body as Dashboard;
}

test('三会一课: a branch meets September when its last required type is held, once; the board shows the rate', async () => {
  const [m1, m2] = await Promise.all([
    buildMember({ branch: county.branchA }),
    buildMember({ branch: county.branchA }),
  ]);
  const committee = await activity(county.branchA.id, 'committee');
  const group = await activity(county.branchA.id, 'group');
  const committee2 = await activity(county.branchA.id, 'committee');
  const themeDay = await activity(county.branchA2.id, 'theme_day');
  await attend(m1.id, committee, '2026-09-03');
  await attend(m2.id, committee, '2026-09-03');
  await flushCounters(); // awards are counted after their replies (dashboard/counters.ts)
  let doc = await DashboardCountersModel.findById(`${county.county.id}|2026`).lean<{
    self: Record<string, Record<string, number>>;
  }>();
  expect(doc!.self.m09!.met ?? 0).toBe(0); // a 党小组会 is still owed
  await attend(m1.id, group, '2026-09-10');
  await attend(m2.id, committee2, '2026-09-12'); // already met: not counted again
  const m3 = await buildMember({ branch: county.branchA2 });
  await attend(m3.id, themeDay, '2026-09-20'); // not a required type: held, never met
  await flushCounters();
  doc = await DashboardCountersModel.findById(`${county.county.id}|2026`).lean();
  expect(doc!.self.m09!.met).toBe(1);
  expect(doc!.self.q3!.met ?? 0).toBe(0); // a quarter asks 3 + 3 + 1 + 1
  expect(doc!.self.m09!.held).toBe(4);

  const sept = await board({ period: 'month', at: '2026-09' });
  expect(sept.org.branches).toBe(3);
  expect(sept.values.metRate).toBe(33.3);
  const townA = sept.children.find((c) => c.id === county.townA.id)!;
  expect(townA.branches).toBe(2);
  expect(townA.values.metRate).toBe(50);
  expect(sept.children.find((c) => c.id === county.townB.id)!.values.metRate).toBe(0);
  // Drill down to the village: one row per branch.
  const village = await board({ period: 'month', at: '2026-09', org: county.villageA.id });
  expect(village.children.map((c) => [c.id, c.values.metRate])).toEqual(
    expect.arrayContaining([
      [county.branchA.id, 100],
      [county.branchA2.id, 0],
    ]),
  );
  // August is the period before: nothing met.
  expect(sept.previous.metRate).toBe(0);
});

test('idle 30 days: counted at the end of each period from the last activity of each branch', async () => {
  // After the first test: branchA last met on 09-12, branchA2 on 09-20, branchB never.
  const sept = await board({ period: 'month', at: '2026-09' });
  expect(sept.values.idle).toBe(1); // branchB
  expect(sept.previous.idle).toBe(3); // end of August: none had met
  const oct = await board({ period: 'month', at: '2026-10' });
  // 30 days before 11-01 00:00 is 10-02: 09-20 and 09-12 are older.
  expect(oct.values.idle).toBe(3);
  expect(oct.trend.find((p) => p.label === '2026年9月')!.values.idle).toBe(1);
  const townA = oct.children.find((c) => c.id === county.townA.id)!;
  expect(townA.values.idle).toBe(2);
  // An activity late in December counts for January's previous period (read from last year's document).
  const m = await buildMember({ branch: county.branchB });
  await attend(m.id, await activity(county.branchB.id, 'lecture'), '2025-12-20');
  const jan = await board({ period: 'month', at: '2026-01' });
  expect(jan.previous.idle).toBe(2); // end of December 2025: branchB had met on 12-20
  expect(jan.values.idle).toBe(3); // end of January 2026: 12-20 is more than 30 days before 02-01
});

/** A cadre of branchB posted to 乙村 since `since` (as an admin's posting or the roster leaves them). */
async function cadre(since: string) {
  const c = await buildMember({ branch: county.branchB, roles: ['member', 'cadre'] });
  await UserModel.updateOne({ _id: c.id }, { $set: { postedVillageId: county.villageB.id, postedSince: since } });
  await syncCadre(c.id, { path: c.orgPath, posting: null });
  return c;
}

test("cadres' present days against the 应出勤 of every cadre posted, checked in or not, capped per cadre", async () => {
  const a = await cadre('2026-06-01');
  await checkin(a.id, '2026-06-01');
  await checkin(a.id, '2026-06-02');
  await checkin(a.id, '2026-06-02'); // the same day again: nothing
  await checkin(a.id, '2026-07-01');
  const full = requiredDaysOfMonth(CHECKIN_RULES.defaultRequiredDays, '2026-06');
  let june = await board({ period: 'month', at: '2026-06' });
  expect(june.values.cadreDays).toBe(2);
  expect(june.values.cadreReq).toBe(full);
  expect(june.values.cadreRate).toBe(Math.round((2 / full) * 1000) / 10);
  // A cadre posted from 15 June who never checked in owes that part of June: the rate falls.
  await cadre('2026-06-15');
  const half = requiredDaysInPosting(CHECKIN_RULES.defaultRequiredDays, '2026-06', '2026-06-15', null);
  expect(half).toBeGreaterThan(0);
  june = await board({ period: 'month', at: '2026-06' });
  expect(june.values.cadreReq).toBe(full + half);
  expect(june.values.cadreRate).toBe(Math.round((2 / (full + half)) * 1000) / 10);
  // One who checks in every day of June, weekends too, counts no more than they owed.
  const keen = await cadre('2026-05-01');
  for (let d = 1; d <= 30; d += 1) await checkin(keen.id, `2026-06-${String(d).padStart(2, '0')}`);
  june = await board({ period: 'month', at: '2026-06' });
  expect(june.values.cadreDays).toBe(32);
  expect(june.values.cadreReq).toBe(2 * full + half);
  expect(june.values.cadreRate).toBe(Math.round(((2 + full) / (2 * full + half)) * 1000) / 10);
  expect(june.values.cadreRate).toBeLessThan(100);
  // The township row carries them; the other township owes nothing.
  expect(june.children.find((c) => c.id === county.townB.id)!.values.cadreReq).toBe(2 * full + half);
  expect(june.children.find((c) => c.id === county.townA.id)!.values.cadreReq).toBe(0);
  // A quarter: each cadre's present days capped at their quarter's 应出勤.
  const q3 = await board({ period: 'quarter', at: '2026-07' });
  const owed = (since: string) =>
    ['2026-07', '2026-08', '2026-09'].reduce(
      (s, m) => s + requiredDaysInPosting(CHECKIN_RULES.defaultRequiredDays, m, since, null),
      0,
    );
  expect(q3.values.cadreReq).toBe(owed('2026-06-01') + owed('2026-06-15') + owed('2026-05-01'));
  expect(q3.values.cadreRate).toBe(Math.round((1 / q3.values.cadreReq) * 1000) / 10);
});

test('a rebuild from the ledger gives the same documents', async () => {
  const snapshot = async () =>
    JSON.parse(
      JSON.stringify((await flushCounters(), await DashboardCountersModel.find({}).sort({ _id: 1 }).lean())),
    ) as unknown;
  const live = await snapshot();
  await rebuildDashboard();
  expect(await snapshot()).toEqual(live);
});
