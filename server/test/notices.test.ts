import type { MemberMessage, NoticeList, NoticeStats } from '@pioneer/shared';
import mongoose from 'mongoose';
import { bearer, client } from './support/client';
import { startCountyApp, type TestApp } from './support/harness';
import { buildAdmin, buildMember, buildSecretary, type County } from './support/factories';

/**
 * 通知公告 (issue 19 item 1): who may publish where, who reads what (chain and audience), unread marks and the 首页
 * badge, a receipt once under 20 racing opens, per-branch read stats with masked names, reminders once a day.
 */
let t: TestApp;
let county: County;
const auth = (id: string) => bearer(t, id);
const as = (id: string) => client(t, id);
let secA: { id: string };
let memberA: { id: string };
let memberA2: { id: string };
let cadreA: { id: string };
let memberB: { id: string };
let countyAdmin: { id: string };
let townB: { id: string };

const publish = (who: string, body: object) =>
  as(who).post('/notices', { title: '关于开展主题党日的通知', body: '<p>本周六上午九点</p>', ...body });
const list = async (who: string) => (await as(who).get('/notices')).body as NoticeList;
const badge = async (who: string) => (await as(who).get('/notices/badge')).body.unread as number;
const open = (who: string, id: string) => as(who).get(`/notices/${id}`);
const managedCount = async (who: string) => ((await as(who).get('/notices/managed')).body.items as unknown[]).length;

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  secA = await buildSecretary(county.branchA, '甲书记');
  memberA = await buildMember({ branch: county.branchA, name: '张三丰' });
  memberA2 = await buildMember({ branch: county.branchA, name: '李四' });
  cadreA = await buildMember({ branch: county.branchA, roles: ['member', 'cadre'], name: '赵驻村' });
  memberB = await buildMember({ branch: county.branchB, name: '乙党员' });
  countyAdmin = await buildAdmin({ of: county.county, branch: county.branchB, name: '县组织部' });
  townB = await buildAdmin({ of: county.townB, branch: county.branchB });
}, 60_000);
afterAll(async () => t.close());

test('publishing: a secretary to their branch, an admin within their subtree; bad input is refused and writes nothing', async () => {
  expect((await publish(memberA.id, { org: county.branchA.id })).status).toBe(403);
  expect((await publish(secA.id, { org: county.branchB.id })).status).toBe(403);
  const outside = await publish(townB.id, { org: county.townA.id });
  expect(outside.status).toBe(403);
  expect(outside.body.error.message).toContain('本辖区');
  const before = await managedCount(countyAdmin.id);
  const noTitle = await publish(secA.id, { title: '  ' });
  expect(noTitle.status).toBe(400);
  expect(noTitle.body.error.message).toContain('标题');
  const scriptOnly = await publish(secA.id, { body: '<script>alert(1)</script>' });
  expect(scriptOnly.status).toBe(400);
  expect(scriptOnly.body.error.message).toBe('正文不能为空');
  const past = await publish(secA.id, { expiresAt: new Date(Date.now() - 60_000).toISOString() });
  expect(past.status).toBe(400);
  expect(past.body.error.message).toContain('有效期');
  expect(await managedCount(countyAdmin.id)).toBe(before);

  const own = await publish(secA.id, {});
  expect(own.status).toBe(201);
  expect(own.body).toMatchObject({ orgName: '甲村党支部', recipients: 4, unread: false });
});

test('the body is stored sanitized: no script, no event handler, no javascript: link', async () => {
  const res = await publish(secA.id, {
    title: '清洗测试',
    body: '<h2>标题</h2><p onclick="x()">正文<script>alert(1)</script><img src="x" onerror="alert(1)"><a href="javascript:alert(1)">链接</a></p>',
  });
  expect(res.status).toBe(201);
  const detail = await open(memberA.id, res.body.id);
  expect(detail.status).toBe(200);
  expect(detail.body.body).toContain('<h2>标题</h2>');
  expect(detail.body.body).not.toMatch(/script|onerror|onclick|javascript:/i);
});

test('readers: the chain below the target and the audience; expired notices leave the list', async () => {
  const county1 = await publish(countyAdmin.id, { org: county.county.id, title: '全县通知' });
  const secretaries = await publish(countyAdmin.id, {
    org: county.county.id,
    title: '书记会议',
    audience: 'secretaries',
  });
  const cadres = await publish(countyAdmin.id, { org: county.townA.id, title: '驻村干部培训', audience: 'cadres' });
  const soon = await publish(secA.id, { title: '马上过期', expiresAt: new Date(Date.now() + 1500).toISOString() });
  for (const r of [county1, secretaries, cadres, soon]) expect(r.status).toBe(201);
  // Who it reached when it went out: the audience, grouped by branch.
  expect(county1.body.recipients).toBe(7);
  expect(secretaries.body.recipients).toBe(1);
  expect(cadres.body.recipients).toBe(1);

  const titles = async (who: string) => (await list(who)).items.map((i) => i.title);
  expect(await titles(memberA.id)).toEqual(expect.arrayContaining(['全县通知', '马上过期']));
  expect(await titles(memberA.id)).not.toContain('书记会议');
  expect(await titles(memberA.id)).not.toContain('驻村干部培训');
  expect(await titles(secA.id)).toContain('书记会议');
  expect(await titles(cadreA.id)).toContain('驻村干部培训');
  expect(await titles(memberB.id)).toEqual(['全县通知']);
  expect((await open(memberB.id, soon.body.id)).status).toBe(403);
  expect((await open(memberA.id, secretaries.body.id)).status).toBe(403);
  expect((await open(townB.id, soon.body.id)).status).toBe(403);
  // Who runs the org may open it (the publisher's preview) without it counting as read.
  expect((await open(countyAdmin.id, soon.body.id)).status).toBe(200);

  await new Promise((r) => setTimeout(r, 1600));
  expect(await titles(memberA.id)).not.toContain('马上过期');
});

