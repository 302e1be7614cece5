import type { Activity, TodoCounts } from '@pioneer/shared';
import { dayKey } from '@pioneer/shared/src/time';
import { client } from './support/client';
import type { TestApp } from './support/harness';
import { buildMember, buildSecretary, type County } from './support/factories';
import { members, secretaryWithPost, startPostsApp, type PostsClient } from './support/posts-helpers';
import { currentYear } from '../src/modules/commitments/commitments.service';
import { countTodo, rebuildTodo } from '../src/modules/todo/todo.rebuild';
import { todoCounters } from '../src/modules/todo/todo.store';

/**
 * The secretary's 待办 (issue 15): counts kept by `$inc` where a record, wish or leave enters and leaves its pending
 * state, read by key. The storm below races double taps and opposite decisions; the live counts must equal a recount
 * of the source documents, and a rebuild must find nothing to change.
 */
let t: TestApp;
let county: County;
let api: PostsClient;
const as = (id: string) => client(t, id);
const post = (userId: string, path: string, body: object = {}) => as(userId).post(path, body);
const todo = async (userId: string) => {
  const res = await as(userId).get('/todo');
  expect(res.status).toBe(200);
  return res.body as TodoCounts;
};
const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

beforeAll(async () => ({ t, county, api } = await startPostsApp()));
afterAll(() => t.close());

