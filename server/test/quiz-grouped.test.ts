/**
 * Issue 17 (H8b): under load the quiz's own commands go in groups: the attempts of starts in flight together in one
 * insert, their members' quiz memories in one read, the results of submits in one insert (db/grouped-inserts.ts,
 * db/key-reads.ts). A paper is still stored before its start replies and a result still decides, alone, that an
 * attempt is graded and paid once. Also: a paper is drawn from the bank without shuffling all of it, fairly.
 */
import mongoose from 'mongoose';
import type supertest from 'supertest';
import type { Attempt } from '@pioneer/shared';
import { startTestApp, type TestApp } from './support/harness';
import { buildCounty, buildMember, type County } from './support/factories';
import { judgeBank } from './support/quiz-bank';
import { secondInstance, type SecondInstance } from './support/second-instance';
import { LedgerModel } from '../src/modules/points/points.model';
import { loadQuestions } from '../src/modules/quiz/questions.service';
import { pickQuestions } from '../src/modules/quiz/grading';
import { startAttempt } from '../src/modules/quiz/quiz.service';
import type { BankQuestion } from '../src/modules/quiz/bank';

type Instance = { http(): supertest.Agent };
let a: TestApp;
let b: SecondInstance;
let county: County;
const auth = (id: string) => ({ authorization: `Bearer ${a.tokenFor(id)}` });

const start = (app: Instance, userId: string) =>
  app.http().post('/api/v1/quiz/attempts').set(auth(userId)).send({ kind: 'daily' });
/** Hands the paper in with the first `right` answers right (A) and the rest wrong (B). */
const hand = (app: Instance, userId: string, attempt: Attempt, right: number) =>
  app
    .http()
    .post(`/api/v1/quiz/attempts/${attempt.id}/submit`)
    .set(auth(userId))
    .send({ answers: attempt.questions.map((q, i) => ({ questionId: q.id, choice: [i < right ? 'A' : 'B'] })) });

/** The commands `work` sent, by "name collection", and the documents its inserts carried. */
async function sent<T>(work: () => Promise<T>): Promise<{ result: T; count: Map<string, number>; docs: number }> {
  const count = new Map<string, number>();
  let docs = 0;
  const client = mongoose.connection.getClient();
  const watch = (e: { commandName: string; command: Record<string, unknown> }) => {
    const key = `${e.commandName} ${String(e.command[e.commandName])}`;
    count.set(key, (count.get(key) ?? 0) + 1);
    if (e.commandName === 'insert') docs += (e.command.documents as unknown[]).length;
  };
  client.on('commandStarted', watch);
  try {
    return { result: await work(), count, docs };
  } finally {
    client.off('commandStarted', watch);
  }
}

beforeAll(async () => {
  a = await startTestApp();
  b = await secondInstance(mongoose.connection.db!.databaseName);
  county = await buildCounty();
  await loadQuestions(judgeBank(20, '成组测试题', '成组'));
});
afterAll(async () => {
  await b?.close();
  await a.close();
});

