/**
 * The demo county seeds (issue 18): its history's meetings are typed activities, so the 数据看板 has months with
 * 三会一课 compliance, and the county admin's visits give the half-year's 巡查 coverage something to show.
 */
import type { Dashboard } from '@pioneer/shared';
import { startTestApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
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
  const res = await t.http().get('/api/v1/dashboard').query({ period: 'month' }).set(bearer(t, login!.userId));
  expect(res.status).toBe(200);
  const d = res.body as Dashboard;
  expect(d.trend.some((p) => p.values.metRate > 0)).toBe(true);
  expect(d.trend.some((p) => p.values.cadreRate > 0)).toBe(true);
  // A believable 在岗率: every month of the history between 70% and 100% (never above), owed by the posted cadre.
  const months = d.trend.filter((p) => p.values.cadreReq > 0).slice(1, -1);
  expect(months.length).toBeGreaterThanOrEqual(6);
  for (const p of months) expect(p.values.cadreRate).toBeGreaterThanOrEqual(70);
  for (const p of d.trend) expect(p.values.cadreRate).toBeLessThanOrEqual(100);
  // Several months of history behind the charts: members active and quizzes answered in most of them.
  expect(d.trend.filter((p) => p.values.active > 0 && p.values.quizRate > 0).length).toBeGreaterThanOrEqual(6);
  // 县委组织部 (an agency under the county) is in the 县直机关 row, beside the townships.
  expect(d.children.map((c) => [c.name, c.type])).toEqual([
    ['青山镇', 'township'],
    ['溪口乡', 'township'],
    ['县直机关', 'group'],
  ]);
  expect(d.children[2]!.branches).toBe(1);
  expect(d.inspections.branches.covered).toBeGreaterThan(0);
  expect(d.inspections.villages.covered).toBe(d.inspections.villages.total - 1);
}, 120_000);
