/**
 * A member's totals document keeps only the periods an award can still move (issue 17, points/totals-window.ts):
 * every award makes the engine read, rewrite and return the whole document, so the award's own update drops the
 * periods gone by, and `points:rebuild` writes none. What members see (GET /me, ranks) does not change.
 */
import mongoose from 'mongoose';
import { monthKey, periodId, periodIds, previousMonthKey, shanghaiInstant } from '@pioneer/shared';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildMember, type County } from './support/factories';
import { awardPoints } from '../src/modules/points/points.service';
import { MemberTotalsModel } from '../src/modules/points/points.model';
import { rebuildPoints, totalsSnapshot } from '../src/jobs/points-rebuild';
import { SELF_SCOPE, scopeKey } from '../src/modules/points/keys';

let t: TestApp;
let county: County;
beforeAll(async () => ({ t, county } = await startCountyApp()));
afterAll(() => t.close());

const DAY = 86_400_000;
let n = 0;
/** An award of `points` to the member, stamped `at` (now unless given). */
async function pay(userId: string, points: number, at?: Date) {
  n += 1;
  await awardPoints({
    userId,
    reason: 'wish_fulfilled',
    points,
    refType: 'wish',
    refId: `w${n}`,
    idempotencyKey: `window|${n}|${userId}`,
    ...(at ? { at } : {}),
  });
}

const periodOf = (key: string) => key.split('|')[0]!;
async function totalsDoc(userId: string) {
  const doc = await MemberTotalsModel.findById(userId).lean();
  return { t: doc?.t ?? {}, r: doc?.r ?? {} };
}
/** The periods of a document's totals and times that are not current now. */
const gonePeriods = (keys: Iterable<string>) => {
  const current = new Set(periodIds(new Date()));
  return [...new Set([...keys].map(periodOf))].filter((p) => !current.has(p));
};

/** What the member earned in each current period, from their awards' times and points. */
function expectedSummary(awards: { points: number; at: Date }[]) {
  const now = new Date();
  const sum = (period: 'week' | 'month' | 'year' | 'all') =>
    awards.filter((a) => periodIds(a.at).includes(periodId(period, now))).reduce((s, a) => s + a.points, 0);
  return { week: sum('week'), month: sum('month'), year: sum('year'), all: sum('all') };
}

test("when a member is paid in a new week and month, then their last week's and month's totals go and this week's, month's and all-time stay", async () => {
  const member = await buildMember({ branch: county.branchA });
  const lastMonth = shanghaiInstant(`${previousMonthKey(monthKey(new Date()))}-15`, '10:00:00');
  const lastWeek = new Date(Date.now() - 7 * DAY);
  // Late awards (in periods gone by) keep their own periods: their update may not also drop them.
  await pay(member.id, 3, lastMonth);
  await pay(member.id, 2, lastWeek);
  const before = await totalsDoc(member.id);
  expect(before.t).toHaveProperty([scopeKey(periodId('week', lastWeek), SELF_SCOPE)], 2);
  expect(before.t).toHaveProperty([scopeKey(periodId('month', lastMonth), SELF_SCOPE)]);

  await pay(member.id, 5);
  const after = await totalsDoc(member.id);
  const chain = [SELF_SCOPE, ...member.orgPath];
  const kept = periodIds(new Date()).flatMap((p) => chain.map((s) => scopeKey(p, s)));
  expect(Object.keys(after.t).sort()).toEqual(kept.sort());
  expect(Object.keys(after.r).sort()).toEqual(kept.sort());
  expect(after.t[scopeKey('all', SELF_SCOPE)]).toBe(10);
  expect(after.t[scopeKey(periodId('week', new Date()), county.branchA.id)]).toBe(5);

  const awards = [
    { points: 3, at: lastMonth },
    { points: 2, at: lastWeek },
    { points: 5, at: new Date() },
  ];
  const me = await t.http().get('/api/v1/me').set(bearer(t, member.id));
  expect(me.body.points).toEqual(expectedSummary(awards));
  for (const period of ['week', 'month', 'all'] as const) {
    const rank = await t
      .http()
      .get('/api/v1/leaderboards/members')
      .query({ scope: county.branchA.id, period, limit: 0 })
      .set(bearer(t, member.id));
    expect(rank.body.me).toEqual({ rank: 1, points: expectedSummary(awards)[period] });
  }
});

test('when a member skipped a week, then the period their document still showed goes with their next award after it', async () => {
  const member = await buildMember({ branch: county.branchB });
  const skipped = new Date(Date.now() - 21 * DAY); // three weeks ago: not the week before this one
  await pay(member.id, 4, skipped);
  await pay(member.id, 1); // its document came back holding that week: remembered
  await pay(member.id, 1);
  const { t: totals, r } = await totalsDoc(member.id);
  expect(gonePeriods([...Object.keys(totals), ...Object.keys(r)])).toEqual([]);
  expect(totals[scopeKey('all', SELF_SCOPE)]).toBe(6);
  expect(totals[scopeKey(periodId('week', new Date()), SELF_SCOPE)]).toBe(2);
});

test('when points:rebuild runs after awards in periods gone by, then it writes none and equals the live totals', async () => {
  const members = await Promise.all([county.branchA2, county.branchB].map((branch) => buildMember({ branch })));
  for (const [i, m] of members.entries()) {
    await pay(m.id, 2 + i, new Date(Date.now() - 40 * DAY));
    await pay(m.id, 1 + i, new Date(Date.now() - 7 * DAY));
    await pay(m.id, 3);
  }
  const live = await totalsSnapshot();
  await rebuildPoints();
  expect(await totalsSnapshot()).toEqual(live);
  const docs = await MemberTotalsModel.find({}).lean();
  expect(gonePeriods(docs.flatMap((d) => [...Object.keys(d.t ?? {}), ...Object.keys(d.r ?? {})]))).toEqual([]);
  const scopes = await mongoose.connection.db!.collection('points_scopes').find({}).toArray();
  const scopePeriods = scopes.flatMap((s) => ['h', 'n', 'c'].flatMap((f) => Object.keys(s[f] ?? {})));
  expect(scopePeriods.length).toBeGreaterThan(0);
  expect(gonePeriods(scopePeriods.map((p) => `${p}|`))).toEqual([]);
});
