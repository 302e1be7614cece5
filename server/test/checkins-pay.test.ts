import { dayKey, weekKey } from '@pioneer/shared';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildAdmin, buildCounty, buildMember, type County } from './support/factories';
import { body, checkInOn, near, shanghaiMorning } from './support/checkin-helpers';
import { LastFixModel } from '../src/modules/checkins/checkins.model';
import { CapModel, LedgerModel } from '../src/modules/points/points.model';
import { capId } from '../src/modules/points/keys';
import { putPointsRules } from '../src/modules/settings/settings.service';
import { loadSessionUser } from '../src/modules/users/users.service';
import { flushGroupedMarks } from '../src/db/grouped-marks';
import { commandsSent, named } from './support/commands-sent';

/**
 * Issue 17 (H8e): what a check-in's day payment sends. A day's key is the only one that pays a check-in for that
 * member's day, so a per-day cap needs no cap document; a day this process saw paid sends no award; a valid check-in
 * of the day before (the last-fix document's `validDay`) makes the next one read the key rather than pay for it.
 */
let t: TestApp;
let county: County;
const auth = (id: string) => bearer(t, id);
const post = (userId: string, b: object) => t.http().post('/api/v1/checkins').set(auth(userId)).send(b);
const cadreOf = (c: County) => buildMember({ branch: c.branchA, roles: ['member', 'cadre'], postedTo: c.villageA });
const DAY = 86_400_000;

/** The commands sent to the ledger and the cap documents while `work` runs, by name. */
async function payingCommands<T>(work: () => Promise<T>): Promise<{ result: T; sent: string[] }> {
  const { result, sent } = await commandsSent(work);
  return { result, sent: sent.map(named).filter((c) => c.endsWith(' ledger') || c.endsWith(' points_caps')) };
}

/** The first check-in's marks land (grouped after its reply) so that only the next one's commands are counted. */
async function paidOnce(userId: string): Promise<void> {
  expect((await post(userId, body(near(10)))).body.pointsAwarded).toBe(1);
  await flushGroupedMarks();
}

/** A ledger write that names no key (as a clean-up would): this process forgets the days it saw paid. */
const forgetPaidDays = () => LedgerModel.updateMany({ userId: 'nobody' }, { $set: { note: null } });

/** The county's check-in rule from `day` on (a version whose first day is in the past, as it was set then). */
async function checkinRule(c: County, day: string, rule: object) {
  const admin = await buildAdmin({ of: c.county, branch: c.branchA });
  const actor = (await loadSessionUser(admin.id))!;
  await putPointsRules(
    actor,
    { org: c.county.id, effectiveFrom: day, rules: [{ reason: 'checkin', enabled: true, ...rule }] } as never,
    shanghaiMorning(day, 8),
  );
}

/** Three Shanghai days of one week, at least a week ago (Monday to Wednesday). */
function daysOfAPastWeek(): string[] {
  let at = Date.now() - 7 * DAY;
  while (weekKey(at - DAY) === weekKey(at)) at -= DAY;
  return [0, 1, 2].map((k) => dayKey(at + k * DAY));
}

beforeAll(async () => ({ t, county } = await startCountyApp()));
afterAll(() => t.close());

describe('a check-in day payment', () => {
  test('when a cadre is paid for the day, then no cap document is written: the day key is its only claim', async () => {
    const c = await cadreOf(county);
    const { result: res, sent } = await payingCommands(() => post(c.id, body(near(10))));
    expect(res.body.pointsAwarded).toBe(1);
    expect(sent.filter((s) => s.endsWith('points_caps'))).toEqual([]);
    expect(await CapModel.findById(capId('checkin', dayKey(new Date()), c.id)).lean()).toBeNull();
    expect((await LedgerModel.find({ userId: c.id, reason: 'checkin' }).lean()).map((e) => e.delta)).toEqual([1]);
  });

  test('when a county caps check-ins per week (2), then the third day of a week pays nothing: that cap still counts', async () => {
    const other = await buildCounty();
    const days = daysOfAPastWeek();
    await checkinRule(other, days[0]!, { points: 1, cap: { per: 'week', max: 2 } });
    const c = await cadreOf(other);
    const paid = [];
    for (const day of days) paid.push((await checkInOn(c.id, shanghaiMorning(day), body(near(10)))).pointsAwarded);
    expect(paid).toEqual([1, 1, 0]);
  });

  test('when a county prices a day above its per-day cap (3 points, cap 2), then the day pays the cap', async () => {
    const other = await buildCounty();
    const [day] = daysOfAPastWeek();
    await checkinRule(other, day!, { points: 3, cap: { per: 'day', max: 2 } });
    const c = await cadreOf(other);
    expect((await checkInOn(c.id, shanghaiMorning(day!), body(near(10)))).pointsAwarded).toBe(2);
  });
});

describe('a further check-in of a paid day', () => {
  test('when the day was paid through this process, then the next check-in that day sends nothing to the ledger', async () => {
    const c = await cadreOf(county);
    await paidOnce(c.id);
    const { result: again, sent } = await payingCommands(() => post(c.id, body(near(20))));
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ status: 'valid', pointsAwarded: 0 });
    expect(sent).toEqual([]);
    expect((await LedgerModel.find({ userId: c.id, reason: 'checkin' }).lean()).map((e) => e.delta)).toEqual([1]);
  });

  test('when another process paid the day (this one does not know), then the next check-in reads the key once and pays nothing', async () => {
    const c = await cadreOf(county);
    await paidOnce(c.id);
    await forgetPaidDays();
    const { result: again, sent } = await payingCommands(() => post(c.id, body(near(20))));
    expect(again.body.pointsAwarded).toBe(0);
    expect(sent).toEqual(['find ledger']);
    expect(await LedgerModel.countDocuments({ userId: c.id, reason: 'checkin' })).toBe(1);
  });

  test('when the day is marked taken but its check-in never paid (a crash before its insert), then the next one pays', async () => {
    const c = await cadreOf(county);
    await LastFixModel.collection.insertOne({
      _id: c.id as never,
      at: new Date(Date.now() - 60_000),
      fix: `${new Date(Date.now() - 60_000).toISOString()}|${near(10).lat}|${near(10).lng}|20`,
      validDay: dayKey(new Date()),
    });
    const res = await post(c.id, body(near(10)));
    expect(res.body.pointsAwarded).toBe(1);
    expect(await LedgerModel.countDocuments({ userId: c.id, reason: 'checkin' })).toBe(1);
  });

  test('when 20 check-ins of a paid day arrive at once on a fresh process, then all are stored and nothing more is paid', async () => {
    const c = await cadreOf(county);
    await paidOnce(c.id);
    await forgetPaidDays();
    const replies = await Promise.all(Array.from({ length: 20 }, (_, k) => post(c.id, body(near(10 + k)))));
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(replies.map((r) => r.body.pointsAwarded)).toEqual(Array(20).fill(0));
    expect(await LedgerModel.countDocuments({ userId: c.id, reason: 'checkin' })).toBe(1);
  });
});
