/**
 * 代为登记 (issue 9): a secretary records service at a post for a member of their branch without a smartphone;
 * marked as recorded by the secretary with the reason, audited, paid once on the day served.
 */
import { POST_LIMITS, dayKey, type ServiceRecord } from '@pioneer/shared';
import type { TestApp } from './support/harness';
import { buildMember, type County } from './support/factories';
import { members, secretaryWithPost, startPostsApp, type PostsClient } from './support/posts-helpers';
import { AuditModel } from '../src/modules/audit/audit.model';
import { flushGroupedMarks } from '../src/db/grouped-marks';
import * as audit from '../src/modules/audit/audit.service';
import { reconcilePosts } from '../src/jobs/posts-reconcile';
import { LedgerModel } from '../src/modules/points/points.model';
import { ClaimModel, PostModel, RecordModel } from '../src/modules/posts/posts.model';
import { recordForMember } from '../src/modules/posts/proxy-records.service';
import { loadSessionUser } from '../src/modules/users/users.service';

let t: TestApp;
let county: County;
let api: PostsClient;
const DAY = 86_400_000;
const yesterday = () => dayKey(Date.now() - DAY);

beforeAll(async () => ({ t, county, api } = await startPostsApp()));
afterAll(() => t.close());

function proxy(actorId: string, body: object, key?: string) {
  const req = t.http().post('/api/v1/records').set(api.auth(actorId));
  if (key) req.set('Idempotency-Key', key);
  return req.send(body);
}
const ledgerOf = (userId: string) => LedgerModel.find({ userId, reason: 'post_service' }).lean();

async function setup() {
  const { secretary, post } = await secretaryWithPost(t, county.branchA);
  const [elder] = await members(county.branchA, 1);
  const body = {
    userId: elder!.id,
    postId: post.id,
    hours: 2,
    resolved: 1,
    servedOn: yesterday(),
    reason: '老党员没有智能手机',
    note: '路口引导',
  };
  return { secretary, post, elder: elder!, body };
}

describe('POST /records (代为登记)', () => {
  test('when a secretary records service for a member of their branch, then it is confirmed, marked as theirs with the reason, paid on the day served and audited', async () => {
    const { secretary, post, elder, body } = await setup();
    const res = await proxy(secretary.id, body, 'proxy-key-1');
    expect(res.status).toBe(201);
    const record = res.body as ServiceRecord;
    expect(record).toMatchObject({
      userId: elder.id,
      postId: post.id,
      hours: 2,
      status: 'confirmed',
      pointsAwarded: 4,
      recordedBy: { name: '李书记', reason: '老党员没有智能手机', servedOn: yesterday() },
      review: { decision: 'confirm', byName: '李书记' },
    });
    const stored = await RecordModel.findById(record.id).lean();
    expect(stored).toMatchObject({ recordedBy: secretary.id, recordReason: '老党员没有智能手机', status: 'confirmed' });
    const ledger = await ledgerOf(elder.id);
    expect(ledger.map((e) => [e.delta, e.actorId, dayKey(e.at)])).toEqual([[4, secretary.id, yesterday()]]);
    const audit = await AuditModel.find({ targetType: 'post_record', targetId: record.id }).lean();
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([['post.record.proxy', secretary.id]]);
    expect(audit[0]!.details).toMatchObject({ userId: elder.id, reason: '老党员没有智能手机', hours: 2 });
    await flushGroupedMarks(); // the totals land within milliseconds of the reply (records.service.ts)
    expect((await PostModel.findById(post.id).lean())?.serviceHours).toBe(2);
  });

  test('when the same form is sent again (same Idempotency-Key, or the replay lost), then one record, one payment, one audit line', async () => {
    const { secretary, elder, body } = await setup();
    const first = await proxy(secretary.id, body, 'proxy-key-2');
    const again = await proxy(secretary.id, body, 'proxy-key-2');
    expect(again.body.id).toBe(first.body.id);
    // Without the HTTP replay (it is forgotten after a day): the service's own key still records once.
    const actor = (await loadSessionUser(secretary.id))!;
    const direct = await recordForMember(actor, { ...body, note: body.note }, 'proxy-key-2');
    expect(direct.id).toBe(first.body.id);
    expect(await RecordModel.countDocuments({ userId: elder.id })).toBe(1);
    expect((await ledgerOf(elder.id)).map((e) => e.delta)).toEqual([4]);
    expect(await AuditModel.countDocuments({ action: 'post.record.proxy', targetId: first.body.id })).toBe(1);
  });

  test('when the member is in another branch, then 403; when a member (not a secretary) tries, then 403; nothing is stored', async () => {
    const { secretary, post } = await setup();
    const outsider = await buildMember({ branch: county.branchB });
    const wrongBranch = await proxy(secretary.id, {
      userId: outsider.id,
      postId: post.id,
      hours: 1,
      servedOn: yesterday(),
      reason: '没有手机',
    });
    expect(wrongBranch.status).toBe(403);
    expect(wrongBranch.body.error.code).toBe('FORBIDDEN');
    const [m1, m2] = await members(county.branchA, 2);
    const byMember = await proxy(m1!.id, {
      userId: m2!.id,
      postId: post.id,
      hours: 1,
      servedOn: yesterday(),
      reason: '没有手机',
    });
    expect(byMember.status).toBe(403);
    expect(await RecordModel.countDocuments({ userId: { $in: [outsider.id, m2!.id] } })).toBe(0);
  });

  test('when the day is ahead of today or too far back, or the reason is missing, then 400; for oneself, 403', async () => {
    const { secretary, body } = await setup();
    const bad = [
      { servedOn: dayKey(Date.now() + DAY) },
      { servedOn: dayKey(Date.now() - (POST_LIMITS.proxyDaysBack + 1) * DAY) },
      { servedOn: '2026-02-30' },
      { reason: '' },
      { hours: 0.25 },
    ];
    for (const b of bad) expect((await proxy(secretary.id, { ...body, ...b })).status).toBe(400);
    expect((await proxy(secretary.id, { ...body, userId: secretary.id })).status).toBe(403);
    expect(await RecordModel.countDocuments({ userId: body.userId })).toBe(0);
  });

  test('when the member holds a claim on the post, then the record is listed on it and its hours count there', async () => {
    const { secretary, post, elder, body } = await setup();
    const claim = (await api.claim(elder.id, post.id).expect(201)).body as { id: string };
    const res = await proxy(secretary.id, { ...body, hours: 1.5 });
    await flushGroupedMarks();
    const stored = await ClaimModel.findById(claim.id).lean();
    expect(stored?.records).toContain(res.body.id);
    expect(stored?.hours).toBe(1.5);
  });
  test('when a stop comes right after the record is stored, then it is stored with its decision and start-up confirms and pays it once', async () => {
    const { secretary, elder, body } = await setup();
    const spy = jest.spyOn(audit, 'recordAudit').mockRejectedValueOnce(new Error('process died here'));
    expect((await proxy(secretary.id, { ...body, hours: 1 }, 'proxy-stop')).status).toBe(500);
    spy.mockRestore();
    const [stored] = await RecordModel.find({ userId: elder.id, recordedBy: secretary.id }).lean();
    expect(stored).toMatchObject({ status: 'pending', decisions: [expect.objectContaining({ decision: 'confirm' })] });
    await reconcilePosts();
    expect(await RecordModel.findById(stored!._id).lean()).toMatchObject({ status: 'confirmed', pointsAwarded: 2 });
    await reconcilePosts();
    expect((await ledgerOf(elder.id)).map((e) => e.delta)).toEqual([2]);
  });
});
