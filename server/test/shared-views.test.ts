/**
 * Shared views (issue 17): the question bank's version and org summaries are read at most once a second per
 * process; a member's own numbers never are. A change made through this process is seen at once; one made by
 * another process (here: written to the database directly) within SHARED_VIEW_MS.
 */
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildAdmin, buildCounty, buildMember, type County } from './support/factories';
import { SHARED_VIEW_MS, setSharedViewMs, sharedValue } from '../src/db/shared-view';
import { awardPoints } from '../src/modules/points/points.service';
import { givePoints } from './support/points-helpers';
import { OrgModel } from '../src/modules/orgs/orgs.model';
import type { CreateQuestionBody } from '@pioneer/shared';
import { loadQuestions } from '../src/modules/quiz/questions.service';
import { activeBank } from '../src/modules/quiz/bank';
import { QuestionModel, QuizMetaModel } from '../src/modules/quiz/quiz.model';

let t: TestApp;
let county: County;
const auth = (id: string) => bearer(t, id);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => ({ t, county } = await startCountyApp()));
afterAll(() => t.close());

describe('sharedValue', () => {
  // The test config turns shared views off; these tests are of the deployed bound.
  beforeEach(() => setSharedViewMs(SHARED_VIEW_MS));
  afterEach(() => setSharedViewMs(0));

  test('concurrent callers share one read; a second one reads again only after the bound or a forget', async () => {
    let reads = 0;
    const v = sharedValue(async (k: string) => `${k}${(reads += 1)}`);
    expect(await Promise.all([v.get('a'), v.get('a'), v.get('a')])).toEqual(['a1', 'a1', 'a1']);
    expect(await v.get('a')).toBe('a1');
    v.forget('a');
    expect(await v.get('a')).toBe('a2');
    await sleep(SHARED_VIEW_MS + 50);
    expect(await v.get('a')).toBe('a3');
    expect(reads).toBe(3);
  });

  test('a failed read is not kept', async () => {
    let fail = true;
    const v = sharedValue(async () => {
      if (fail) throw new Error('engine down');
      return 1;
    });
    await expect(v.get('k')).rejects.toThrow('engine down');
    fail = false;
    expect(await v.get('k')).toBe(1);
  });
});

describe('GET /me', () => {
  beforeEach(() => setSharedViewMs(SHARED_VIEW_MS));
  afterEach(() => setSharedViewMs(0));

  test('when points are awarded, then the next GET /me shows them at once (own numbers are never cached)', async () => {
    const m = await buildMember({ branch: county.branchA });
    const me = async () => (await t.http().get('/api/v1/me').set(auth(m.id))).body.points.month as number;
    expect(await me()).toBe(0);
    for (const n of [1, 2, 3]) {
      await awardPoints({
        userId: m.id,
        reason: 'manual_adjustment',
        points: 2,
        refType: 'test',
        refId: `own${n}`,
        idempotencyKey: `own|${n}|${m.id}`,
      });
      expect(await me()).toBe(2 * n);
    }
  });

  test('when an org is renamed through this server, then GET /me names it at once; renamed elsewhere, within the bound', async () => {
    const m = await buildMember({ branch: county.branchB });
    const admin = await buildAdmin({ of: county.county, branch: county.branchA });
    const branchName = async () => (await t.http().get('/api/v1/me').set(auth(m.id))).body.org.name as string;
    expect(await branchName()).toBe('乙村党支部');
    const renamed = await t
      .http()
      .patch(`/api/v1/orgs/${county.branchB.id}`)
      .set(auth(admin.id))
      .send({ name: '乙村第一党支部' });
    expect(renamed.status).toBe(200);
    expect(await branchName()).toBe('乙村第一党支部');
    // Another process renames it: this one may show the old name for up to SHARED_VIEW_MS, never longer.
    await OrgModel.updateOne({ _id: county.branchB.id }, { $set: { name: '乙村联合党支部' } });
    await sleep(SHARED_VIEW_MS + 50);
    expect(await branchName()).toBe('乙村联合党支部');
  });
});

