import type { MemberMessage } from '@pioneer/shared';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { remindersVia, startFakeWechat, until, type FakeWechat } from './support/fake-wechat';
import { buildMember, type County } from './support/factories';
import { body, near } from './support/checkin-helpers';

/**
 * Issue 19's last two triggers: a member's 承诺 reviewed and a cadre's check-in reviewed each tell them once in
 * 我的 -> 消息 and, with the 'review' template consented, on WeChat (the fake), opening the page it is about; a
 * refused second review tells nothing more.
 */
let t: TestApp;
let wx: FakeWechat;
let county: County;
let sec: { id: string };
let member: { id: string };
let cadre: { id: string };
const auth = (id: string) => bearer(t, id);
const messages = async (id: string) =>
  (await t.http().get('/api/v1/me/messages').set(auth(id))).body.items as MemberMessage[];

beforeAll(async () => {
  wx = await startFakeWechat('wx-rev-app', 'rev-secret');
  ({ t, county } = await startCountyApp(
    remindersVia(wx, { task: 'T-TASK', deadline: 'T-DUE', activity: 'T-ACT', review: 'T-REV' }),
  ));
  sec = await buildMember({ branch: county.branchA, roles: ['member', 'secretary'], name: '甲书记' });
  member = await buildMember({ branch: county.branchA, name: '甲党员', openid: 'wx-rvm' });
  cadre = await buildMember({
    branch: county.branchA,
    roles: ['member', 'cadre'],
    postedTo: county.villageA,
    name: '甲驻村',
    openid: 'wx-rvc',
  });
  for (const [id, tail] of [
    [member.id, 'rvm'],
    [cadre.id, 'rvc'],
  ] as const) {
    const r = await t
      .http()
      .post('/api/v1/me/subscriptions')
      .set(auth(id))
      .send({ code: `good-${tail}`, accepted: ['review'] });
    expect(r.status).toBe(200);
  }
}, 60_000);
afterAll(async () => {
  await t.close();
  await wx.close();
});

test('a commitment returned with a comment tells its member once, in 消息 and on WeChat', async () => {
  const put = await t
    .http()
    .put('/api/v1/commitments/mine')
    .set(auth(member.id))
    .send({ year: new Date().getFullYear(), items: [{ text: '带头参加支部活动' }] });
  expect(put.status).toBe(200);
  const id = encodeURIComponent(put.body.commitment.id as string);
  expect((await t.http().post(`/api/v1/commitments/${id}/submit`).set(auth(member.id)).send({})).status).toBe(200);
  const returned = await t
    .http()
    .post(`/api/v1/commitments/${id}/review`)
    .set(auth(sec.id))
    .send({ decision: 'return', comment: '请写具体些' });
  expect(returned.status).toBe(200);
  const again = await t.http().post(`/api/v1/commitments/${id}/review`).set(auth(sec.id)).send({ decision: 'approve' });
  expect(again.status).toBe(422);
  const told = (await messages(member.id)).filter((m) => m.kind === 'commitment_reviewed');
  expect(told).toMatchObject([{ title: '您的承诺被退回修改', text: '意见：请写具体些' }]);
  await until(() => wx.sent.some((s) => s.touser === 'wx-rvm'));
  expect(wx.sent.filter((s) => s.touser === 'wx-rvm')).toMatchObject([
    { template_id: 'T-REV', page: 'pages/identity/index' },
  ]);
});

test('a check-in rejected tells the cadre once, in 消息 and on WeChat', async () => {
  const pending = await t
    .http()
    .post('/api/v1/checkins')
    .set(auth(cadre.id))
    .send(body(near(3000), { reason: '入户走访' }));
  expect(pending.body.status).toBe('pending');
  const review = (b: object) => t.http().post(`/api/v1/checkins/${pending.body.id}/review`).set(auth(sec.id)).send(b);
  expect((await review({ decision: 'reject', comment: '不在村内' })).status).toBe(200);
  expect((await review({ decision: 'approve' })).status).toBe(422);
  const told = (await messages(cadre.id)).filter((m) => m.kind === 'checkin_reviewed');
  expect(told).toHaveLength(1);
  expect(told[0]!.title).toMatch(/^\d{4}-\d{2}-\d{2} 的打卡被驳回$/);
  expect(told[0]!.text).toBe('意见：不在村内');
  await until(() => wx.sent.some((s) => s.touser === 'wx-rvc'));
  expect(wx.sent.filter((s) => s.touser === 'wx-rvc')).toMatchObject([
    { template_id: 'T-REV', page: 'pages/checkin-calendar/index' },
  ]);
});
