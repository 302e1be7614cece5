import { dayKey, type AuditEntry } from '@pioneer/shared';
import { startTestApp, type TestApp } from './support/harness';
import { buildCounty, buildMember } from './support/factories';

/**
 * Going down the tree is on record (issue 19): publishing a notice and sending a task each leave one line in
 * 操作记录, readable by who runs the sending org and above, saying what went out and to how many; a refused
 * publish leaves none.
 */
let t: TestApp;
let county: Awaited<ReturnType<typeof buildCounty>>;
let admin: { id: string };
let secretary: { id: string };
const auth = (id: string) => ({ authorization: `Bearer ${t.tokenFor(id)}` });
const log = async (as: string, org: string) =>
  (await t.http().get('/api/v1/audit').query({ org }).set(auth(as))).body.items as AuditEntry[];

beforeAll(async () => {
  t = await startTestApp();
  county = await buildCounty();
  admin = await buildMember({
    branch: county.branchB,
    roles: ['member', 'admin'],
    adminOf: county.county,
    name: '王组织',
  });
  secretary = await buildMember({ branch: county.branchA, roles: ['member', 'secretary'], name: '甲书记' });
  await buildMember({ branch: county.branchA, name: '甲党员' });
}, 60_000);
afterAll(async () => t.close());

test('a published notice and a sent task each leave one audit line; a refused publish none', async () => {
  const refused = await t
    .http()
    .post('/api/v1/notices')
    .set(auth(secretary.id))
    .send({ org: county.branchB.id, title: '越权通知', body: '<p>x</p>' });
  expect(refused.status).toBe(403);
  const notice = await t
    .http()
    .post('/api/v1/notices')
    .set(auth(secretary.id))
    .send({ title: '支部党员大会通知', body: '<p>周五下午</p>' });
  expect(notice.status).toBe(201);
  const task = await t
    .http()
    .post('/api/v1/tasks')
    .set(auth(admin.id))
    .send({
      title: '报送党费收缴情况',
      deadline: dayKey(new Date()),
      branches: [county.branchA.id, county.branchB.id],
    });
  expect(task.status).toBe(201);

  const branchLog = await log(secretary.id, county.branchA.id);
  const published = branchLog.filter((e) => e.action === 'notice.publish');
  expect(published).toHaveLength(1);
  expect(published[0]).toMatchObject({
    actionLabel: '发布通知公告',
    actor: { id: secretary.id, name: '甲书记' },
    summary: `《支部党员大会通知》送达 ${notice.body.recipients} 人`,
  });
  const countyLog = await log(admin.id, county.county.id);
  const sent = countyLog.filter((e) => e.action === 'task.send');
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({ actionLabel: '下发督办任务', summary: '《报送党费收缴情况》送达 2 个接收方' });
  expect(countyLog.filter((e) => e.action === 'notice.publish').map((e) => e.actor.id)).toEqual([secretary.id]);
});
