import type { AuditEntry, AuditPage, ServiceRecord } from '@pioneer/shared';
import { appendToFeeds, readFeed } from '../src/modules/audit/audit-feed';
import { refileAudits } from '../src/modules/audit/audit.service';
import { withCommandCount } from '../src/db/engine-commands';
import { AuditFeedPageModel, AuditHeadModel, AuditModel } from '../src/modules/audit/audit.model';
import { flushGroupedMarks } from '../src/db/grouped-marks';
import { currentYear } from '../src/modules/commitments/commitments.service';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { members, postsClient, secretaryWithPost } from './support/posts-helpers';
import { buildAdmin, buildMember, buildOrg, buildSecretary, type County } from './support/factories';

let t: TestApp;
let county: County;
let admin: { id: string };
let townAdmin: { id: string };
let secretaryA: { id: string };
let member: { id: string };
const auth = (id: string) => bearer(t, id);
const log = (as: string, query: Record<string, string | number>) =>
  t.http().get('/api/v1/audit').query(query).set(auth(as));
/** A points-adjustment line for a feed, as appendToFeeds takes it. */
const feedItem = (id: string, at: Date) => ({
  id,
  at,
  actorId: 'a',
  actorName: 'A',
  action: 'points.adjust' as const,
  targetType: 'user',
  targetId: 'u',
  targetLabel: 'U',
  summary: null,
  reason: null,
});
const adjust = (as: string, userId: string, delta: number, reason: string) =>
  t.http().post('/api/v1/points/adjustments').set(auth(as)).send({ userId, delta, reason });

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  admin = await buildAdmin({ of: county.county, branch: county.branchA, name: '王组织' });
  townAdmin = await buildAdmin({ of: county.townB, branch: county.branchB, name: '乙乡组织委员' });
  secretaryA = await buildSecretary(county.branchA, '甲书记');
  member = await buildMember({ branch: county.branchA, name: '陈党员' });
});
afterAll(() => t.close());

