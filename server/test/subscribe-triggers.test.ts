import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { remindersVia, startFakeWechat, until, type FakeWechat } from './support/fake-wechat';
import { buildAdmin, buildMember, type County } from './support/factories';
import { dayKey } from '@pioneer/shared';

/**
 * 订阅消息 end to end on the server (issue 19): a member records consent with a wx.login code (it must be their own
 * WeChat login); a task sent to their branch and returned reaches their phone through the fake WeChat once per
 * consent; with reminders off nothing is sent; 我的 -> 消息 lists everything either way.
 */
let t: TestApp;
let wx: FakeWechat;
let county: County;
let admin: { id: string };
let sec: { id: string };
const auth = (id: string) => bearer(t, id);
const photo = '/api/v1/uploads/2026-11/0123456789abcdef0123456789abcdef.jpg';

beforeAll(async () => {
  wx = await startFakeWechat('wx-trigger-app', 'trigger-secret');
  ({ t, county } = await startCountyApp(
    remindersVia(wx, { task: 'TPL-TASK', deadline: 'D', activity: 'A', review: 'R' }),
  ));
  admin = await buildAdmin({ of: county.county, branch: county.branchB });
  sec = await buildMember({
    branch: county.branchA,
    roles: ['member', 'secretary'],
    name: '甲书记',
    openid: 'wx-sec1',
  });
}, 60_000);
afterAll(async () => {
  await t.close();
  await wx.close();
});

test('consent needs the member’s own WeChat login', async () => {
  const other = await t
    .http()
    .post('/api/v1/me/subscriptions')
    .set(auth(sec.id))
    .send({ code: 'good-someone-else', accepted: ['task'] });
  expect(other.status).toBe(403);
  expect(other.body.error.message).toContain('不一致');
  const stale = await t
    .http()
    .post('/api/v1/me/subscriptions')
    .set(auth(sec.id))
    .send({ code: 'expired', accepted: ['task'] });
  expect(stale.status).toBe(400); // not 401: the member stays signed in
  const mine = await t
    .http()
    .post('/api/v1/me/subscriptions')
    .set(auth(sec.id))
    .send({ code: 'good-sec1', accepted: ['task'] });
  expect(mine.status).toBe(200);
  expect(mine.body.counts).toEqual({ task: 1 });
  const state = await t.http().get('/api/v1/me/subscriptions').set(auth(sec.id));
  expect(state.body).toMatchObject({ enabled: true, templates: { task: 'TPL-TASK' }, counts: { task: 1 } });
});

test('a task sent to the branch reaches the secretary’s phone once; the return finds no consent left', async () => {
  const sent = await t
    .http()
    .post('/api/v1/tasks')
    .set(auth(admin.id))
    .send({ title: '报送党费收缴情况', deadline: dayKey(new Date()), branches: [county.branchA.id] });
  expect(sent.status).toBe(201);
  await until(() => wx.sent.length === 1);
  expect(wx.sent[0]).toMatchObject({ touser: 'wx-sec1', template_id: 'TPL-TASK', page: 'pages/tasks/index' });
  const id = sent.body.id as string;
  const at = (what: string) => `/api/v1/tasks/${id}/receivers/${county.branchA.id}/${what}`;
  await t
    .http()
    .post(at('report'))
    .set(auth(sec.id))
    .send({ text: '已收缴', photoUrls: [photo] });
  await t.http().post(at('return')).set(auth(admin.id)).send({ comment: '请附收据' });
  const told = await t.http().get('/api/v1/me/messages').set(auth(sec.id));
  expect(told.body.items.map((m: { kind: string }) => m.kind)).toEqual(['task_returned', 'task']);
  await new Promise((r) => setTimeout(r, 300));
  expect(wx.sent).toHaveLength(1); // the one consent was spent on the assignment
  // A new consent: the acceptance goes out.
  await t
    .http()
    .post('/api/v1/me/subscriptions')
    .set(auth(sec.id))
    .send({ code: 'good-sec1', accepted: ['task'] });
  await t
    .http()
    .post(at('report'))
    .set(auth(sec.id))
    .send({ text: '已附收据', photoUrls: [photo] });
  await t.http().post(at('accept')).set(auth(admin.id)).send({});
  await until(() => wx.sent.length === 2);
});

test('with reminders off, members are told in 消息 and nothing goes to WeChat', async () => {
  const off = t.httpWith({
    reminders: { enabled: false, templates: { task: 'TPL-TASK', deadline: '', activity: '', review: '' } },
  });
  await t
    .http()
    .post('/api/v1/me/subscriptions')
    .set(auth(sec.id))
    .send({ code: 'good-sec1', accepted: ['task'] });
  const before = wx.sent.length;
  const sent = await off
    .post('/api/v1/tasks')
    .set(auth(admin.id))
    .send({ title: '关闭提醒时的任务', deadline: dayKey(new Date()), branches: [county.branchA.id] });
  expect(sent.status).toBe(201);
  await new Promise((r) => setTimeout(r, 300));
  expect(wx.sent.length).toBe(before);
});
