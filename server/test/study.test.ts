/**
 * 学习 beyond quizzes (issue 20): admins publish sanitized articles to their subtree; a reading pays 1 point
 * (`study_read`) once per article per member, at most 6 a day, only when the server's clock shows the article's
 * minimum (paused time not counted) and the page reached the end. The clock is the study module's, moved forward
 * by the test instead of waited for.
 */
import { STUDY_TOPICS, dayKey, minReadSeconds, type ReadingResult, type StudyToday } from '@pioneer/shared';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildAdmin, buildMember, type County } from './support/factories';
import { advanceStudyClock, resetStudyClock, studyNow } from '../src/modules/study/clock';
import { ArticleModel } from '../src/modules/study/study.model';
import { LedgerModel } from '../src/modules/points/points.model';
import { SEED_BANK } from '../src/modules/quiz/seed-bank';

let t: TestApp;
let county: County;
let admin: { id: string };
const auth = (id: string) => bearer(t, id);
const commandLog: Record<string, number[]> = {};

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  admin = await buildAdmin({ of: county.county, branch: county.branchB });
});
afterAll(async () => {
  resetStudyClock();
  // Engine commands per call on the embedded engine, for the report (X-Engine-Commands).
  console.log(
    'study engine commands per call',
    Object.fromEntries(Object.entries(commandLog).map(([k, v]) => [k, Math.max(...v)])),
  );
  await t.close();
});

function counted<T extends { headers: Record<string, string> }>(name: string, res: T): T {
  const n = Number(res.headers['x-engine-commands']);
  (commandLog[name] ??= []).push(n);
  return res;
}

const TEXT = '党员要牢记初心使命。'.repeat(60); // 600 characters: 40 s by length

async function publish(body: Record<string, unknown>, by = admin.id) {
  return counted(
    'publish',
    await t
      .http()
      .post('/api/v1/study/admin/articles')
      .set(auth(by))
      .send({ org: county.branchA.id, title: '学习笔记', topic: '党史', body: `<p>${TEXT}</p>`, ...body }),
  );
}

async function open(userId: string, articleId: string) {
  const res = counted('open', await t.http().post(`/api/v1/study/articles/${articleId}/sessions`).set(auth(userId)));
  expect(res.status).toBe(201);
  return res.body as { id: string; minSeconds: number };
}

const complete = async (userId: string, sessionId: string, reachedEnd = true) =>
  counted(
    'complete',
    await t.http().post(`/api/v1/study/sessions/${sessionId}/complete`).set(auth(userId)).send({ reachedEnd }),
  );

const studyEntries = (userId: string) => LedgerModel.find({ userId, reason: 'study_read' }).lean();

afterEach(() => resetStudyClock());

describe('minimum reading time from the length', () => {
  test('1 s per 15 characters, never under 30 s or over 180 s', () => {
    expect(minReadSeconds(600)).toBe(40);
    expect(minReadSeconds(10)).toBe(30);
    expect(minReadSeconds(100_000)).toBe(180);
  });

  test('the study topics are the question bank’s topics', () => {
    const tags = new Set(SEED_BANK.flatMap((q) => q.tags));
    expect(STUDY_TOPICS.filter((t) => !tags.has(t))).toEqual([]);
  });
});

