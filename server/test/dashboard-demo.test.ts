/**
 * The demo county seeds (issue 18): its history's meetings are typed activities, so the 数据看板 has months with
 * 三会一课 compliance, and the county admin's visits give the half-year's 巡查 coverage something to show.
 */
import type { Dashboard } from '@pioneer/shared';
import { startTestApp, type TestApp } from './support/harness';
import { seedDemoCounty } from '../src/jobs/demo-county';
import { LoginModel } from '../src/modules/users/users.model';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

test('the demo county: compliance in past months and visits in this half-year', async () => {
  await seedDemoCounty();
  const login = await LoginModel.findById('wx:demo-admin').lean();
  const res = await t
    .http()
    .get('/api/v1/dashboard')
    .query({ period: 'month' })
    .set({ authorization: `Bearer ${t.tokenFor(login!.userId)}` });
  expect(res.status).toBe(200);
  const d = res.body as Dashboard;
  expect(d.trend.some((p) => p.values.metRate > 0)).toBe(true);
  expect(d.trend.some((p) => p.values.cadreRate > 0)).toBe(true);
  expect(d.inspections.branches.covered).toBeGreaterThan(0);
  expect(d.inspections.villages.covered).toBe(d.inspections.villages.total - 1);
}, 120_000);