describe('audit log (操作记录)', () => {
  test('when an admin changes a role, adjusts points and a secretary reviews, then the county log lists them newest first in Chinese', async () => {
    const target = await buildMember({ branch: county.branchA, name: '周党员' });
    expect(
      (
        await t
          .http()
          .patch(`/api/v1/members/${target.id}`)
          .set(auth(admin.id))
          .send({ roles: ['member', 'secretary'] })
      ).status,
    ).toBe(200);
    expect((await adjust(admin.id, target.id, 5, '协助组织换届')).status).toBe(201);
    const year = currentYear();
    expect(
      (
        await t
          .http()
          .put('/api/v1/commitments/mine')
          .set(auth(member.id))
          .send({ year, items: [{ text: '带头参加支部活动' }] })
      ).status,
    ).toBe(200);
    const id = encodeURIComponent(`${member.id}|${year}`);
    expect((await t.http().post(`/api/v1/commitments/${id}/submit`).set(auth(member.id))).status).toBe(200);
    expect(
      (
        await t
          .http()
          .post(`/api/v1/commitments/${id}/review`)
          .set(auth(secretaryA.id))
          .send({ decision: 'return', comment: '请写具体些' })
      ).status,
    ).toBe(200);

    const res = await log(admin.id, { org: county.county.id, limit: 3 });
    expect(res.status).toBe(200);
    const items = (res.body as AuditPage).items;
    expect(items.map((i) => i.action)).toEqual(['commitment.return', 'points.adjust', 'member.update']);
    expect(items[0]).toMatchObject({
      actor: { id: secretaryA.id, name: '甲书记' },
      actionLabel: '承诺退回修改',
      group: 'reviews',
      target: { label: '承诺 · 陈党员' },
      reason: '请写具体些',
    });
    expect(items[1]).toMatchObject({
      actor: { name: '王组织' },
      actionLabel: '调整积分',
      target: { id: target.id, label: '周党员' },
      summary: '+5 分',
      reason: '协助组织换届',
    });
    expect(items[2]).toMatchObject({ actionLabel: '修改成员角色或归属', summary: '角色：党员、支部书记' });
    expect(new Date(items[0]!.at).getTime()).toBeGreaterThanOrEqual(new Date(items[2]!.at).getTime());
    // The branch's own log has the same lines (all three are about its members).
    const branch = (await log(secretaryA.id, { org: county.branchA.id })).body as AuditPage;
    expect(branch.items.map((i) => i.action)).toEqual(
      expect.arrayContaining(['commitment.return', 'points.adjust', 'member.update']),
    );
  });

  test('when the log is filtered by action type, then only that group comes back', async () => {
    const res = await log(admin.id, { org: county.county.id, action: 'points' });
    expect(res.status).toBe(200);
    const items = (res.body as AuditPage).items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.group === 'points')).toBe(true);
  });

  test('when a township admin reads their township, then they see entries about its members and not the other township', async () => {
    const inB = await buildMember({ branch: county.branchB, name: '乙村党员' });
    expect((await adjust(admin.id, inB.id, -2, '重复登记扣回')).status).toBe(201);
    const items = ((await log(townAdmin.id, { org: county.townB.id })).body as AuditPage).items;
    expect(items.map((i) => i.target.id)).toEqual([inB.id]);
    expect((await log(townAdmin.id, { org: county.townA.id })).status).toBe(403);
  });

  test('when an admin of another county, a member or a secretary of another branch asks, then it is refused', async () => {
    const other = await buildOrg('county', '邻县');
    const otherBranch = await buildOrg('branch', '邻县支部', other);
    const otherAdmin = await buildAdmin({ of: other, branch: otherBranch });
    const secretaryB = await buildSecretary(county.branchB);
    expect((await log(otherAdmin.id, { org: county.county.id })).status).toBe(403);
    expect(((await log(otherAdmin.id, { org: other.id })).body as AuditPage).items).toEqual([]);
    expect((await log(member.id, { org: county.branchA.id })).status).toBe(403);
    expect((await log(secretaryB.id, { org: county.branchA.id })).status).toBe(403);
    expect((await log(secretaryB.id, { org: county.county.id })).status).toBe(403);
    expect((await log(admin.id, { org: 'no-such-org' })).status).toBe(404);
  });

  test('when there are more entries than a page, then the cursor walks them newest first without repeats', async () => {
    const branch = await buildOrg('branch', '翻页支部', county.villageA);
    const sec = await buildMember({ branch, roles: ['member', 'secretary'] });
    const m = await buildMember({ branch, name: '翻页党员' });
    for (let i = 1; i <= 7; i += 1) expect((await adjust(sec.id, m.id, i, `第${i}次调整`)).status).toBe(201);
    const seen: AuditEntry[] = [];
    let cursor: string | null | undefined;
    const pages: number[] = [];
    do {
      const res = await log(sec.id, { org: branch.id, limit: 3, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      const page = res.body as AuditPage;
      pages.push(page.items.length);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual([3, 3, 1]);
    expect(seen.map((e) => e.reason)).toEqual([7, 6, 5, 4, 3, 2, 1].map((i) => `第${i}次调整`));
    expect(await AuditModel.countDocuments({ action: 'points.adjust', targetId: m.id })).toBe(7);
  });

  test('when 120 entries are filed at once, then every one gets its own place and reads back across pages in order', async () => {
    const orgId = `feed-${Date.now()}`;
    const at = new Date();
    await Promise.all(Array.from({ length: 120 }, (_, i) => appendToFeeds([orgId], 'points', feedItem(`e${i}`, at))));
    const seqs: number[] = [];
    let before: number | undefined;
    for (;;) {
      const { items, next } = await readFeed(orgId, 'all', 45, before);
      seqs.push(...items.map((i) => i.seq));
      if (next === null) break;
      before = next;
    }
    expect(seqs).toEqual(Array.from({ length: 120 }, (_, i) => 120 - i));
    expect((await readFeed(orgId, 'points', 200)).items).toHaveLength(120);
    expect((await readFeed(orgId, 'reviews', 10)).items).toEqual([]);
  });

  test('when the cursor lies far above the feed (cursor=999999999999), then the reply is quick and starts at the newest entry', async () => {
    const started = Date.now();
    const res = await log(secretaryA.id, { org: county.branchA.id, limit: 5, cursor: '999999999999' }).timeout(5000);
    const took = Date.now() - started;
    expect(res.status).toBe(200);
    expect(took).toBeLessThan(1000);
    const newest = ((await log(secretaryA.id, { org: county.branchA.id, limit: 5 })).body as AuditPage).items.map(
      (i) => i.id,
    );
    expect((res.body as AuditPage).items.map((i) => i.id)).toEqual(newest);
    // An org with no log at all: an empty page, not a walk.
    const quiet = await buildOrg('village', '丙村', county.townA);
    const empty = await log(admin.id, { org: quiet.id, limit: 5, cursor: '999999999999' }).timeout(5000);
    expect(empty.body).toEqual({ items: [], nextCursor: null });
  });

  test('when whole pages of a feed are missing, then one call reads a bounded number of pages and hands back a cursor below them', async () => {
    const orgId = `gappy-${Date.now()}`;
    const at = new Date();
    const item = (i: number) => feedItem(`g${i}`, at);
    for (let i = 0; i < 3; i += 1) await appendToFeeds([orgId], 'points', item(i));
    // 1,000 slots lost to crashes above them: the head says 1003, pages 0..20 are empty but the first.
    await AuditHeadModel.updateOne({ _id: orgId }, { $inc: { 'n.all': 1000 } });
    const reads: string[] = [];
    const findById = AuditFeedPageModel.findById.bind(AuditFeedPageModel);
    const spy = jest.spyOn(AuditFeedPageModel, 'findById').mockImplementation(((id: string) => {
      reads.push(id);
      return findById(id);
    }) as never);
    const first = await readFeed(orgId, 'all', 5);
    spy.mockRestore();
    expect(first.items).toEqual([]);
    expect(reads.length).toBeLessThanOrEqual(3);
    expect(first.next).not.toBeNull();
    const seqs: number[] = [];
    let before: number | null = first.next;
    for (let calls = 0; before !== null && calls < 30; calls += 1) {
      const page = await readFeed(orgId, 'all', 5, before);
      seqs.push(...page.items.map((i) => i.seq));
      before = page.next;
    }
    expect(seqs).toEqual([3, 2, 1]);
  });

  test('when lines are queued in the same moment, then the head of each org moves once for all of them and a read sees them at once', async () => {
    const orgs = [1, 2, 3].map((i) => `grouped-${i}-${Date.now()}`);
    const at = new Date();
    let filed: Promise<void>[] = [];
    // Queueing sends nothing: the request that audits replies without the feeds' commands.
    const queued = await withCommandCount(async () => {
      filed = Array.from({ length: 30 }, (_, i) => appendToFeeds(orgs, 'points', feedItem(`q${i}`, at)));
    });
    expect(queued.commands).toBe(0);
    // The reader writes the queue first: 30 lines in 3 orgs, one head $inc per org and one page write.
    const read = await withCommandCount(() => readFeed(orgs[0]!, 'all', 50));
    expect(read.result.items.map((i) => i.id)).toEqual(Array.from({ length: 30 }, (_, i) => `q${29 - i}`));
    expect(read.commands).toBe(3 + 1 + 2);
    await Promise.all(filed);
    expect((await readFeed(orgs[2]!, 'points', 50)).items).toHaveLength(30);
  });

  test('when a retried write filed a line twice, then the log shows it once', async () => {
    const orgId = `twice-${Date.now()}`;
    const at = new Date();
    await appendToFeeds([orgId], 'points', feedItem('once', at));
    await appendToFeeds([orgId], 'points', feedItem('once', at));
    await appendToFeeds([orgId], 'points', feedItem('next', at));
    expect((await readFeed(orgId, 'all', 10)).items.map((i) => i.id)).toEqual(['next', 'once']);
  });

  test('when a stop came between storing an entry and filing it, then start-up files it in the log of every org it belongs to', async () => {
    const m = await buildMember({ branch: county.branchB, name: '停机党员' });
    // What a stop right after the entry's insert leaves: stored, never filed, never marked.
    const stored = await AuditModel.create({
      actorId: admin.id,
      action: 'points.adjust',
      targetType: 'user',
      targetId: m.id,
      details: { delta: 4, reason: '停机前的调整' },
      actorName: '王组织',
      targetLabel: '停机党员',
      scopes: [county.county.id, county.townB.id, county.villageB.id, county.branchB.id],
      filed: false,
    });
    expect(await refileAudits()).toBeGreaterThanOrEqual(1);
    for (const [as, org] of [
      [admin.id, county.county.id],
      [townAdmin.id, county.townB.id],
      [admin.id, county.branchB.id],
    ] as const) {
      const items = ((await log(as, { org, limit: 5 })).body as AuditPage).items;
      expect(items.find((i) => i.id === String(stored._id))).toMatchObject({
        summary: '+4 分',
        reason: '停机前的调整',
      });
    }
    await flushGroupedMarks();
    expect((await AuditModel.findById(stored._id).lean())?.filed).toBe(true);
    // Filed once: a second start-up finds nothing left.
    expect(await refileAudits()).toBe(0);
  });

  test('when a secretary confirms a service record, then its line is in the log of the branch, the township and the county at once', async () => {
    const api = postsClient(t);
    const { secretary, post } = await secretaryWithPost(t, county.branchB, { capacity: 2 });
    const [m] = await members(county.branchB, 1);
    const claim = (await api.claim(m!.id, post.id).expect(201)).body as { id: string };
    const record = (await api.logService(m!.id, claim.id, { hours: 2 })).body as ServiceRecord;
    await api.confirm(secretary.id, record.id).expect(200);
    // No wait: a reader of the log writes the lines queued in its process first.
    for (const [as, org] of [
      [secretary.id, county.branchB.id],
      [townAdmin.id, county.townB.id],
      [admin.id, county.county.id],
    ] as const) {
      const items = ((await log(as, { org, action: 'reviews', limit: 5 })).body as AuditPage).items;
      expect(items.filter((i) => i.target.id === record.id)).toEqual([
        expect.objectContaining({ action: 'post.record.confirm', actionLabel: '服务记录确认', summary: '2 小时' }),
      ]);
    }
  });

  test('when the cursor is not a position, then it is a 400', async () => {
    expect((await log(admin.id, { org: county.county.id, cursor: '{"$gt":""}' })).status).toBe(400);
    expect((await log(admin.id, { org: county.county.id, action: 'drop' })).status).toBe(400);
  });
});
