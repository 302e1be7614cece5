import { dayKey } from '@pioneer/shared';
import { LedgerModel } from '../src/modules/points/points.model';
import { startTestApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildAdmin, buildCounty, buildMember, buildSecretary } from './support/factories';

let t: TestApp;
const auth = (id: string) => bearer(t, id);

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/**
 * Pages show the rules in force from GET /settings/points-rules; features say what happened in units and the
 * ledger prices them by the same rule. After a county changes a value, both say the same number.
 */
describe('the rules the pages read and the ledger agree', () => {
  test('when a county pays 7 for an attendance and 4 an hour from today, then the view says so and the ledger pays it', async () => {
    const county = await buildCounty();
    const admin = await buildAdmin({ of: county.county, branch: county.branchA });
    const secretary = await buildSecretary(county.branchA);
    const m = await buildMember({ branch: county.branchA });
    const put = await t
      .http()
      .put('/api/v1/settings/points-rules')
      .set(auth(admin.id))
      .send({
        org: county.county.id,
        effectiveFrom: dayKey(new Date()),
        rules: [
          { reason: 'activity_attended', points: 7, cap: null, enabled: true },
          { reason: 'post_service', points: 4, cap: { per: 'day', max: 20 }, enabled: true },
        ],
      });
    expect(put.status).toBe(200);

    const view = await t.http().get('/api/v1/settings/points-rules').query({ org: county.county.id }).set(auth(m.id));
    expect(view.status).toBe(200);
    const shown = (reason: string) => view.body.rules.find((r: { reason: string }) => r.reason === reason);
    expect(shown('activity_attended')).toMatchObject({ points: 7, earns: '参加三会一课、主题党日、红色星期六得7分' });
    expect(shown('post_service')).toMatchObject({ points: 4, cap: { per: 'day', max: 20 } });

    // 补录 pays the attendance: one unit, priced by the rule in force.
    const startsAt = new Date(Date.now() - 5 * 60_000).toISOString();
    const endsAt = new Date(Date.now() + 60 * 60_000).toISOString();
    const act = await t
      .http()
      .post('/api/v1/activities')
      .set(auth(secretary.id))
      .send({ type: 'theme_day', title: '主题党日', startsAt, endsAt });
    expect(act.status).toBe(201);
    const added = await t
      .http()
      .post(`/api/v1/activities/${act.body.id}/attendees`)
      .set(auth(secretary.id))
      .send({ userId: m.id, reason: '手机没电' });
    expect(added.status).toBe(201);
    const paid = await LedgerModel.findOne({ userId: m.id, reason: 'activity_attended' }).lean();
    expect(paid?.delta).toBe(shown('activity_attended').points);

    // 代为登记 pays 2.5 hours at the hour's value in force: 10, what the page computes from the same view.
    const post = await t.http().post('/api/v1/posts').set(auth(secretary.id)).send({
      title: '路口护学岗',
      category: '交通引导',
      description: '上下学时段引导车辆',
      capacity: 3,
      orgId: county.branchA.id,
    });
    expect(post.status).toBe(201);
    const record = await t
      .http()
      .post('/api/v1/records')
      .set(auth(secretary.id))
      .send({
        postId: post.body.id,
        userId: m.id,
        hours: 2.5,
        resolved: 0,
        servedOn: dayKey(new Date()),
        reason: '老人没有智能手机',
      });
    expect(record.status).toBe(201);
    const service = await LedgerModel.findOne({ userId: m.id, reason: 'post_service' }).lean();
    expect(service?.delta).toBe(Math.round(2.5 * shown('post_service').points));
  });
});