describe('待办 counts', () => {
  test('when members submit records, wishes and leaves and decisions race, then the counts equal a recount', async () => {
    const { secretary, post: servicePost } = await secretaryWithPost(t, county.branchA, { capacity: 6 });
    const crowd = await members(county.branchA, 6);
    expect((await todo(secretary.id)).total).toBe(0);

    // Service records: two each, every submit double-tapped with one Idempotency-Key.
    const claims = await Promise.all(
      crowd.map(async (m) => (await api.claim(m.id, servicePost.id).expect(201)).body as { id: string }),
    );
    const records = (
      await Promise.all(
        crowd.flatMap((m, i) =>
          [0, 1].map(async (n) => {
            const key = `todo-${i}-${n}`;
            const [a] = await Promise.all([
              api.logService(m.id, claims[i]!.id, {}, key),
              api.logService(m.id, claims[i]!.id, {}, key),
            ]);
            return a.body as { id: string };
          }),
        ),
      )
    ).map((r) => r.id);
    expect(new Set(records).size).toBe(12);
    expect((await todo(secretary.id)).items.records).toBe(12);

    // Wishes: claimed, fulfilment double-tapped, then a confirm racing a return.
    const wishes: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const w = await post(secretary.id, '/wishes', {
        title: `心愿${i}`,
        description: '独居老人的小心愿',
        residentName: '王大妈',
        orgId: county.branchA.id,
      });
      expect(w.status).toBe(201);
      wishes.push(w.body.id as string);
      await post(crowd[i]!.id, `/wishes/${w.body.id}/claim`).expect(200);
      await Promise.all([
        post(crowd[i]!.id, `/wishes/${w.body.id}/fulfil`, { note: '已送达' }),
        post(crowd[i]!.id, `/wishes/${w.body.id}/fulfil`, { note: '已送达' }),
      ]);
    }
    expect((await todo(secretary.id)).items.wishes).toBe(4);

    // Leaves: each asked twice at once, then approve and refuse racing on the same leave.
    const act = await post(secretary.id, '/activities', {
      type: 'theme_day',
      title: '十二月主题党日',
      startsAt: minutesFromNow(24 * 60),
      endsAt: minutesFromNow(25 * 60),
    });
    expect(act.status).toBe(201);
    const a = act.body as Activity;
    await Promise.all(
      crowd.flatMap((m) => [
        post(m.id, `/activities/${a.id}/leave`, { reason: '外出务工' }),
        post(m.id, `/activities/${a.id}/leave`, { reason: '外出务工' }),
      ]),
    );
    expect((await todo(secretary.id)).items.leaves).toBe(6);

    // Decisions: every record confirmed twice and rejected once at the same time (one wins); half the wishes
    // confirmed against a return; four leaves decided twice at once.
    await Promise.all([
      ...records
        .slice(0, 8)
        .flatMap((id) => [
          api.confirm(secretary.id, id),
          api.confirm(secretary.id, id),
          api.reject(secretary.id, id, '照片看不清'),
        ]),
      ...wishes
        .slice(0, 3)
        .flatMap((id) => [
          post(secretary.id, `/wishes/${id}/confirm`),
          post(secretary.id, `/wishes/${id}/return`, { comment: '请补充照片' }),
        ]),
      ...crowd
        .slice(0, 4)
        .flatMap((m) => [
          post(secretary.id, `/activities/${a.id}/leave/${m.id}/review`, { decision: 'approve' }),
          post(secretary.id, `/activities/${a.id}/leave/${m.id}/review`, { decision: 'refuse' }),
        ]),
    ]);

    // A 代为登记 record is confirmed by whoever typed it: it never waits.
    const proxy = await as(secretary.id).post('/records', {
      postId: servicePost.id,
      userId: crowd[5]!.id,
      hours: 1,
      resolved: 0,
      servedOn: dayKey(new Date()),
      reason: '老人没有智能手机',
    });
    expect(proxy.status).toBe(201);

    const live = await todo(secretary.id);
    const recount = (await countTodo()).get(county.branchA.id)!;
    expect(live.items).toMatchObject({ records: 4, wishes: 1, leaves: 2 });
    expect({ records: live.items.records, wishes: live.items.wishes, leaves: live.items.leaves }).toEqual(recount);
    expect(await rebuildTodo()).toBe(0);
    expect(live.total).toBe(Object.values(live.items).reduce((x, y) => x + y, 0));
  });

  test('when an activity is cancelled while leaves wait, racing decisions, then they leave the count once', async () => {
    const secretary = await buildSecretary(county.branchA2, '二支书记');
    const crowd = await members(county.branchA2, 4);
    const act = await post(secretary.id, '/activities', {
      type: 'lecture',
      title: '党课：学习党章',
      startsAt: minutesFromNow(48 * 60),
      endsAt: minutesFromNow(49 * 60),
    });
    expect(act.status).toBe(201);
    const a = act.body as Activity;
    for (const m of crowd) await post(m.id, `/activities/${a.id}/leave`, { reason: '外出务工' }).expect(200);
    expect((await todo(secretary.id)).items.leaves).toBe(4);
    // The cancel races two decisions and a fresh request: whatever the order, the count ends at zero.
    await Promise.all([
      post(secretary.id, `/activities/${a.id}/cancel`, { reason: '上级会议改期' }),
      post(secretary.id, `/activities/${a.id}/leave/${crowd[0]!.id}/review`, { decision: 'approve' }),
      post(secretary.id, `/activities/${a.id}/leave/${crowd[1]!.id}/review`, { decision: 'refuse' }),
      post(crowd[2]!.id, `/activities/${a.id}/leave`, { reason: '外出务工' }),
    ]);
    expect((await todo(secretary.id)).items.leaves).toBe(0);
    // The stored count itself, not the card's (which never shows below zero): a double decrement would be -1.
    expect((await todoCounters().findOne({ _id: county.branchA2.id }))?.leaves).toBe(0);
    expect((await countTodo()).get(county.branchA2.id)?.leaves ?? 0).toBe(0);
  });

  test('a submitted commitment is on the secretary’s 待办; members and admins have none', async () => {
    const secretary = await buildSecretary(county.branchB, '乙书记');
    const m = await buildMember({ branch: county.branchB, name: '乙党员' });
    const put = await as(m.id).put('/commitments/mine', { year: currentYear(), items: [{ text: '带头参加支部活动' }] });
    expect(put.status).toBe(200);
    await post(m.id, `/commitments/${encodeURIComponent(put.body.commitment.id)}/submit`).expect(200);
    expect((await todo(secretary.id)).items).toMatchObject({ commitments: 1, records: 0, checkins: 0 });
    expect((await as(m.id).get('/todo')).status).toBe(403);
  });

  test('when the counters drift (a crash between a write and its $inc), then the rebuild recounts them', async () => {
    await todoCounters().updateOne({ _id: county.branchA.id }, { $inc: { records: 5, leaves: -3 } });
    expect(await rebuildTodo()).toBeGreaterThan(0);
    const after = await todoCounters().findOne({ _id: county.branchA.id });
    expect({ records: after?.records, wishes: after?.wishes, leaves: after?.leaves }).toEqual(
      (await countTodo()).get(county.branchA.id),
    );
  });
});