describe('the question bank held in memory', () => {
  const bank = (word: string): CreateQuestionBody[] =>
    Array.from({ length: 3 }, (_, i) => ({
      type: 'single' as const,
      stem: `${word}题${i}：以下哪项正确？`,
      options: ['甲', '乙', '丙', '丁'],
      answer: ['A' as const],
      explanation: '解析',
      tags: ['党章党规'],
      difficulty: 1,
      active: true,
    }));

  test('when the database under the process is replaced (a restore, another database), then its bank is served, not the old one', async () => {
    await loadQuestions(bank('旧库'));
    expect((await activeBank()).active.map((q) => q.stem)).toContain('旧库题0：以下哪项正确？');
    // What a restore of another database leaves: other questions, and a bank version written there, not here.
    await QuestionModel.deleteMany({});
    await QuizMetaModel.deleteMany({});
    await loadQuestions(bank('新库'));
    const stems = (await activeBank()).active.map((q) => q.stem);
    expect(stems).toContain('新库题0：以下哪项正确？');
    expect(stems).not.toContain('旧库题0：以下哪项正确？');
  });
});

describe('boards and ranks from shared views (issue 17)', () => {
  const BOUND = 2000;
  afterEach(() => setSharedViewMs(0));

  test('a board read within the bound may lag another process and says asOf; my points never lag, my rank catches up', async () => {
    const c = await buildCounty();
    const [a, a2, a3, b] = await Promise.all([1, 2, 3, 4].map(() => buildMember({ branch: c.branchA })));
    const admin = await buildAdmin({ of: c.county, branch: c.branchB });
    type Board = { items: { userId: string; points: number }[]; me: { rank: number; points: number } | null };
    const board = async (viewer: string) =>
      (
        await t
          .http()
          .get('/api/v1/leaderboards/members')
          .query({ scope: c.county.id, period: 'month', limit: 2 })
          .set(auth(viewer))
      ).body as Board & { asOf: string };
    const top = (b: Board) => b.items.map((i) => [i.userId === a.id ? 'a' : i.userId === b_.id ? 'b' : 'x', i.points]);
    const b_ = b!;
    setSharedViewMs(BOUND);
    await Promise.all([
      givePoints(a!.id, 5, `sv|a1|${a!.id}`),
      givePoints(a2!.id, 2, `sv|a2|${a2!.id}`),
      givePoints(a3!.id, 1, `sv|a3`),
    ]);
    const first = await board(admin.id);
    expect(top(first)).toEqual([
      ['a', 5],
      ['x', 2],
    ]);
    const readAt = new Date(first.asOf).getTime();
    expect(Date.now() - readAt).toBeLessThan(BOUND);
    // An award through this process is on the board it holds at once.
    await givePoints(a!.id, 1, `sv|a4|${a!.id}`);
    expect(top(await board(admin.id))[0]).toEqual(['a', 6]);

    // Another process pays b 10. With the bound at 0 while it runs, this process's held board is not touched (as
    // when the award lands in another process); then the bound is back.
    setSharedViewMs(0);
    const paidAt = Date.now();
    await givePoints(b_.id, 10, `sv|b1|${b_.id}`);
    setSharedViewMs(BOUND);
    const lagging = await board(admin.id);
    expect(top(lagging)[0]).toEqual(['a', 6]);
    // It says so: read before b was paid.
    expect(new Date(lagging.asOf).getTime()).toBeLessThan(paidAt);
    // b's own numbers are read fresh: GET /me, and b's points and rank in the county (rows withheld from members).
    expect((await t.http().get('/api/v1/me').set(auth(b_.id))).body.points.month).toBe(10);
    expect((await board(b_.id)).me).toEqual({ rank: 1, points: 10 });
    // a's points are a's own (fresh); a's rank among others may lag another process's award within the bound, as
    // the board does (read-your-writes is about a member's own awards: change-marks.test pays on either instance).
    const aWithin = (await board(a!.id)).me!;
    expect(aWithin.points).toBe(6);
    expect([1, 2]).toContain(aWithin.rank);

    // Past the bound the board is read again: b is on it, with a newer asOf.
    await sleep(BOUND + 50);
    const caughtUp = await board(admin.id);
    expect(top(caughtUp)).toEqual([
      ['b', 10],
      ['a', 6],
    ]);
    expect(new Date(caughtUp.asOf).getTime()).toBeGreaterThan(paidAt);
    expect((await board(a!.id)).me).toEqual({ rank: 2, points: 6 });
  });
});
