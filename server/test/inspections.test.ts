/**
 * 巡查 (issue 18 item 5): a township or county admin records a visit to a branch of their subtree, verified on site
 * by the village's fence; the list is a key read; the 数据看板 shows the half-year's coverage against the rule
 * (every village, at least 10% of branches), and a rebuild recounts it.
 */
import type { Dashboard, Inspection, InspectionList } from '@pioneer/shared';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildAdmin, buildMember, type County } from './support/factories';
import { DashboardCountersModel } from '../src/modules/dashboard/dashboard.model';
import { InspectionModel } from '../src/modules/inspections/inspections.model';
import { rebuildDashboard } from '../src/jobs/dashboard-rebuild';

let t: TestApp;
let county: County;
let countyAdmin: { id: string };
let townAdmin: { id: string };
const auth = (id: string) => bearer(t, id);
// villageA's fence is at (30.5447, 119.9752), 500 m, in GCJ-02.
const inside = { lat: 30.5449, lng: 119.9754, accuracy: 20, coordType: 'gcj02' };
const far = { lat: 30.6, lng: 120.1, accuracy: 20, coordType: 'gcj02' };

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  countyAdmin = await buildAdmin({ of: county.county, branch: county.branchB });
  townAdmin = await buildAdmin({ of: county.townB, branch: county.branchB });
});
afterAll(() => t.close());

const record = (who: string, body: Record<string, unknown>) =>
  t.http().post('/api/v1/inspections').set(auth(who)).send(body);

test('a visit on site is verified by the fence; one away from it is recorded unverified', async () => {
  const res = await record(countyAdmin.id, {
    org: county.branchA.id,
    date: '2026-08-03',
    findings: '三会一课记录齐全，党员活动室整洁',
    location: inside,
  });
  expect(res.status).toBe(201);
  const visit = res.body as Inspection;
  expect(visit.onSite).toBe(true);
  expect(visit.villageName).toBe('甲村');
  expect(visit.distanceM).toBeLessThan(100);
  const away = await record(countyAdmin.id, {
    org: county.branchA2.id,
    date: '2026-08-04',
    findings: '电话了解情况',
    location: far,
  });
  expect(away.status).toBe(201);
  expect((away.body as Inspection).onSite).toBe(false);
  expect((away.body as Inspection).distanceM).toBeGreaterThan(500);
});

test('scope: a township admin records and sees only its township', async () => {
  const own = await record(townAdmin.id, { org: county.branchB.id, date: '2026-09-01', findings: '台账规范' });
  expect(own.status).toBe(201);
  const before = await InspectionModel.countDocuments({});
  const other = await record(townAdmin.id, { org: county.branchA.id, date: '2026-09-01', findings: '越权' });
  expect(other.status).toBe(403);
  expect(other.body.error.message).toBe('只能巡查本辖区的支部');
  const list = await t.http().get('/api/v1/inspections').query({ half: '2026H2' }).set(auth(townAdmin.id));
  expect(list.status).toBe(200);
  expect((list.body as InspectionList).items.map((i) => i.branch.id)).toEqual([county.branchB.id]);
  expect(Number(list.headers['x-engine-commands'])).toBeLessThanOrEqual(3);
  const outside = await t.http().get('/api/v1/inspections').query({ org: county.townA.id }).set(auth(townAdmin.id));
  expect(outside.status).toBe(403);
  const member = await buildMember({ branch: county.branchA });
  expect((await record(member.id, { org: county.branchA.id, date: '2026-09-01', findings: 'x' })).status).toBe(403);
  expect(await InspectionModel.countDocuments({})).toBe(before);
});

test('bad input is a clear 400 and writes nothing', async () => {
  const before = await InspectionModel.countDocuments({});
  const cases: [Record<string, unknown>, string][] = [
    [{ org: county.branchA.id, date: '2026-08-03', findings: ' ' }, '请填写巡查发现'],
    [{ org: county.branchA.id, date: '2099-01-01', findings: '未来' }, '巡查日期不能晚于今天'],
    [{ org: county.branchA.id, date: '2026-02-30', findings: '无此日' }, '日期不存在'],
    [
      { org: county.branchA.id, date: '2026-08-03', findings: '照片', photoUrls: ['http://x/y.jpg'] },
      '照片须通过上传获得',
    ],
    [{ org: county.villageA.id, date: '2026-08-03', findings: '村' }, '请选择要巡查的支部'],
  ];
  for (const [body, message] of cases) {
    const res = await record(countyAdmin.id, body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(message);
  }
  const vague = await record(countyAdmin.id, {
    org: county.branchA.id,
    date: '2026-08-03',
    findings: '定位不准',
    location: { ...inside, accuracy: 5000 },
  });
  expect(vague.status).toBe(422);
  expect(await InspectionModel.countDocuments({})).toBe(before);
});

test('the board shows the half-year coverage against the rule, in 3 commands; a rebuild recounts it', async () => {
  const res = await t
    .http()
    .get('/api/v1/dashboard')
    .query({ period: 'quarter', at: '2026-08' })
    .set(auth(countyAdmin.id));
  expect(res.status).toBe(200);
  expect(Number(res.headers['x-engine-commands'])).toBeLessThanOrEqual(3);
  const d = res.body as Dashboard;
  expect(d.inspections).toEqual({
    half: '2026H2',
    label: '2026年下半年',
    villages: { covered: 2, total: 2 },
    branches: { covered: 3, total: 3 },
    met: true,
  });
  const town = await t
    .http()
    .get('/api/v1/dashboard')
    .query({ period: 'month', at: '2026-03', org: county.townA.id })
    .set(auth(countyAdmin.id));
  // The first half had no visit: not met.
  expect((town.body as Dashboard).inspections).toMatchObject({
    half: '2026H1',
    villages: { covered: 0, total: 1 },
    met: false,
  });
  const snapshot = async () =>
    JSON.parse(JSON.stringify(await DashboardCountersModel.find({}).sort({ _id: 1 }).lean())) as unknown;
  const live = await snapshot();
  await rebuildDashboard();
  expect(await snapshot()).toEqual(live);
});
