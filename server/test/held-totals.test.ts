/**
 * A member's own totals held in memory for warm reads (issue 17, points/held-totals.ts): exact for this process's
 * writes (dropped per member at once), another process's within the shared-view bound (db/bucket-marks.ts), and at
 * once when the request carries the newer sequence its client was told (X-Points-Version).
 */
import mongoose from 'mongoose';
import type { Response } from 'supertest';
import { periodId, type Attempt, type CreateQuestionBody } from '@pioneer/shared';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { startAnotherProcess, type OtherProcess } from './support/other-process';
import { buildMember, type County } from './support/factories';
import { setSharedViewMs } from '../src/db/shared-view';
import { bucketMarkUpdate, bucketOf, heldById } from '../src/db/bucket-marks';
import { givePoints } from './support/points-helpers';
import { scopeKey, SELF_SCOPE } from '../src/modules/points/keys';
import { loadQuestions } from '../src/modules/quiz/questions.service';

let t: TestApp;
let county: County;
let other: OtherProcess;
const auth = (id: string) => bearer(t, id);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const commands = (res: Response) => Number(res.headers['x-engine-commands']);

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  other = await startAnotherProcess(mongoose.connection.name);
});
afterAll(async () => {
  await other.close();
  await t.close();
});
// The longest bound the configuration allows: each step of a test lands well within it on a busy machine.
const BOUND = 2000;
beforeEach(() => setSharedViewMs(BOUND));
afterEach(() => setSharedViewMs(0));
/** Past the bound: every view (and the marks) is read again by the next request, then held for BOUND. */
const boundPassed = () => sleep(BOUND + 50);

const me = (id: string, seen?: string) => {
  const req = t.http().get('/api/v1/me').set(auth(id));
  return seen === undefined ? req : req.set('X-Points-Version', seen);
};
const myRank = (id: string) =>
  t
    .http()
    .get('/api/v1/leaderboards/members')
    .query({ scope: county.branchA.id, period: 'month', limit: 0 })
    .set(auth(id));
const monthKey = () => scopeKey(periodId('month', new Date()), SELF_SCOPE);

/**
 * Another process's award: that process (support/other-process.ts: node with a client of its own) writes the
 * totals and the bucket's mark, as an app process would.
 */
async function awardElsewhere(userId: string, points: number): Promise<number> {
  const before = await other.findOneAndUpdate<{ v?: number }>(
    'points_member_totals',
    { _id: userId },
    {
      $inc: {
        [`t.${monthKey()}`]: points,
        [`t.${scopeKey(periodId('month', new Date()), county.branchA.id)}`]: points,
        v: 1,
      },
    },
    { returnDocument: 'before' },
  );
  await other.updateOne(
    'change_marks',
    { _id: 'buckets|points_member_totals' },
    bucketMarkUpdate(new Set([bucketOf(userId)])),
    { upsert: true },
  );
  return (before?.v ?? 0) + 1;
}