test('unread marks and the badge; pinned first; opening marks it read', async () => {
  const pinned = await publish(secA.id, { title: '置顶通知', pinned: true });
  const m = await buildMember({ branch: county.branchA, name: '新党员' });
  const before = await list(m.id);
  expect(before.items[0]!.title).toBe('置顶通知');
  expect(before.items.every((i) => i.unread)).toBe(true);
  expect(await badge(m.id)).toBe(before.unread);
  expect(before.unread).toBeGreaterThan(1);
  const detail = await open(m.id, pinned.body.id);
  expect(detail.body.unread).toBe(true); // this open was the first
  expect((await open(m.id, pinned.body.id)).body.unread).toBe(false);
  const after = await list(m.id);
  expect(after.items.find((i) => i.id === pinned.body.id)!.unread).toBe(false);
  expect(await badge(m.id)).toBe(before.unread - 1);
});

test('20 racing opens record one receipt and count one reader', async () => {
  const n = await publish(secA.id, { title: '并发阅读' });
  const opens = await Promise.all(Array.from({ length: 20 }, () => open(memberA2.id, n.body.id)));
  expect(opens.every((r) => r.status === 200)).toBe(true);
  const receipts = await mongoose.connection.collection('notice_receipts').find({ noticeId: n.body.id }).toArray();
  expect(receipts).toHaveLength(1);
  const stats = (await as(secA.id).get(`/notices/${n.body.id}/stats`)).body as NoticeStats;
  expect(stats).toMatchObject({ total: 5, read: 1 }); // 甲村党支部: four, and the new member of the test above
});

test('read stats per branch with masked names of the unread; a reminder reaches them once a day', async () => {
  const n = await publish(countyAdmin.id, { org: county.townA.id, title: '镇通知' });
  await open(memberA.id, n.body.id);
  const statsRes = await as(countyAdmin.id).get(`/notices/${n.body.id}/stats`);
  expect(statsRes.status).toBe(200);
  const stats = statsRes.body as NoticeStats;
  expect(stats.read).toBe(1);
  const a = stats.branches.find((b) => b.branchName === '甲村党支部')!;
  expect(a).toMatchObject({ read: 1 });
  expect(a.unreadNames).toEqual(expect.arrayContaining(['李*', '甲*记', '赵*村']));
  expect(a.unreadNames).not.toContain('张*丰');
  expect(JSON.stringify(stats)).not.toContain('李四');
  expect((await as(secA.id).get(`/notices/${n.body.id}/stats`)).status).toBe(403);
  expect((await as(townB.id).get(`/notices/${n.body.id}/stats`)).status).toBe(403);

  const remind = await t.http().post(`/api/v1/notices/${n.body.id}/remind`).set(auth(countyAdmin.id));
  expect(remind.status).toBe(200);
  expect(remind.body.reminded).toBe(stats.total - 1);
  const again = await t.http().post(`/api/v1/notices/${n.body.id}/remind`).set(auth(countyAdmin.id));
  expect(again.status).toBe(409);
  expect(again.body.error.message).toContain('今天已经提醒过');
  const inbox = async (who: string) =>
    ((await as(who).get('/me/messages')).body.items as MemberMessage[]).filter((m) => m.ref === `notice:${n.body.id}`);
  expect(await inbox(memberA2.id)).toHaveLength(1);
  expect((await inbox(memberA2.id))[0]).toMatchObject({ kind: 'notice_remind', title: '请阅读通知：镇通知' });
  expect(await inbox(memberA.id)).toHaveLength(0);
});

test('the list and the badge cost the same engine commands whatever the number of notices (key reads)', async () => {
  const m = await buildMember({ branch: county.branchA2, name: '计数党员' });
  const cost = async (path: string) => Number((await t.http().get(path).set(auth(m.id))).headers['x-engine-commands']);
  const listBefore = await cost('/api/v1/notices');
  const badgeBefore = await cost('/api/v1/notices/badge');
  for (let i = 0; i < 15; i += 1) await publish(countyAdmin.id, { org: county.county.id, title: `批量通知${i}` });
  expect(await cost('/api/v1/notices')).toBe(listBefore);
  expect(await cost('/api/v1/notices/badge')).toBe(badgeBefore);
  // The user (auth), one index per org on the path (county, township, village, branch) and the reads doc.
  expect(listBefore).toBeLessThanOrEqual(6);
});
