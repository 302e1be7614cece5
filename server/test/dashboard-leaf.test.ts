/**
 * 数据看板, issue 17: an org below the township reads its own counts from its parent's document (`kids.<org>`, and
 * `lcad.<org>` for a cadre's days: dashboard/leaf-counters.ts), which every award writes anyway: a paying check-in or
 * a daily quiz of a branch's member writes nothing to the branch's counters document, and every board reads what it
 * read before — a
 * branch's, a village's (with members of its own and of its branches), January's previous period (last year's
 * documents), after the branch moves to another village, and after dashboard:rebuild.
 */
import type { Dashboard, DashboardQuery } from '@pioneer/shared';
import { startCountyApp, type TestApp } from './support/harness';
import { countyAdminSession } from './support/sessions';
import { buildMember, buildOrg, type County } from './support/factories';
import { payFor } from './support/points-helpers';
import { countersId, DashboardCountersModel } from '../src/modules/dashboard/dashboard.model';
import { flushCounters } from '../src/modules/dashboard/counters';
import { getDashboard } from '../src/modules/dashboard/dashboard.service';
import { rebuildDashboard } from '../src/jobs/dashboard-rebuild';
import { moveOrg } from '../src/modules/orgs/org-tree.service';
import { UserModel } from '../src/modules/users/users.model';
import { syncCadre } from '../src/modules/orgs/subtree';
import { onCollectionWrite } from '../src/db/engine-commands';
import type { SessionUser } from '../src/http/types';

let t: TestApp;
let county: County;
let admin: SessionUser;
const at = (day: string) => new Date(`${day}T10:00:00+08:00`);
const NOW = at('2027-01-20');

let written: unknown[] = [];
onCollectionWrite('dashboard_counters', (ids, phase) => phase === 'sent' && written.push(...[ids].flat()));

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  admin = await countyAdminSession(county);
});
afterAll(() => t.close());

const board = (org: string, query: Omit<DashboardQuery, 'org'>) => getDashboard(admin, { ...query, org }, NOW);
const QUERIES: Omit<DashboardQuery, 'org'>[] = [
  { period: 'month', at: '2026-12' },
  { period: 'quarter', at: '2026-12' },
  { period: 'year', at: '2026-12' },
  { period: 'month', at: '2027-01' }, // previous: last year's December
];

/** Every board of the county's orgs, for each query. */
async function allBoards(): Promise<Dashboard[]> {
  const orgs = Object.values(county).map((o) => o.id);
  const out: Dashboard[] = [];
  for (const org of orgs) for (const q of QUERIES) out.push({ ...(await board(org, q)), asOf: '' });
  return out;
}

const pay = (userId: string, reason: 'checkin' | 'daily_quiz', key: string, units = 1) =>
  payFor(userId, reason, key, { units, at: at('2026-12-15') });

async function cadreOf(branch: County['branchA'], village: County['villageA']) {
  const c = await buildMember({ branch, roles: ['member', 'cadre'] });
  await UserModel.updateOne({ _id: c.id }, { $set: { postedVillageId: village.id, postedSince: '2026-11-01' } });
  await syncCadre(c.id, { path: c.orgPath, posting: null });
  return c;
}

test("when a branch's cadre checks in and its member answers a quiz, then the branch's counters document is not written and its board reads them", async () => {
  const cadre = await cadreOf(county.branchA, county.villageA);
  const member = await buildMember({ branch: county.branchA });
  await flushCounters();
  written = [];
  await pay(cadre.id, 'checkin', 'leaf-ci1');
  await pay(member.id, 'daily_quiz', 'leaf-q1', 4);
  await flushCounters();
  const year = 2026;
  expect(written).not.toContain(countersId(county.branchA.id, year));
  expect(written).toEqual(expect.arrayContaining([countersId(county.villageA.id, year)]));

  const dec = await board(county.branchA.id, { period: 'month', at: '2026-12' });
  expect(dec.values).toMatchObject({ active: 2, cadreDays: 1, quizAvg: 80 });
  expect(dec.values.cadreRate).toBeGreaterThan(0); // the cadre's present day, from the village's `lcad`
  const row = (await board(county.villageA.id, { period: 'month', at: '2026-12' })).children.find(
    (c) => c.id === county.branchA.id,
  )!;
  expect(row.values).toEqual(dec.values);
  // January's previous period: last year's documents, the village's included.
  expect((await board(county.branchA.id, { period: 'month', at: '2027-01' })).previous).toEqual(dec.values);
});