describe("a member's own totals held in memory", () => {
  test('when this process pays a member, then their /me and rank include it at once; a warm read reads no totals', async () => {
    const m = await buildMember({ branch: county.branchA });
    await givePoints(m.id, 3, `a1|${m.id}`);
    await boundPassed();
    expect((await me(m.id)).body.points.month).toBe(3);
    const warm = await me(m.id);
    expect(warm.body.points.month).toBe(3);
    expect((await myRank(m.id)).body.me.points).toBe(3);
    await givePoints(m.id, 4, `a2|${m.id}`);
    const paid = await me(m.id);
    expect(paid.body.points.month).toBe(7);
    expect(commands(paid)).toBe(commands(warm) + 1); // the totals read again, nothing else
    expect((await myRank(m.id)).body.me.points).toBe(7);
    expect(commands(await me(m.id))).toBe(commands(warm));
  });

  test('when another process pays a member, then this one shows it within the bound, and at once to a client that carries the new sequence', async () => {
    const m = await buildMember({ branch: county.branchA });
    await givePoints(m.id, 2, `b1|${m.id}`);
    await boundPassed();
    expect((await me(m.id)).body.points.month).toBe(2);
    const seq = await awardElsewhere(m.id, 5);
    // Held: within the bound this process may still show the totals it read.
    expect((await me(m.id)).body.points.month).toBe(2);
    // The member's own client was told the sequence by the other process's reply: read again.
    expect((await me(m.id, String(seq))).body.points.month).toBe(7);
    // Garbage in the header is ignored, never an error.
    expect((await me(m.id, 'x9; drop')).status).toBe(200);
    // Someone else's client: within the bound, by the bucket's mark.
    const n = await buildMember({ branch: county.branchA });
    await givePoints(n.id, 1, `b2|${n.id}`);
    await boundPassed(); // this process's own mark of the award read: only the other process's can drop n's view
    expect((await myRank(n.id)).body.me.points).toBe(1);
    await awardElsewhere(n.id, 6);
    expect((await myRank(n.id)).body.me.points).toBe(1);
    await boundPassed();
    expect((await myRank(n.id)).body.me.points).toBe(7);
    expect((await me(n.id)).body.points.month).toBe(7);
  });

  test("when a member is paid, then another member's held totals stay held (dropped per member)", async () => {
    const [a, b] = await Promise.all([1, 2].map(() => buildMember({ branch: county.branchA })));
    await givePoints(b.id, 1, `c0|${b.id}`);
    await boundPassed();
    await me(b.id);
    const warm = commands(await me(b.id));
    await givePoints(a.id, 2, `c1|${a.id}`);
    const after = await me(b.id);
    expect(after.body.points.month).toBe(1);
    expect(commands(after)).toBe(warm);
  });

  test("when this process pays a member, then other processes are told: their bucket's mark changes within the bound", async () => {
    const m = await buildMember({ branch: county.branchA });
    const marks = mongoose.connection.db!.collection<{ _id: string; b?: Record<string, string> }>('change_marks');
    const markOf = async () => (await marks.findOne({ _id: 'buckets|points_member_totals' }))?.b?.[bucketOf(m.id)];
    const before = await markOf();
    await givePoints(m.id, 1, `e0|${m.id}`);
    await sleep(BOUND / 2);
    expect(await markOf()).not.toBe(before);
  });

  test('when a request pays the member, then its reply carries their totals sequence', async () => {
    const m = await buildMember({ branch: county.branchA });
    await givePoints(m.id, 2, `d0|${m.id}`);
    const bank: CreateQuestionBody[] = Array.from({ length: 8 }, (_, i) => ({
      type: 'single' as const,
      stem: `序号测试题${i}：以下哪项正确？`,
      options: ['错甲', `对${i}`, '错乙', '错丙'],
      answer: ['B' as const],
      explanation: `解析${i}`,
      tags: ['党章党规'],
      difficulty: 1,
      active: true,
    }));
    await loadQuestions(bank);
    const start = await t.http().post('/api/v1/quiz/attempts').set(auth(m.id)).send({ kind: 'daily' });
    expect(start.headers['x-points-version']).toBeUndefined();
    const attempt = start.body as Attempt;
    const answers = attempt.questions.map((q) => ({
      questionId: q.id,
      choice: q.options.filter((o) => o.text.startsWith('对')).map((o) => o.key),
    }));
    const submit = await t.http().post(`/api/v1/quiz/attempts/${attempt.id}/submit`).set(auth(m.id)).send({ answers });
    expect(submit.body.pointsAwarded).toBeGreaterThan(0);
    expect(submit.headers['x-points-version']).toBe('2');
  });

  test('at most `max` members are held, the least recently read dropped first', async () => {
    const reads: string[] = [];
    const held = heldById(
      'points_member_totals',
      async (id) => {
        reads.push(id);
        return id;
      },
      2,
    );
    for (const id of ['a', 'b', 'a', 'c', 'a', 'b']) await held.get(id);
    expect(held.size()).toBe(2);
    // a, b read; a held; c read (b dropped: a was read since); a held; b read again.
    expect(reads).toEqual(['a', 'b', 'c', 'b']);
  });
});
