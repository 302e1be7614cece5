/**
 * 数据看板, issue 17: an award writes this year's counters documents only (no copy of December, Q4 and the year into
 * next year's), and January, Q1 and the year still show last December, Q4 and year as their previous period — the
 * counters, a cadre's present days and the idle branches — read from last year's own document in the same command.
 */
import type { DashboardQuery } from '@pioneer/shared';
import { startCountyApp, type TestApp } from './support/harness';
import { countyAdminSession } from './support/sessions';
import { buildMember, type County } from './support/factories';
import { awardPoints } from '../src/modules/points/points.service';
import { ActivityModel } from '../src/modules/activities/activities.model';
import { DashboardCountersModel } from '../src/modules/dashboard/dashboard.model';
import { flushCounters } from '../src/modules/dashboard/counters';
import { getDashboard } from '../src/modules/dashboard/dashboard.service';
import { rebuildDashboard } from '../src/jobs/dashboard-rebuild';
import { UserModel } from '../src/modules/users/users.model';
import { syncCadre } from '../src/modules/orgs/subtree';
import type { SessionUser } from '../src/http/types';

let t: TestApp;
let county: County;
let admin: SessionUser;
const at = (day: string) => new Date(`${day}T10:00:00+08:00`);
/** The boards are read on 10 January 2027: 15 December lies within the 30 days before. */
const NOW = at('2027-01-10');

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  admin = await countyAdminSession(county);
});
afterAll(() => t.close());

const board = (query: DashboardQuery) => getDashboard(admin, query, NOW);

/** The ids of every counters document of `year`. */
async function idsOfYear(year: number) {
  const docs = await DashboardCountersModel.find({}, { _id: 1 }).lean<{ _id: string }[]>();
  return docs.map((d) => d._id).filter((id) => id.endsWith(`|${year}`));
}

/** Each year view's previous period, and the period before it read as a board of its own. */
async function previousAndItsBoard() {
  const pairs: [DashboardQuery, DashboardQuery][] = [
    [
      { period: 'month', at: '2027-01' },
      { period: 'month', at: '2026-12' },
    ],
    [
      { period: 'quarter', at: '2027-01' },
      { period: 'quarter', at: '2026-12' },
    ],
    [
      { period: 'year', at: '2027-01' },
      { period: 'year', at: '2026-12' },
    ],
  ];
  return Promise.all(pairs.map(async ([now, before]) => [(await board(now)).previous, (await board(before)).values]));
}

test('when members earn on 15 December 2026, then no 2027 document is written and January 2027 shows December, Q4 and 2026 as before', async () => {
  const cadre = await buildMember({ branch: county.branchB, roles: ['member', 'cadre'] });
  await UserModel.updateOne(
    { _id: cadre.id },
    { $set: { postedVillageId: county.villageB.id, postedSince: '2026-11-01' } },
  );
  await syncCadre(cadre.id, { path: cadre.orgPath, posting: null });
  const member = await buildMember({ branch: county.branchB });
  const activityId = 'act-dec-lecture';
  await ActivityModel.collection.insertOne({ _id: activityId, branchId: county.branchB.id, type: 'lecture' } as never);
  const base = { refType: 'test', units: 1, at: at('2026-12-15') };
  await awardPoints({ ...base, userId: cadre.id, reason: 'checkin', refId: 'ci1', idempotencyKey: 'ci|1' });
  await awardPoints({
    ...base,
    userId: member.id,
    reason: 'activity_attended',
    refId: activityId,
    idempotencyKey: 'a1',
  });
  await awardPoints({ ...base, userId: member.id, reason: 'wish_fulfilled', refId: 'w1', idempotencyKey: 'w1' });
  await flushCounters();

  expect(await idsOfYear(2026)).toHaveLength(4); // county, township, village, branch
  expect(await idsOfYear(2027)).toEqual([]);

  const jan = await board({ period: 'month', at: '2027-01' });
  expect(jan.previousLabel).toBe('2026年12月');
  expect(jan.previous).toMatchObject({ held: 1, attendAvg: 1, wishes: 1, cadreDays: 1 });
  expect(jan.previous.idle).toBe(jan.org.branches - 1); // branchB held one on 12-15
  expect(jan.values.idle).toBe(jan.org.branches - 1); // 30 days before 10 January: 12-15 still counts
  for (const [previous, itsOwn] of await previousAndItsBoard()) expect(previous).toEqual(itsOwn);

  // The rebuild writes the same: this year's documents only, the same boards.
  const before = await previousAndItsBoard();
  await rebuildDashboard();
  expect(await idsOfYear(2027)).toEqual([]);
  expect(await previousAndItsBoard()).toEqual(before);
});