describe('publishing', () => {
  test('a county admin publishes to a branch of the county; the body is sanitized and the minimum comes from its length', async () => {
    const res = await publish({
      body: `<p onclick="x()">${TEXT}</p><script>alert(1)</script><img src="https://evil.example/p.gif"><iframe src="https://x"></iframe>`,
    });
    expect(res.status).toBe(201);
    expect(res.body.minSeconds).toBe(40);
    const stored = await ArticleModel.findById(res.body.id).lean();
    expect(stored!.body).toBe(`<p>${TEXT}</p>`);
    expect(stored!.chars).toBe(600);
  });

  test('a township admin cannot publish outside their township, a secretary not at all; nothing is written', async () => {
    const townB = await buildAdmin({ of: county.townB, branch: county.branchB });
    const secretary = await buildMember({ branch: county.branchA, roles: ['member', 'secretary'] });
    const before = await ArticleModel.countDocuments();
    const outside = await publish({ title: '越权文章' }, townB.id);
    expect(outside.status).toBe(403);
    expect(outside.body.error.message).toBe('只有管理员可以向本辖区发布学习文章');
    expect((await publish({ title: '书记文章' }, secretary.id)).status).toBe(403);
    const inside = await publish({ org: county.branchB.id, title: '乙乡文章' }, townB.id);
    expect(inside.status).toBe(201);
    expect(await ArticleModel.countDocuments()).toBe(before + 1);
  });

  test('a topic not in the bank, a foreign cover or a body that cleans to nothing is refused in Chinese', async () => {
    const before = await ArticleModel.countDocuments();
    const topic = await publish({ topic: '娱乐' });
    expect(topic.status).toBe(400);
    expect(topic.body.error.message).toContain('请选择学习专题');
    const cover = await publish({ cover: 'https://evil.example/c.jpg' });
    expect(cover.body.error.message).toContain('封面须通过上传获得');
    const empty = await publish({ body: '<script>alert(1)</script>' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain('正文不能为空');
    expect(await ArticleModel.countDocuments()).toBe(before);
  });

  test('members of the branch’s chain list and read it; a member of another township can do neither', async () => {
    const { body: a } = await publish({ title: '只给甲村', topic: '三会一课' });
    const inChain = await buildMember({ branch: county.branchA });
    const other = await buildMember({ branch: county.branchB });
    const list = await t.http().get('/api/v1/study/articles').query({ topic: '三会一课' }).set(auth(inChain.id));
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(a.id);
    const otherList = await t.http().get('/api/v1/study/articles').set(auth(other.id));
    expect(otherList.body.items.map((i: { id: string }) => i.id)).not.toContain(a.id);
    expect((await t.http().get(`/api/v1/study/articles/${a.id}`).set(auth(other.id))).status).toBe(403);
    expect((await t.http().post(`/api/v1/study/articles/${a.id}/sessions`).set(auth(other.id))).status).toBe(403);
    const read = await t.http().get(`/api/v1/study/articles/${a.id}`).set(auth(inChain.id));
    expect(read.status).toBe(200);
    expect(read.body.body).toBe(`<p>${TEXT}</p>`);
  });

  test('an edited minimum and title reach the list and new sessions', async () => {
    const { body: a } = await publish({ title: '待修改' });
    const patch = await t
      .http()
      .patch(`/api/v1/study/admin/articles/${a.id}`)
      .set(auth(admin.id))
      .send({ title: '已修改', minSeconds: 12 });
    expect(patch.status).toBe(200);
    const m = await buildMember({ branch: county.branchA });
    const list = await t.http().get('/api/v1/study/articles').set(auth(m.id));
    expect(list.body.items.find((i: { id: string }) => i.id === a.id)).toMatchObject({
      title: '已修改',
      minSeconds: 12,
    });
    expect((await open(m.id, a.id)).minSeconds).toBe(12);
  });
});

describe('reading that counts', () => {
  test('completing before the minimum by the server’s clock is refused and pays nothing; at the minimum it pays 1 once', async () => {
    const m = await buildMember({ branch: county.branchA });
    const { body: a } = await publish({ title: '计时文章' });
    const s = await open(m.id, a.id);
    advanceStudyClock(39_000);
    const early = await complete(m.id, s.id);
    expect(early.status).toBe(422);
    expect(early.body.error.code).toBe('READ_TOO_SHORT');
    expect(early.body.error.message).toBe('阅读时间不足，还需阅读 1 秒');
    expect(await studyEntries(m.id)).toEqual([]);

    advanceStudyClock(1_000);
    const notEnd = await complete(m.id, s.id, false);
    expect(notEnd.status).toBe(422);
    expect(notEnd.body.error.code).toBe('READ_NOT_FINISHED');
    expect(await studyEntries(m.id)).toEqual([]);

    const ok = await complete(m.id, s.id);
    expect(ok.status).toBe(200);
    expect(ok.body as ReadingResult).toMatchObject({ awarded: 1, unpaid: null, session: { completed: true } });
    const entries = await studyEntries(m.id);
    expect(entries.map((e) => [e.delta, e.refId])).toEqual([[1, a.id]]);

    // The same session again, and a new reading of the same article: nothing more.
    expect((await complete(m.id, s.id)).body).toMatchObject({ awarded: 0, unpaid: 'already_paid' });
    const again = await open(m.id, a.id);
    advanceStudyClock(40_000);
    expect((await complete(m.id, again.id)).body).toMatchObject({ awarded: 0, unpaid: 'already_paid' });
    expect((await studyEntries(m.id)).length).toBe(1);
    const view = await t.http().get(`/api/v1/study/articles/${a.id}`).set(auth(m.id));
    expect(view.body).toMatchObject({ read: true, paid: true });
  });

  test('time while paused (the page in the background) does not count', async () => {
    const m = await buildMember({ branch: county.branchA });
    const { body: a } = await publish({ title: '后台文章' });
    const s = await open(m.id, a.id);
    advanceStudyClock(20_000);
    const paused = await t.http().post(`/api/v1/study/sessions/${s.id}/pause`).set(auth(m.id));
    expect(paused.body).toMatchObject({ activeSeconds: 20, running: false });
    advanceStudyClock(600_000);
    const early = await complete(m.id, s.id);
    expect(early.status).toBe(422);
    expect(early.body.error.message).toBe('阅读时间不足，还需阅读 20 秒');
    await t.http().post(`/api/v1/study/sessions/${s.id}/resume`).set(auth(m.id));
    advanceStudyClock(20_000);
    expect((await complete(m.id, s.id)).body).toMatchObject({ awarded: 1 });
  });

  test('another member’s session is not found, and completing it pays them nothing', async () => {
    const m = await buildMember({ branch: county.branchA });
    const thief = await buildMember({ branch: county.branchA });
    const { body: a } = await publish({ title: '别人的' });
    const s = await open(m.id, a.id);
    advanceStudyClock(60_000);
    expect((await complete(thief.id, s.id)).status).toBe(404);
    expect(await studyEntries(thief.id)).toEqual([]);
  });

  test('at most 6 a day: the 7th reading pays nothing and stays payable the next day; the daily card equals the ledger', async () => {
    const m = await buildMember({ branch: county.branchA });
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await publish({ title: `上限文章${i}`, minSeconds: 10 })).body.id);
    const results: ReadingResult[] = [];
    for (const id of ids) {
      const s = await open(m.id, id);
      advanceStudyClock(10_000);
      results.push((await complete(m.id, s.id)).body);
    }
    expect(results.map((r) => r.awarded)).toEqual([1, 1, 1, 1, 1, 1, 0]);
    expect(results[6]!.unpaid).toBe('daily_cap');
    const today = dayKey(studyNow());
    const entries = (await studyEntries(m.id)).filter((e) => dayKey(e.at) === today);
    expect(entries.reduce((s, e) => s + e.delta, 0)).toBe(6);

    const card = counted('today', await t.http().get('/api/v1/study/today').set(auth(m.id)));
    const ledgerToday = (await LedgerModel.find({ userId: m.id }).lean()).filter((e) => dayKey(e.at) === today);
    expect(card.body as StudyToday).toMatchObject({ day: today, read: { count: 6, cap: 6, points: 6 } });
    expect(card.body.total).toBe(ledgerToday.reduce((s, e) => s + e.delta, 0));

    advanceStudyClock(24 * 3_600_000);
    const s = await open(m.id, ids[6]!);
    advanceStudyClock(10_000);
    expect((await complete(m.id, s.id)).body).toMatchObject({ awarded: 1, unpaid: null });
    const next = await t.http().get('/api/v1/study/today').set(auth(m.id));
    expect(next.body.read).toMatchObject({ count: 1, points: 1 });
  });

  test('the console lists reads, completion rate and average time of the admin’s articles', async () => {
    const { body: a } = await publish({ title: '统计文章', minSeconds: 10 });
    const m1 = await buildMember({ branch: county.branchA });
    const m2 = await buildMember({ branch: county.branchA });
    const s1 = await open(m1.id, a.id);
    await open(m2.id, a.id);
    advanceStudyClock(30_000);
    await complete(m1.id, s1.id);
    const list = counted('adminList', await t.http().get('/api/v1/study/admin/articles').set(auth(admin.id)));
    const row = list.body.items.find((i: { id: string }) => i.id === a.id);
    expect(row).toMatchObject({ opens: 2, completions: 1, completionRate: 0.5, averageSeconds: 30, minSecondsSet: 10 });
    const member = await t.http().get('/api/v1/study/admin/articles').set(auth(m1.id));
    expect(member.status).toBe(403);
  });
});
