import type { MyClaimList, RecordPage, ServiceRecord } from '@pioneer/shared';
import type { TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildAdmin, buildSecretary, type County } from './support/factories';
import { members, secretaryWithPost, startPostsApp, type PostsClient } from './support/posts-helpers';
import { reconcilePosts } from '../src/jobs/posts-reconcile';
import { flushGroupedMarks } from '../src/db/grouped-marks';
import { LedgerModel } from '../src/modules/points/points.model';
import { ClaimModel, PostModel, RecordModel } from '../src/modules/posts/posts.model';
import * as points from '../src/modules/points/points.service';

let t: TestApp;
let county: County;
let api: PostsClient;
const PHOTO = '/api/v1/uploads/2026-01/0123456789abcdef0123456789abcdef.jpg';

beforeAll(async () => ({ t, county, api } = await startPostsApp()));
afterAll(() => t.close());

/** A secretary's post in branch A with one member holding a seat. */
async function claimed(capacity = 3) {
  const { secretary, post } = await secretaryWithPost(t, county.branchA, { capacity });
  const [member] = await members(county.branchA, 1);
  const claim = (await api.claim(member!.id, post.id).expect(201)).body as { id: string };
  return { secretary, post, member: member!, claimId: claim.id };
}

const ledgerOf = (userId: string) => LedgerModel.find({ userId, reason: 'post_service' }).lean();
const points_ = async (userId: string) => (await t.http().get('/api/v1/me').set(api.auth(userId))).body.points;

