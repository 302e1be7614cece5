import { dayKey, type AuditEntry } from '@pioneer/shared';
import { client } from './support/client';
import { startCountyApp, type TestApp } from './support/harness';
import { buildAdmin, buildMember, buildSecretary, type County } from './support/factories';

/**
 * Going down the tree is on record (issue 19): publishing a notice and sending a task each leave one line in
 * 操作记录, readable by who runs the sending org and above, saying what went out and to how many; a refused
 * publish leaves none.
 */
let t: TestApp;
let county: County;
let admin: { id: string };
let secretary: { id: string };
const as = (id: string) => client(t, id);
const log = async (who: string, org: string) => (await as(who).get('/audit').query({ org })).body.items as AuditEntry[];

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  admin = await buildAdmin({ of: county.county, branch: county.branchB, name: '王组织' });
  secretary = await buildSecretary(county.branchA, '甲书记');
  await buildMember({ branch: county.branchA, name: '甲党员' });
}, 60_000);
afterAll(async () => t.close());

test('a published notice and a sent task each leave one audit line; a refused publish none', async () => {
  const refused = await as(secretary.id).post('/notices', {
    org: county.branchB.id,
    title: '越权通知',
    body: '<p>x</p>',
  });
  expect(refused.status).toBe(403);
  const notice = await as(secretary.id).post('/notices', { title: '支部党员大会通知', body: '<p>周五下午</p>' });
  expect(notice.status).toBe(201);
  const task = await as(admin.id).post('/tasks', {
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
