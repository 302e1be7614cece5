import type { Activity, RecordBook } from '@pioneer/shared';
import { currentPeriodKey } from '@pioneer/shared';
import { ActivityModel } from '../src/modules/activities/activities.model';
import { AuditModel } from '../src/modules/audit/audit.model';
import { startCountyApp, type TestApp } from './support/harness';
import { buildAdmin, buildMember, buildSecretary, type County } from './support/factories';
import { client } from './support/client';

/** Issue 15: a published activity can be corrected or cancelled, before it starts, by who runs its branch. */
let t: TestApp;
const as = (id: string) => client(t, id, '/api/v1/activities');
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

let county: County;
let secretary: { id: string };
let otherSecretary: { id: string };
let member: { id: string };
let townAdmin: { id: string };
let otherTownAdmin: { id: string };

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  secretary = await buildSecretary(county.branchA);
  otherSecretary = await buildSecretary(county.branchA2);
  member = await buildMember({ branch: county.branchA });
  townAdmin = await buildAdmin({ of: county.townA, branch: county.branchA2 });
  otherTownAdmin = await buildAdmin({ of: county.townB, branch: county.branchB });
});
afterAll(() => t.close());

async function publish(startsIn: number, title = '主题党日'): Promise<Activity> {
  const res = await as(secretary.id).post('', {
    type: 'theme_day',
    title,
    startsAt: inMinutes(startsIn),
    endsAt: inMinutes(startsIn + 120),
  });
  expect(res.status).toBe(201);
  return res.body as Activity;
}
const patch = (who: string, id: string, body: object) => as(who).patch(`/${id}`, body);
const cancel = (who: string, id: string, reason = '时间冲突，改期') => as(who).post(`/${id}/cancel`, { reason });

describe('editing a published activity', () => {
  test('when the secretary or an admin above corrects it before it starts, then the change is saved and listed', async () => {
    const a = await publish(24 * 60);
    const res = await patch(secretary.id, a.id, {
      title: '十二月主题党日',
      startsAt: inMinutes(48 * 60),
      endsAt: inMinutes(48 * 60 + 90),
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: '十二月主题党日' });
    expect((await patch(townAdmin.id, a.id, { topic: '学习党章' })).body.topic).toBe('学习党章');
    const list = await as(member.id).get('');
    expect(list.body.items.find((x: Activity) => x.id === a.id)).toMatchObject({ title: '十二月主题党日' });
  });

  test('when a member, a secretary of another branch or an admin of another township edits, then 403 and nothing changes', async () => {
    const a = await publish(24 * 60, '原标题');
    for (const who of [member.id, otherSecretary.id, otherTownAdmin.id])
      expect((await patch(who, a.id, { title: '改掉' })).status).toBe(403);
    expect((await ActivityModel.findById(a.id).lean())!.title).toBe('原标题');
  });

  test('when it has started, then its time, title and place can no longer be changed (422)', async () => {
    const a = await publish(-10, '已开始');
    const res = await patch(secretary.id, a.id, { title: '补改标题' });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('活动已开始');
    expect((await ActivityModel.findById(a.id).lean())!.title).toBe('已开始');
  });

  test('when it has ended, then 开始签到 is refused instead of opening sign-in with a live code', async () => {
    const res = await as(secretary.id).post('', {
      type: 'theme_day',
      title: '已结束',
      startsAt: inMinutes(-180),
      endsAt: inMinutes(-60),
    });
    const opened = await patch(secretary.id, res.body.id, { status: 'open' });
    expect(opened.status).toBe(422);
    expect(opened.body.error.message).toContain('已结束');
    expect((await as(secretary.id).get(`/${res.body.id}/qr`)).status).toBe(422);
  });

  test('when the new start is in the past, then it is refused', async () => {
    const a = await publish(60);
    expect((await patch(secretary.id, a.id, { startsAt: inMinutes(-5) })).status).toBe(400);
  });
});

describe('cancelling a published activity', () => {
  test('when the secretary cancels before it starts, then members no longer see it, the secretary sees it marked, and it is audited', async () => {
    const a = await publish(24 * 60, '要取消的会');
    const res = await cancel(secretary.id, a.id);
    expect(res.status).toBe(200);
    expect(res.body.cancelled).toMatchObject({ reason: '时间冲突，改期' });
    const mine = await as(member.id).get('');
    expect(mine.body.items.map((x: Activity) => x.id)).not.toContain(a.id);
    const theirs = await as(secretary.id).get('');
    expect(theirs.body.items.find((x: Activity) => x.id === a.id).cancelled).toBeTruthy();
    const audit = await AuditModel.findOne({ action: 'activity.cancel', targetId: a.id }).lean();
    expect(audit).toMatchObject({ actorId: secretary.id, details: { reason: '时间冲突，改期' } });
    // Nothing can be done on it any more.
    expect((await patch(secretary.id, a.id, { title: '复活' })).status).toBe(422);
    const leave = await as(member.id).post(`/${a.id}/leave`, { reason: '出差' });
    expect(leave.status).toBe(422);
  });

  test('when it is cancelled a second time, then 422 and one audit entry', async () => {
    const a = await publish(24 * 60);
    expect((await cancel(secretary.id, a.id)).status).toBe(200);
    const again = await cancel(townAdmin.id, a.id, '再取消一次');
    expect(again.status).toBe(422);
    expect(again.body.error.message).toBe('活动已取消');
    expect(await AuditModel.countDocuments({ action: 'activity.cancel', targetId: a.id })).toBe(1);
  });

  test('when a member, another branch or another township cancels, then 403 and it stays', async () => {
    const a = await publish(24 * 60);
    for (const who of [member.id, otherSecretary.id, otherTownAdmin.id])
      expect((await cancel(who, a.id)).status).toBe(403);
    expect((await ActivityModel.findById(a.id).lean())!.cancelled).toBeNull();
  });

  test('when it has started, then it cannot be cancelled and stays in the 台账', async () => {
    const a = await publish(-5, '开过的会');
    const res = await cancel(secretary.id, a.id);
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('已开始');
    const book = await as(secretary.id).get(
      `/record-book?quarter=${currentPeriodKey('quarter')}&org=${county.branchA.id}`,
    );
    expect((book.body as RecordBook).branches[0]!.activities.map((x) => x.id)).toContain(a.id);
  });

  test('when a cancelled activity’s time comes, then the 台账 leaves it out', async () => {
    const a = await publish(24 * 60, '取消后不计');
    expect((await cancel(secretary.id, a.id)).status).toBe(200);
    // As if its time had come: move it into the past directly.
    await ActivityModel.updateOne({ _id: a.id }, { $set: { startsAt: new Date(Date.now() - 3_600_000) } });
    const book = await as(secretary.id).get(
      `/record-book?quarter=${currentPeriodKey('quarter')}&org=${county.branchA.id}`,
    );
    expect((book.body as RecordBook).branches[0]!.activities.map((x) => x.id)).not.toContain(a.id);
  });

  test('when no reason is given, then 400 in Chinese', async () => {
    const a = await publish(24 * 60);
    const res = await cancel(secretary.id, a.id, ' ');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('请填写取消原因');
  });
});
