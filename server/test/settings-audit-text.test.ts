import { dayKey } from '@pioneer/shared';
import { startTestApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildAdmin, buildCounty } from './support/factories';

let t: TestApp;
const auth = (id: string) => bearer(t, id);
const DAY = 24 * 3600 * 1000;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('操作记录 of a points-rules change (issue 15)', () => {
  test('when the admin changes a value, a cap and switches a rule off, then the entry says so in words, not JSON', async () => {
    const county = await buildCounty();
    const admin = await buildAdmin({ of: county.county, branch: county.branchA });
    const from = dayKey(new Date(Date.now() + DAY));
    const put = await t
      .http()
      .put('/api/v1/settings/points-rules')
      .set(auth(admin.id))
      .send({
        org: county.county.id,
        effectiveFrom: from,
        rules: [
          { reason: 'daily_quiz', points: 2, cap: { per: 'day', max: 5 }, enabled: true },
          { reason: 'post_service', points: 2, cap: { per: 'day', max: 6 }, enabled: true },
          { reason: 'wish_fulfilled', points: 5, cap: null, enabled: false },
        ],
      });
    expect(put.status).toBe(200);
    const log = await t
      .http()
      .get('/api/v1/audit')
      .query({ org: county.county.id, action: 'settings' })
      .set(auth(admin.id));
    expect(log.status).toBe(200);
    const entry = log.body.items.find((i: { action: string }) => i.action === 'settings.points_rules');
    expect(entry.summary).toBe(`自${from}起：每日答题 每题分值 1 → 2；公益岗位服务 每日上限 8 → 6；微心愿圆梦 停用`);
    expect(entry.summary).not.toMatch(/[{}"]/);
  });

  test('when a later version changes a value again, then the entry compares with the version in force before it', async () => {
    const county = await buildCounty();
    const admin = await buildAdmin({ of: county.county, branch: county.branchA });
    const put = (effectiveFrom: string, points: number) =>
      t
        .http()
        .put('/api/v1/settings/points-rules')
        .set(auth(admin.id))
        .send({
          org: county.county.id,
          effectiveFrom,
          rules: [{ reason: 'checkin', points, cap: { per: 'day', max: 5 }, enabled: true }],
        });
    expect((await put(dayKey(new Date(Date.now() + DAY)), 2)).status).toBe(200);
    const later = dayKey(new Date(Date.now() + 3 * DAY));
    expect((await put(later, 3)).status).toBe(200);
    const log = await t
      .http()
      .get('/api/v1/audit')
      .query({ org: county.county.id, action: 'settings' })
      .set(auth(admin.id));
    expect(log.body.items[0].summary).toBe(`自${later}起：驻村打卡 每天分值 2 → 3`);
  });
});