describe('service records', () => {
  test('when a member logs service, then it waits for review in 我的认领 and in the secretary’s queue', async () => {
    const { secretary, post, member, claimId } = await claimed();
    const res = await api.logService(member.id, claimId, {
      hours: 2.5,
      resolved: 3,
      note: '调解邻里纠纷',
      photoUrls: [PHOTO],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      claimId,
      postId: post.id,
      hours: 2.5,
      resolved: 3,
      status: 'pending',
      photoUrls: [PHOTO],
      review: null,
      pointsAwarded: null,
    });
    const mine = (await t.http().get('/api/v1/claims/mine').set(api.auth(member.id))).body as MyClaimList;
    expect(mine.items[0]!.records.map((r) => r.id)).toEqual([res.body.id]);
    const queue = (await t.http().get('/api/v1/records?status=pending').set(api.auth(secretary.id))).body as RecordPage;
    expect(queue.items.map((r) => r.id)).toContain(res.body.id);
    expect(queue.items.find((r) => r.id === res.body.id)).toMatchObject({
      userName: '党员000',
      postTitle: '交通引导岗',
    });
    // Members have no queue; another branch's secretary does not see it.
    expect((await t.http().get('/api/v1/records').set(api.auth(member.id))).status).toBe(403);
    const other = await buildSecretary(county.branchB);
    expect(
      ((await t.http().get('/api/v1/records').set(api.auth(other.id))).body as RecordPage).items.map((r) => r.id),
    ).not.toContain(res.body.id);
  });

  test('when the hours, the photos or the claim are wrong, then the record is refused', async () => {
    const { post, member, claimId } = await claimed();
    for (const bad of [
      { hours: 0 },
      { hours: 0.25 },
      { hours: 12.5 },
      { resolved: -1 },
      { note: '' },
      { photoUrls: ['https://evil.example/x.jpg'] },
      { photoUrls: ['/api/v1/uploads/../../etc/passwd'] },
    ]) {
      const res = await api.logService(member.id, claimId, bad);
      expect(res.status).toBe(400);
    }
    const [stranger] = await members(county.branchA, 1);
    expect((await api.logService(stranger!.id, claimId, {})).status).toBe(404);
    await api.release(member.id, post.id).expect(204);
    const released = await api.logService(member.id, claimId, {});
    expect(released.status).toBe(422);
    expect(await RecordModel.countDocuments({ claimId })).toBe(0);
  });

  test('when the same submit arrives twice with one Idempotency-Key, then one record', async () => {
    const { member, claimId } = await claimed();
    const [a, b] = await Promise.all([
      api.logService(member.id, claimId, {}, 'k-123-double-tap'),
      api.logService(member.id, claimId, {}, 'k-123-double-tap'),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).toBe(b.body.id);
    expect(await RecordModel.countDocuments({ claimId })).toBe(1);
  });

  test('when the secretary confirms, then 2 points an hour are paid once and the post shows the hours and problems solved', async () => {
    const { secretary, post, member, claimId } = await claimed();
    const record = (await api.logService(member.id, claimId, { hours: 1.5, resolved: 2 })).body as ServiceRecord;
    const first = await api.confirm(secretary.id, record.id, '辛苦了');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      status: 'confirmed',
      pointsAwarded: 3,
      review: { decision: 'confirm', comment: '辛苦了', byName: '李书记' },
    });
    for (let i = 0; i < 3; i++)
      expect((await api.confirm(secretary.id, record.id)).body).toMatchObject({
        status: 'confirmed',
        pointsAwarded: 3,
      });
    expect((await ledgerOf(member.id)).map((e) => e.delta)).toEqual([3]);
    expect((await points_(member.id)).all).toBe(3);
    // The totals are written off the reply's path, within milliseconds (records.service.ts).
    await flushGroupedMarks();
    expect((await api.getPost(member.id, post.id)).body).toMatchObject({ serviceHours: 1.5, resolved: 2 });
    expect(await ClaimModel.findById(claimId).lean()).toMatchObject({ hours: 1.5, resolved: 2 });
    const rejectLater = await api.reject(secretary.id, record.id);
    expect(rejectLater.status).toBe(422);
    expect(rejectLater.body.error.code).toBe('ILLEGAL_TRANSITION');
  });

  test('when 10 confirms race, then one ledger entry and the hours counted once', async () => {
    const { secretary, post, member, claimId } = await claimed();
    const record = (await api.logService(member.id, claimId, { hours: 3, resolved: 1 })).body as ServiceRecord;
    const replies = await Promise.all(Array.from({ length: 10 }, () => api.confirm(secretary.id, record.id)));
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(new Set(replies.map((r) => r.body.pointsAwarded))).toEqual(new Set([6]));
    expect((await ledgerOf(member.id)).map((e) => e.delta)).toEqual([6]);
    await flushGroupedMarks();
    expect(await PostModel.findById(post.id).lean()).toMatchObject({ serviceHours: 3, resolved: 1 });
    // The status and the points are one write; only the write that saw it pending adds to the claim too.
    expect(await ClaimModel.findById(claimId).lean()).toMatchObject({ hours: 3, resolved: 1 });
    expect(await RecordModel.findById(record.id).lean()).toMatchObject({ status: 'confirmed', pointsAwarded: 6 });
  });

  test('when the secretary confirms, then the reply comes before the 待办 count moves and their next read of 待办 has it', async () => {
    const { secretary, member, claimId } = await claimed();
    const record = (await api.logService(member.id, claimId, { hours: 1 })).body as ServiceRecord;
    const todo = async () =>
      (await t.http().get('/api/v1/todo').set(bearer(t, secretary.id))).body.items.records as number;
    const waiting = await todo();
    await api.confirm(secretary.id, record.id).expect(200);
    // No wait: the count read writes this process's queued moves first.
    expect(await todo()).toBe(waiting - 1);
  });

  test('when a confirm and a reject race, then exactly one wins and nothing is paid for a rejected record', async () => {
    const { secretary, member, claimId } = await claimed();
    const record = (await api.logService(member.id, claimId, { hours: 2 })).body as ServiceRecord;
    const [c, r] = await Promise.all([
      api.confirm(secretary.id, record.id),
      api.reject(secretary.id, record.id, '时长不符'),
    ]);
    expect([c.status, r.status].sort()).toEqual([200, 422]);
    const stored = await RecordModel.findById(record.id).lean();
    expect(await ledgerOf(member.id)).toHaveLength(stored!.status === 'confirmed' ? 1 : 0);
  });

  test('when several records of one day are confirmed, then the daily cap pays 8 in all', async () => {
    const { secretary, member, claimId } = await claimed();
    const ids: string[] = [];
    for (const hours of [2, 3, 4]) ids.push((await api.logService(member.id, claimId, { hours })).body.id);
    const paid = [];
    for (const id of ids) paid.push((await api.confirm(secretary.id, id)).body.pointsAwarded);
    expect(paid).toEqual([4, 4, 0]);
    expect((await ledgerOf(member.id)).reduce((s, e) => s + e.delta, 0)).toBe(8);
    expect((await points_(member.id)).all).toBe(8);
  });

  test('when the wrong person reviews, then 403: a member, another branch’s secretary, the member themself', async () => {
    const { post, member, claimId } = await claimed();
    const record = (await api.logService(member.id, claimId, {})).body as ServiceRecord;
    const other = await buildSecretary(county.branchB);
    const [peer] = await members(county.branchA, 1);
    expect((await api.confirm(peer!.id, record.id)).status).toBe(403);
    expect((await api.confirm(other.id, record.id)).status).toBe(403);
    // A secretary logging their own service cannot confirm it.
    const self = await buildSecretary(county.branchA);
    const selfClaim = (await api.claim(self.id, post.id)).body;
    const own = (await api.logService(self.id, selfClaim.id, {})).body as ServiceRecord;
    const res = await api.confirm(self.id, own.id);
    expect(res.status).toBe(403);
    // An admin over the township may confirm.
    const admin = await buildAdmin({ of: county.townA, branch: county.branchB });
    expect((await api.confirm(admin.id, record.id)).status).toBe(200);
    expect(await RecordModel.findById(own.id).lean()).toMatchObject({ status: 'pending' });
  });

  test('when a crash stops a confirmation after the decision, then reconciliation finishes it and pays once', async () => {
    const { secretary, post, member, claimId } = await claimed();
    const record = (await api.logService(member.id, claimId, { hours: 1, resolved: 4 })).body as ServiceRecord;
    const spy = jest.spyOn(points, 'awardPoints').mockRejectedValueOnce(new Error('process died here'));
    expect((await api.confirm(secretary.id, record.id)).status).toBe(500);
    spy.mockRestore();
    // The status and what was paid are one write after the payment: the record still waits, with its decision.
    expect(await RecordModel.findById(record.id).lean()).toMatchObject({ status: 'pending', pointsAwarded: null });
    expect((await RecordModel.findById(record.id).lean())!.decisions).toHaveLength(1);
    expect(await ledgerOf(member.id)).toHaveLength(0);

    const repair = await reconcilePosts();
    expect(repair.reviews).toBeGreaterThanOrEqual(1);
    expect(await RecordModel.findById(record.id).lean()).toMatchObject({ status: 'confirmed', pointsAwarded: 2 });
    expect((await ledgerOf(member.id)).map((e) => e.delta)).toEqual([2]);
    expect(await PostModel.findById(post.id).lean()).toMatchObject({ serviceHours: 1, resolved: 4 });
    await reconcilePosts();
    expect((await api.confirm(secretary.id, record.id)).body.pointsAwarded).toBe(2);
    expect(await ledgerOf(member.id)).toHaveLength(1);
    expect(await PostModel.findById(post.id).lean()).toMatchObject({ serviceHours: 1, resolved: 4 });
  });

  test('when post totals drift, then reconciliation rebuilds them from the confirmed records', async () => {
    const { secretary, post, member, claimId } = await claimed();
    const record = (await api.logService(member.id, claimId, { hours: 4, resolved: 2 })).body as ServiceRecord;
    await api.confirm(secretary.id, record.id).expect(200);
    await flushGroupedMarks(); // the confirm's totals landed (within ms of the reply); then they drift
    await PostModel.updateOne({ _id: post.id }, { $set: { serviceHours: 99, resolved: 0 } });
    await ClaimModel.updateOne({ _id: claimId }, { $set: { hours: 0 } });
    const repair = await reconcilePosts();
    expect(repair.totals).toBeGreaterThanOrEqual(2);
    expect(await PostModel.findById(post.id).lean()).toMatchObject({ serviceHours: 4, resolved: 2 });
    expect(await ClaimModel.findById(claimId).lean()).toMatchObject({ hours: 4, resolved: 2 });
  });
});