describe('the quiz under load', () => {
  test('when 30 members start at once, then every paper is stored before its reply, in fewer attempt inserts and memory reads than starts', async () => {
    const members = await Promise.all(Array.from({ length: 30 }, () => buildMember({ branch: county.branchA })));
    // Through the service, all asked in one tick (over HTTP, when each request's reads start depends on the load).
    const { result, count } = await sent(() =>
      Promise.all(members.map((m) => startAttempt({ id: m.id, county: county.county.id }, { kind: 'daily' }))),
    );
    // One by one these were 30 inserts and 30 reads; grouped, those asked while one is in flight gather behind it.
    expect(count.get('insert quiz_attempts')).toBeLessThan(30);
    expect((count.get('find quiz_memory') ?? 0) + (count.get('findOne quiz_memory') ?? 0)).toBeLessThan(30);
    // Stored when replied: the other instance, which holds none of them, grades and pays each.
    const handed = await Promise.all(result.map((paper, i) => hand(b, members[i]!.id, paper, 3)));
    expect(handed.map((r) => [r.status, r.body.pointsAwarded])).toEqual(Array(30).fill([200, 3]));
  });

  test('when 30 members hand in at once and one of them 10 times over, then fewer result inserts than submits, and each paper is graded and paid once', async () => {
    const members = await Promise.all(Array.from({ length: 30 }, () => buildMember({ branch: county.branchA })));
    const papers = await Promise.all(members.map(async (m) => (await start(a, m.id)).body as Attempt));
    const [first] = members;
    const repeats = Array.from({ length: 10 }, (_, i) => ({ m: first!, paper: papers[0]!, right: i % 2 ? 1 : 4 }));
    const submits = [...members.map((m, i) => ({ m, paper: papers[i]!, right: 2 })), ...repeats];
    const { result, count, docs } = await sent(() =>
      Promise.all(submits.map((s) => hand(a, s.m.id, s.paper, s.right))),
    );
    expect(result.every((r) => r.status === 200)).toBe(true);
    expect(docs).toBeGreaterThanOrEqual(40); // every submit's result went to an insert ...
    expect(count.get('insert quiz_results')).toBeLessThan(40); // ... in groups
    // The repeated paper: one result (a duplicate in the same group refused alone), every reply that result, paid once.
    const mine = [result[0]!, ...result.slice(30)];
    expect(new Set(mine.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect((await LedgerModel.find({ userId: first!.id }).lean()).map((e) => e.delta)).toEqual([
      mine[0]!.body.pointsAwarded,
    ]);
    expect(result.slice(1, 30).every((r) => r.body.pointsAwarded === 2)).toBe(true);
  });
});

describe("the quiz's home", () => {
  test("when a member opens it, then the day's, week's and every topic's payments are one ledger read", async () => {
    const member = await buildMember({ branch: county.branchA });
    const paper = (await start(a, member.id)).body as Attempt;
    expect((await hand(a, member.id, paper, 4)).body.pointsAwarded).toBe(4);
    const { result, count } = await sent(() => a.http().get('/api/v1/quiz/today').set(auth(member.id)));
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ daily: { done: true, pointsToday: 4 }, weekly: { done: false } });
    expect(result.body.topics).toEqual([{ tag: '成组', questions: 20, done: false }]);
    // One by one: the daily, weekly and challenge keys and one per topic (4 here).
    expect(count.get('find ledger')).toBe(1);
  });
});

describe('drawing a paper', () => {
  const pool = Array.from({ length: 20 }, (_, i) => ({ id: `q${i}` }) as BankQuestion);

  test('when 5 of 20 are drawn 4,000 times, then each question comes up about as often, at every place of the paper', () => {
    const seen = new Map<string, number>();
    const firsts = new Map<string, number>();
    for (let k = 0; k < 4000; k++) {
      const picked = pickQuestions(pool, 5, new Set());
      expect(new Set(picked.map((q) => q.id)).size).toBe(5);
      for (const q of picked) seen.set(q.id, (seen.get(q.id) ?? 0) + 1);
      firsts.set(picked[0]!.id, (firsts.get(picked[0]!.id) ?? 0) + 1);
    }
    // Expected 1,000 each (5 of 20) and 200 first; the bounds are ~6 standard deviations.
    for (const q of pool) {
      expect(seen.get(q.id)).toBeGreaterThan(830);
      expect(seen.get(q.id)).toBeLessThan(1170);
      expect(firsts.get(q.id)).toBeGreaterThan(120);
      expect(firsts.get(q.id)).toBeLessThan(280);
    }
  });

  test('when some were answered right lately, then fresh ones fill the paper first and the rest come from the others', () => {
    const avoid = new Set(pool.slice(0, 17).map((q) => q.id));
    for (let k = 0; k < 50; k++) {
      const picked = pickQuestions(pool, 5, avoid).map((q) => q.id);
      expect(picked.slice(0, 3).sort()).toEqual(['q17', 'q18', 'q19']);
      expect(picked.slice(3).every((id) => avoid.has(id))).toBe(true);
      expect(new Set(picked).size).toBe(5);
    }
    expect(pickQuestions(pool.slice(0, 3), 5, new Set())).toHaveLength(3);
  });
});
