/**
 * Issue 17 (H6f): a start sends no write but its attempt's insert (the open-paper pointer is written off its path,
 * db/grouped-marks.ts groupedQueue), and attempts, never changed once dealt, are held in memory by id
 * (modules/quiz/attempts.ts). Between two app instances over one database (support/second-instance.ts): what each
 * instance holds never changes what a member is given or paid.
 */
import mongoose from 'mongoose';
import type supertest from 'supertest';
import type { Attempt } from '@pioneer/shared';
import { startTestApp, type TestApp } from './support/harness';
import { buildCounty, buildMember, type County } from './support/factories';
import { judgeBank } from './support/quiz-bank';
import { secondInstance, type SecondInstance } from './support/second-instance';
import { flushGroupedMarks } from '../src/db/grouped-marks';
import { LedgerModel } from '../src/modules/points/points.model';
import { loadQuestions } from '../src/modules/quiz/questions.service';
import { QuizMemoryModel } from '../src/modules/quiz/quiz.model';

type Instance = { http(): supertest.Agent };
let a: TestApp;
let b: SecondInstance;
let county: County;
const auth = (id: string) => ({ authorization: `Bearer ${a.tokenFor(id)}` });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Twenty judge questions whose answer is A: two fresh papers (5 each) almost surely differ. */
const BANK = judgeBank(20, '持有测试题', '持有');

async function start(app: Instance, userId: string): Promise<Attempt> {
  const res = await app.http().post('/api/v1/quiz/attempts').set(auth(userId)).send({ kind: 'daily' });
  expect(res.status).toBe(201);
  return res.body as Attempt;
}
/** Hands the paper in with the first `right` answers right (A) and the rest wrong (B). */
const hand = (app: Instance, userId: string, attempt: Attempt, right = attempt.questions.length) =>
  app
    .http()
    .post(`/api/v1/quiz/attempts/${attempt.id}/submit`)
    .set(auth(userId))
    .send({ answers: attempt.questions.map((q, i) => ({ questionId: q.id, choice: [i < right ? 'A' : 'B'] })) });
const paidTo = async (userId: string) => (await LedgerModel.find({ userId }).lean()).map((e) => e.delta);

beforeAll(async () => {
  a = await startTestApp();
  b = await secondInstance(mongoose.connection.db!.databaseName);
  county = await buildCounty();
  await loadQuestions(BANK);
});
afterAll(async () => {
  await b?.close();
  await a.close();
});
afterEach(() => jest.restoreAllMocks());

describe('the open paper written off the start', () => {
  test('when the pointer is not written yet (the engine refused it), then this process still resumes the paper, and the retry writes it', async () => {
    const member = await buildMember({ branch: county.branchA });
    jest.spyOn(QuizMemoryModel.collection, 'bulkWrite').mockRejectedValueOnce(new Error('engine away'));
    const first = await start(a, member.id);
    await sleep(50); // the window's write has been tried and refused
    expect(await QuizMemoryModel.findById(member.id).lean()).toBeNull();
    const again = await start(a, member.id);
    expect(again).toMatchObject({ id: first.id, resumed: true, pays: true });
    await sleep(1300); // the retry, a second later
    expect((await start(b, member.id)).id).toBe(first.id);
  });

  test('when the pointer has landed, then another process resumes the same paper', async () => {
    const member = await buildMember({ branch: county.branchA });
    const first = await start(a, member.id);
    await flushGroupedMarks();
    const elsewhere = await start(b, member.id);
    expect(elsewhere).toMatchObject({ id: first.id, resumed: true });
    expect(elsewhere.questions).toEqual(first.questions); // same option order too
  });

  test('when a crash loses the pointer, then the next start deals a fresh paper and the first still grades and pays once', async () => {
    const member = await buildMember({ branch: county.branchA });
    jest.spyOn(QuizMemoryModel.collection, 'bulkWrite').mockRejectedValue(new Error('process died here'));
    const first = await start(a, member.id);
    const fresh = await start(b, member.id); // instance a never wrote it: as after a crash
    expect(fresh.id).not.toBe(first.id);
    expect(fresh.resumed).toBe(false);
    const res = await hand(b, member.id, first, 3);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ correct: 3, pointsAwarded: 3 });
    expect((await hand(b, member.id, fresh)).body.pointsAwarded).toBe(0);
    expect(await paidTo(member.id)).toEqual([3]);
  });

  test('when the pointer and the submit both make a memory not yet there, then the submit still lands its mistakes', async () => {
    const member = await buildMember({ branch: county.branchA });
    const first = await start(a, member.id);
    const dup = Object.assign(new Error('E11000 duplicate key error'), { code: 11000 });
    jest.spyOn(QuizMemoryModel, 'updateOne').mockRejectedValueOnce(dup);
    const res = await hand(a, member.id, first, 2);
    expect(res.status).toBe(200);
    expect((await a.http().get('/api/v1/quiz/mistakes').set(auth(member.id))).body.items).toHaveLength(3);
  });
});

describe('attempts held by id', () => {
  test('when a paper dealt by one process is handed in 100 times at once to both, then it is graded against the paper given and paid once', async () => {
    const member = await buildMember({ branch: county.branchA });
    const paper = await start(a, member.id);
    const replies = await Promise.all(
      Array.from({ length: 100 }, (_, i) => hand(i % 2 ? a : b, member.id, paper, i % 2 ? 1 : 4)),
    );
    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect(new Set(replies.map((r) => JSON.stringify(r.body))).size).toBe(1);
    const body = replies[0]!.body;
    expect(body.results.map((r: { questionId: string }) => r.questionId)).toEqual(paper.questions.map((q) => q.id));
    expect([1, 4]).toContain(body.pointsAwarded);
    expect(await paidTo(member.id)).toEqual([body.pointsAwarded]);
  });

  test("when another member hands in a held paper, then 404 on either process and it stays the owner's", async () => {
    const [mine, other] = [
      await buildMember({ branch: county.branchA }),
      await buildMember({ branch: county.branchA }),
    ];
    const paper = await start(a, mine.id);
    expect((await hand(a, other.id, paper)).status).toBe(404);
    expect((await hand(b, other.id, paper)).status).toBe(404);
    expect((await hand(a, mine.id, paper, 2)).body.pointsAwarded).toBe(2);
  });
});
