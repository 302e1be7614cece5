import type { Post, PostPage, PostSeats } from '@pioneer/shared';
import type { TestApp } from './support/harness';
import { buildAdmin, buildSecretary, type County } from './support/factories';
import { members, secretaryWithPost, startPostsApp, type PostsClient } from './support/posts-helpers';
import { reconcilePosts } from '../src/jobs/posts-reconcile';
import { AuditModel } from '../src/modules/audit/audit.model';
import { ClaimModel, MemberClaimsModel, PostModel } from '../src/modules/posts/posts.model';
import { setSharedViewMs, sharedViewMs } from '../src/db/shared-view';

let t: TestApp;
let county: County;
let api: PostsClient;

beforeAll(async () => ({ t, county, api } = await startPostsApp()));
afterAll(() => t.close());

const list = async (userId: string, query = '') => {
  const res = await t.http().get(`/api/v1/posts${query}`).set(api.auth(userId));
  expect(res.status).toBe(200);
  return res.body as PostPage;
};
const activeClaims = (postId: string) => ClaimModel.countDocuments({ postId, status: 'active' });
const taken = async (postId: string) => (await PostModel.findById(postId).lean())!.taken;

describe('posts', () => {
  test('when a secretary publishes a post, then members of the branch see it with its seats; members elsewhere do not', async () => {
    const { post } = await secretaryWithPost(t, county.branchA2, {
      title: '法律咨询岗',
      category: '法律维权',
      capacity: 5,
      skills: ['法律'],
    });
    expect(post).toMatchObject({
      title: '法律咨询岗',
      category: '法律维权',
      capacity: 5,
      taken: 0,
      seatsLeft: 5,
      status: 'open',
      serviceHours: 0,
      resolved: 0,
      myClaim: null,
      canManage: true,
    });
    expect(post.org).toMatchObject({ id: county.branchA2.id, name: '甲村第二党支部' });
    const [inside] = await members(county.branchA2, 1);
    const [outside] = await members(county.branchB, 1);
    expect((await list(inside!.id)).items.map((p) => p.id)).toContain(post.id);
    expect((await list(outside!.id)).items.map((p) => p.id)).not.toContain(post.id);
    const seen = (await list(inside!.id)).items.find((p) => p.id === post.id)!;
    expect(seen.canManage).toBe(false);
    const res = await api.getPost(outside!.id, post.id);
    expect(res.status).toBe(403);
    expect((await api.claim(outside!.id, post.id)).status).toBe(403);
  });

  test('when an admin publishes for a township, then every branch below sees it; category and status filter the list', async () => {
    const admin = await buildAdmin({ of: county.townA, branch: county.branchB });
    const made = await api.createPost(admin.id, {
      orgId: county.townA.id,
      title: '治水巡河岗',
      category: '治水护水',
      capacity: 3,
    });
    expect(made.status).toBe(201);
    const closed = await api.createPost(admin.id, {
      orgId: county.townA.id,
      title: '旧岗位',
      category: '治水护水',
      capacity: 3,
    });
    await t
      .http()
      .patch(`/api/v1/posts/${closed.body.id}`)
      .set(api.auth(admin.id))
      .send({ status: 'closed' })
      .expect(200);
    const ended = await api.createPost(admin.id, {
      orgId: county.townA.id,
      title: '已过期岗位',
      category: '治水护水',
      capacity: 3,
      startsAt: '2020-01-01T00:00:00Z',
      endsAt: '2020-02-01T00:00:00Z',
    });
    expect(ended.body.status).toBe('closed');
    const [m] = await members(county.branchA, 1);
    const water = await list(m!.id, `?category=${encodeURIComponent('治水护水')}`);
    expect(water.items.map((p) => p.title).sort()).toEqual(['已过期岗位', '旧岗位', '治水巡河岗']);
    expect(
      (await list(m!.id, `?category=${encodeURIComponent('治水护水')}&status=open`)).items.map((p) => p.title),
    ).toEqual(['治水巡河岗']);
    expect((await list(m!.id, '?status=closed')).items.map((p) => p.title).sort()).toEqual(['已过期岗位', '旧岗位']);
    // Another township's members do not see it.
    const [b] = await members(county.branchB, 1);
    expect((await list(b!.id, `?category=${encodeURIComponent('治水护水')}`)).items).toHaveLength(0);
    // The admin's console lists what they run in their subtree (branch posts below included).
    const managed = (await list(admin.id, '?managed=true')).items;
    expect(managed.every((p) => p.canManage)).toBe(true);
    expect(
      managed
        .filter((p) => p.category === '治水护水')
        .map((p) => p.title)
        .sort(),
    ).toEqual(['已过期岗位', '旧岗位', '治水巡河岗']);
    const secretaryB = await buildSecretary(county.branchB);
    expect((await list(secretaryB.id, '?managed=true')).items).toHaveLength(0);
    expect((await t.http().get('/api/v1/posts?managed=true').set(api.auth(b!.id))).status).toBe(403);
  });

  test('when the wrong role or the wrong branch tries to publish or edit, then 403 and nothing changes', async () => {
    const { post } = await secretaryWithPost(t, county.branchA);
    const [member] = await members(county.branchA, 1);
    const otherSecretary = await buildSecretary(county.branchB);
    expect((await api.createPost(member!.id, { orgId: county.branchA.id })).status).toBe(403);
    expect((await api.createPost(otherSecretary.id, { orgId: county.branchA.id })).status).toBe(403);
    const edit = await t
      .http()
      .patch(`/api/v1/posts/${post.id}`)
      .set(api.auth(otherSecretary.id))
      .send({ title: '改掉它' });
    expect(edit.status).toBe(403);
    expect(edit.body.error.code).toBe('FORBIDDEN');
    expect(
      (await t.http().patch(`/api/v1/posts/${post.id}`).set(api.auth(member!.id)).send({ title: '改掉它' })).status,
    ).toBe(403);
    expect((await api.seats(otherSecretary.id, post.id)).status).toBe(403);
    expect((await PostModel.findById(post.id).lean())!.title).toBe('交通引导岗');
  });

  test('when the capacity is lowered below the seats held, then 422 and the post keeps its seats', async () => {
    const { secretary, post } = await secretaryWithPost(t, county.branchA, { capacity: 3 });
    const crowd = await members(county.branchA, 2);
    for (const m of crowd) await api.claim(m.id, post.id).expect(201);
    const res = await t.http().patch(`/api/v1/posts/${post.id}`).set(api.auth(secretary.id)).send({ capacity: 1 });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toBe('岗位人数不能少于已认领的 2 人');
    const ok = await t
      .http()
      .patch(`/api/v1/posts/${post.id}`)
      .set(api.auth(secretary.id))
      .send({ capacity: 2, title: '改名后的岗位' });
    expect(ok.body).toMatchObject({ capacity: 2, seatsLeft: 0, title: '改名后的岗位' });
    expect((await api.claim(crowd[0]!.id, post.id)).body.error.code).toBe('ALREADY_CLAIMED');
  });

  test('when a post is given bad values, then 400 with the field named', async () => {
    const secretary = await buildSecretary(county.branchA);
    for (const bad of [
      { capacity: 0 },
      { capacity: 1001 },
      { capacity: 2.5 },
      { category: '唱歌' },
      { title: '' },
      { startsAt: '2030-01-02T00:00:00Z', endsAt: '2030-01-01T00:00:00Z' },
    ]) {
      const res = await api.createPost(secretary.id, { orgId: county.branchA.id, ...(bad as object) });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    const injected = await api.createPost(secretary.id, {
      orgId: county.branchA.id,
      title: { $gt: '' } as unknown as string,
    });
    expect(injected.status).toBe(400);
  });
});

describe('claims', () => {
  test('when 200 members claim a 10-seat post at once, then exactly 10 hold a seat and 190 get POST_FULL', async () => {
    const { secretary, post } = await secretaryWithPost(t, county.branchA, { capacity: 10 });
    const crowd = await members(county.branchA, 200);
    const replies = await Promise.all(crowd.map((m) => api.claim(m.id, post.id)));
    const codes = replies.map((r) => (r.status === 201 ? 'ok' : `${r.status} ${r.body.error?.code}`));
    expect(codes.filter((c) => c === 'ok')).toHaveLength(10);
    expect(codes.filter((c) => c === '409 POST_FULL')).toHaveLength(190);
    expect(await activeClaims(post.id)).toBe(10);
    expect(await taken(post.id)).toBe(10);
    const seen = await api.getPost(crowd[0]!.id, post.id);
    expect(seen.body).toMatchObject({ taken: 10, seatsLeft: 0 });
    const seats = (await api.seats(secretary.id, post.id)).body as PostSeats;
    expect(seats.seats).toHaveLength(10);
  });

  test('when a member claims twice, even at once, then one seat and ALREADY_CLAIMED', async () => {
    // More seats than taps: every reply is about the member's own claim, never about the post filling.
    const { post } = await secretaryWithPost(t, county.branchA, { capacity: 10 });
    const [m] = await members(county.branchA, 1);
    const replies = await Promise.all(Array.from({ length: 6 }, () => api.claim(m!.id, post.id)));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.status !== 201).map((r) => r.body.error.code)).toEqual(
      Array(5).fill('ALREADY_CLAIMED'),
    );
    const again = await api.claim(m!.id, post.id);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_CLAIMED');
    expect(await taken(post.id)).toBe(1);
    expect((await api.getPost(m!.id, post.id)).body.myClaim).toMatchObject({ status: 'active' });
  });

  test('when the post is closed or its end time has passed, then 422 POST_CLOSED and no seat moves', async () => {
    const { secretary, post } = await secretaryWithPost(t, county.branchA);
    const [m] = await members(county.branchA, 1);
    await t.http().patch(`/api/v1/posts/${post.id}`).set(api.auth(secretary.id)).send({ status: 'closed' }).expect(200);
    const res = await api.claim(m!.id, post.id);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('POST_CLOSED');
    const ended = await secretaryWithPost(t, county.branchA, { endsAt: new Date(Date.now() - 1000).toISOString() });
    expect((await api.claim(m!.id, ended.post.id)).body.error.code).toBe('POST_CLOSED');
    expect(await taken(post.id)).toBe(0);
    expect(await taken(ended.post.id)).toBe(0);
  });

  test('when a member elsewhere claims, then 403 before any write: no seat moves and nothing is listed for them', async () => {
    const { post } = await secretaryWithPost(t, county.branchA, { capacity: 1 });
    const [outside] = await members(county.branchB, 1);
    const [inside] = await members(county.branchA, 1);
    const replies = await Promise.all(Array.from({ length: 20 }, () => api.claim(outside!.id, post.id)));
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(403));
    expect(await taken(post.id)).toBe(0);
    expect(await MemberClaimsModel.findById(outside!.id).lean()).toBeNull();
    expect((await api.claim(inside!.id, post.id)).status).toBe(201);
  });

  test('when a post is closed in another process while this one holds its view, then the seat refuses it and gives the seat back', async () => {
    const bound = sharedViewMs();
    setSharedViewMs(60_000);
    try {
      const { post } = await secretaryWithPost(t, county.branchA, { capacity: 3 });
      const [a, b] = await members(county.branchA, 2);
      expect((await api.claim(a!.id, post.id)).status).toBe(201);
      // Another process closes it: this one's view still says open, within the bound.
      await PostModel.updateOne({ _id: post.id }, { $set: { status: 'closed' } });
      const res = await api.claim(b!.id, post.id);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('POST_CLOSED');
      expect(await taken(post.id)).toBe(1);
    } finally {
      setSharedViewMs(bound);
    }
  });

  test('when a member releases, then the seat is free for someone else, and they can claim again later', async () => {
    const { post } = await secretaryWithPost(t, county.branchA, { capacity: 1 });
    const [a, b] = await members(county.branchA, 2);
    expect((await api.claim(a!.id, post.id)).status).toBe(201);
    expect((await api.claim(b!.id, post.id)).body.error.code).toBe('POST_FULL');
    const releases = await Promise.all([api.release(a!.id, post.id), api.release(a!.id, post.id)]);
    expect(releases.map((r) => r.status)).toEqual([204, 204]);
    expect(await taken(post.id)).toBe(0);
    expect((await api.claim(b!.id, post.id)).status).toBe(201);
    await api.release(b!.id, post.id).expect(204);
    const back = await api.claim(a!.id, post.id);
    expect(back.status).toBe(201);
    expect(back.body).toMatchObject({ id: `${post.id}_${a!.id}`, status: 'active' });
    expect(await activeClaims(post.id)).toBe(1);
    expect(await taken(post.id)).toBe(1);
    expect((await api.release(b!.id, post.id)).status).toBe(204);
    expect(await taken(post.id)).toBe(1);
  });

  test('when the secretary removes a claim, then the seat frees, it is audited, and the member cannot simply claim again', async () => {
    const { secretary, post } = await secretaryWithPost(t, county.branchA, { capacity: 2 });
    const [a] = await members(county.branchA, 1);
    const claim = (await api.claim(a!.id, post.id)).body;
    const seats = await api.seats(secretary.id, post.id);
    expect(seats.status).toBe(200);
    expect((seats.body as PostSeats).seats).toEqual([
      expect.objectContaining({ claimId: claim.id, userId: a!.id, name: '党员000', orgName: '甲村党支部' }),
    ]);

    const other = await buildSecretary(county.branchB);
    expect(
      (await t.http().post(`/api/v1/claims/${claim.id}/remove`).set(api.auth(other.id)).send({ reason: '长期未到岗' }))
        .status,
    ).toBe(403);
    expect(
      (await t.http().post(`/api/v1/claims/${claim.id}/remove`).set(api.auth(a!.id)).send({ reason: '长期未到岗' }))
        .status,
    ).toBe(403);

    const removed = await t
      .http()
      .post(`/api/v1/claims/${claim.id}/remove`)
      .set(api.auth(secretary.id))
      .send({ reason: '长期未到岗' });
    expect(removed.status).toBe(200);
    expect(removed.body.status).toBe('removed');
    expect(await taken(post.id)).toBe(0);
    expect(await AuditModel.findOne({ action: 'post.claim.remove', targetId: claim.id }).lean()).toMatchObject({
      actorId: secretary.id,
      details: { reason: '长期未到岗' },
    });
    const retry = await api.claim(a!.id, post.id);
    expect(retry.status).toBe(409);
    expect(retry.body.error.code).toBe('CLAIM_REMOVED');
    expect(await taken(post.id)).toBe(0);
  });

  test('when the claim write fails after the seat was taken, then the seat is counted until reconciliation frees it', async () => {
    const { post } = await secretaryWithPost(t, county.branchA, { capacity: 2 });
    const [a, b, c] = await members(county.branchA, 3);
    const spy = jest.spyOn(ClaimModel.collection, 'insertMany').mockRejectedValueOnce(new Error('process died here'));
    const crashed = await api.claim(a!.id, post.id);
    spy.mockRestore();
    expect(crashed.status).toBe(500);
    // A seat nobody holds: capacity is still honoured, never exceeded.
    expect(await taken(post.id)).toBe(1);
    expect(await activeClaims(post.id)).toBe(0);
    expect((await api.claim(b!.id, post.id)).status).toBe(201);
    expect((await api.claim(c!.id, post.id)).body.error.code).toBe('POST_FULL');

    const repair = await reconcilePosts();
    expect(repair.seats).toBeGreaterThanOrEqual(1);
    expect(await taken(post.id)).toBe(1);
    expect((await api.claim(a!.id, post.id)).status).toBe(201);
    expect(await activeClaims(post.id)).toBe(2);
    expect(await taken(post.id)).toBe(2);
    expect((await reconcilePosts()).seats).toBe(0);
  });

  test('when freeing the seat fails after a release, then reconciliation frees it', async () => {
    const { post } = await secretaryWithPost(t, county.branchA, { capacity: 1 });
    const [a, b] = await members(county.branchA, 2);
    await api.claim(a!.id, post.id).expect(201);
    const spy = jest.spyOn(PostModel, 'updateOne').mockRejectedValueOnce(new Error('process died here'));
    expect((await api.release(a!.id, post.id)).status).toBe(500);
    spy.mockRestore();
    expect(await activeClaims(post.id)).toBe(0);
    expect((await api.claim(b!.id, post.id)).body.error.code).toBe('POST_FULL');
    await reconcilePosts();
    expect(await taken(post.id)).toBe(0);
    expect((await api.claim(b!.id, post.id)).status).toBe(201);
  });

  test('when a member opens 我的认领, then their active claims come with the post', async () => {
    const { post } = await secretaryWithPost(t, county.branchA, { title: '帮困助老岗', category: '帮困助老' });
    const [m] = await members(county.branchA, 1);
    await api.claim(m!.id, post.id).expect(201);
    const mine = await t.http().get('/api/v1/claims/mine').set(api.auth(m!.id));
    expect(mine.status).toBe(200);
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.items[0]).toMatchObject({
      postId: post.id,
      status: 'active',
      records: [],
      post: { title: '帮困助老岗', myClaim: { status: 'active' } },
    });
    await api.release(m!.id, post.id).expect(204);
    expect((await t.http().get('/api/v1/claims/mine').set(api.auth(m!.id))).body.items).toHaveLength(0);
    expect(((await api.getPost(m!.id, post.id)).body as Post).myClaim).toMatchObject({ status: 'released' });
  });
});