test("when a village has members of its own and of its branches, then its board adds both, as a rebuild's does, and a branch that moves keeps its counts", async () => {
  const own = await buildMember({ branch: county.villageB }); // a chain of 3 that ends at an org with children
  const below = await buildMember({ branch: county.branchB });
  await pay(own.id, 'daily_quiz', 'leaf-q2', 5);
  await pay(below.id, 'daily_quiz', 'leaf-q3', 3);
  await flushCounters();
  const village = await board(county.villageB.id, { period: 'month', at: '2026-12' });
  expect(village.values).toMatchObject({ quizAvg: 80 }); // (5 + 3) / 2 answers, x 20
  const before = await allBoards();
  await rebuildDashboard();
  expect(await allBoards()).toEqual(before);

  // branchA moves under villageB: its own board reads the same (what its old village held of it copied to it).
  const branchBoards = async () => Promise.all(QUERIES.map(async (q) => (await board(county.branchA.id, q)).values));
  const moved = await branchBoards();
  await moveOrg(admin, county.branchA.id, { parentId: county.villageB.id });
  expect(await branchBoards()).toEqual(moved);
  // A check-in after the move counts under the new village, on top.
  const movedA = { ...county.branchA, path: [...county.villageB.path, county.villageB.id] };
  const cadre = await cadreOf(movedA, county.villageB);
  await pay(cadre.id, 'checkin', 'leaf-ci2');
  await flushCounters();
  const after = await branchBoards();
  expect(after[0]!.cadreDays).toBe(moved[0]!.cadreDays + 1);
  // The rebuild (from the ledger's chains and the orgs' parents now) reads the same.
  const live = await allBoards();
  await rebuildDashboard();
  expect(await allBoards()).toEqual(live);
  expect(await branchBoards()).toEqual(after);
});

test("when a branch holds counts written before the change (its own `self` beside its village's `kids` row), then its board counts them once, and after it moves up under the county too", async () => {
  const branch = await buildOrg('branch', '丙党支部', county.villageA);
  // As the counters were written before issue 17's change: the branch's `self` and the village's `kids.<branch>`.
  const wishes = { 'm12.wishes': 2, 'q4.wishes': 2, 'y.wishes': 2 };
  const paths = (prefix: string) => Object.fromEntries(Object.entries(wishes).map(([k, n]) => [`${prefix}.${k}`, n]));
  await DashboardCountersModel.collection.bulkWrite([
    { updateOne: { filter: { _id: countersId(branch.id, 2026) }, update: { $inc: paths('self') }, upsert: true } },
    {
      updateOne: {
        filter: { _id: countersId(county.villageA.id, 2026) },
        update: { $inc: paths(`kids.${branch.id}`) },
        upsert: true,
      },
    },
  ] as never);
  const member = await buildMember({ branch });
  await payFor(member.id, 'wish_fulfilled', 'leaf-w1', { at: at('2026-12-16') });
  await flushCounters();
  const boards = async () => Promise.all(QUERIES.map(async (q) => (await board(branch.id, q)).values.wishes));
  expect(await boards()).toEqual([3, 3, 3, 0]);
  await moveOrg(admin, branch.id, { parentId: county.county.id });
  expect(await boards()).toEqual([3, 3, 3, 0]);
  const member2 = await buildMember({ branch: { ...branch, path: [county.county.id] } });
  await payFor(member2.id, 'wish_fulfilled', 'leaf-w2', { at: at('2026-12-17') });
  await flushCounters();
  expect(await boards()).toEqual([4, 4, 4, 0]);
  // The rebuild knows the ledger's two wishes only (the counts written by hand above are not in it).
  await rebuildDashboard();
  expect(await boards()).toEqual([2, 2, 2, 0]);
});
