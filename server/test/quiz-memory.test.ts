import { dayKey, RECENT_RIGHT_DAYS, type Attempt } from '@pioneer/shared';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildMember, type County } from './support/factories';
import { judgeBank } from './support/quiz-bank';
import { flushGroupedMarks } from '../src/db/grouped-marks';
import { loadQuestions } from '../src/modules/quiz/questions.service';
import { QuizMemoryModel, QuestionModel } from '../src/modules/quiz/quiz.model';

/**
 * Issue 17 (H7d): a member's quiz memory is bounded: the right answers older than RECENT_RIGHT_DAYS are dropped with
 * the next start's open-paper write (modules/quiz/memory.ts `staleRight`), so a long-lived member's document does not
 * grow with every question they ever answered right.
 */
let t: TestApp;
let county: County;
const auth = (id: string) => bearer(t, id);
const daysAgo = (n: number) => dayKey(Date.now() - n * 24 * 3600 * 1000);

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  await loadQuestions(judgeBank(20, '记忆测试题', '记忆'));
});
afterAll(() => t.close());

test('when a member starts a quiz, then their right answers older than the recent window are dropped, the recent ones and the mistake book kept', async () => {
  const m = await buildMember({ branch: county.branchA });
  const ids = (await QuestionModel.find({}, { _id: 1 }).lean<{ _id: string }[]>()).map((q) => q._id);
  // Years of right answers (questions since withdrawn among them), a few recent ones, one mistake.
  const old = Object.fromEntries(
    Array.from({ length: 300 }, (_, i) => [`gone${i}`, daysAgo(RECENT_RIGHT_DAYS + 1 + i)]),
  );
  const recent = { [ids[0]!]: daysAgo(1), [ids[1]!]: daysAgo(RECENT_RIGHT_DAYS) };
  await QuizMemoryModel.collection.insertOne({
    _id: m.id as never,
    right: { ...old, ...recent },
    wrong: { [ids[2]!]: { n: 1, at: new Date().toISOString() } },
  });
  const res = await t.http().post('/api/v1/quiz/attempts').set(auth(m.id)).send({ kind: 'daily' });
  expect(res.status).toBe(201);
  await flushGroupedMarks(); // the open-paper pointer's grouped write carries the drop
  const doc = await QuizMemoryModel.findById(m.id).lean<{
    right: Record<string, string>;
    wrong: object;
    open: object;
  }>();
  expect(doc!.right).toEqual(recent);
  expect(Object.keys(doc!.wrong)).toEqual([ids[2]]);
  expect(Object.values(doc!.open).map((o: { a: string }) => o.a)).toEqual([(res.body as Attempt).id]);
});

test('when a question of the paper just dealt is an old right answer, then it is not dropped (its submit writes it again, the drop must not undo that)', async () => {
  const m = await buildMember({ branch: county.branchA });
  const ids = (await QuestionModel.find({}, { _id: 1 }).lean<{ _id: string }[]>()).map((q) => q._id);
  // Every question answered right long ago: whatever the paper deals is one of them.
  await QuizMemoryModel.collection.insertOne({
    _id: m.id as never,
    right: Object.fromEntries(ids.map((id) => [id, daysAgo(RECENT_RIGHT_DAYS + 5)])),
  });
  const res = await t.http().post('/api/v1/quiz/attempts').set(auth(m.id)).send({ kind: 'daily' });
  expect(res.status).toBe(201);
  await flushGroupedMarks();
  const dealt = (res.body as Attempt).questions.map((q) => q.id).sort();
  const doc = await QuizMemoryModel.findById(m.id).lean<{ right: Record<string, string> }>();
  expect(Object.keys(doc!.right).sort()).toEqual(dealt);
});

test("when a member hands in a paper, then the memory is written after the reply, and this process's next read of it (the mistake book) already has it", async () => {
  const m = await buildMember({ branch: county.branchA });
  const start = await t.http().post('/api/v1/quiz/attempts').set(auth(m.id)).send({ kind: 'daily' });
  const paper = start.body as Attempt;
  // All wrong (judge questions: A is right): every question enters the mistake book.
  const answers = paper.questions.map((q) => ({ questionId: q.id, choice: ['B'] }));
  const submit = await t.http().post(`/api/v1/quiz/attempts/${paper.id}/submit`).set(auth(m.id)).send({ answers });
  expect(submit.status).toBe(200);
  const mistakes = await t.http().get('/api/v1/quiz/mistakes').set(auth(m.id));
  expect(mistakes.body.items).toHaveLength(paper.questions.length);
});
