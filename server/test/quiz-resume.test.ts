import type { Attempt } from '@pioneer/shared';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildMember, type County } from './support/factories';
import { judgeBank } from './support/quiz-bank';
import { loadQuestions } from '../src/modules/quiz/questions.service';
import { AttemptModel } from '../src/modules/quiz/quiz.model';

let t: TestApp;
let county: County;
const auth = (id: string) => bearer(t, id);

/** Twenty judge questions, so two fresh daily papers (5 each) would almost surely differ. */
const BANK = judgeBank(20, '续答测试题', '续答');

async function start(userId: string, body: object): Promise<Attempt> {
  const res = await t.http().post('/api/v1/quiz/attempts').set(auth(userId)).send(body);
  expect(res.status).toBe(201);
  return res.body as Attempt;
}
const ids = (a: Attempt) => a.questions.map((q) => q.id);
const hand = (userId: string, a: Attempt) =>
  t
    .http()
    .post(`/api/v1/quiz/attempts/${a.id}/submit`)
    .set(auth(userId))
    .send({ answers: a.questions.map((q) => ({ questionId: q.id, choice: ['A'] })) });

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  await loadQuestions(BANK);
});
afterAll(() => t.close());

describe('quiz resume (issue 15): leaving mid-way and coming back resumes the same paper', () => {
  test('when a member re-enters an open daily paper, then the same attempt comes back with its clock running, not a fresh set', async () => {
    const member = await buildMember({ branch: county.branchA });
    const first = await start(member.id, { kind: 'daily' });
    expect(first.resumed).toBe(false);
    expect(first.secondsLeft).toBeGreaterThan(290);
    const again = await start(member.id, { kind: 'daily' });
    expect(again).toMatchObject({ id: first.id, resumed: true, expiresAt: first.expiresAt, pays: true });
    expect(ids(again)).toEqual(ids(first));
    expect(again.questions).toEqual(first.questions); // same option order too
    expect(await AttemptModel.countDocuments({ userId: member.id })).toBe(1);
  });

  test('when two starts of one paper arrive at once (a double tap, a page loaded twice), then both get the same attempt', async () => {
    const member = await buildMember({ branch: county.branchA });
    const [a, b] = await Promise.all([start(member.id, { kind: 'daily' }), start(member.id, { kind: 'daily' })]);
    // Two papers would lose the answers: the phone keeps them under the first one's id, the server resumes the other.
    expect(b.id).toBe(a.id);
    expect([a.resumed, b.resumed].sort()).toEqual([false, true]);
    expect(await AttemptModel.countDocuments({ userId: member.id })).toBe(1);
  });

  test('when the clock has nearly run out, then re-entering deals a fresh paper', async () => {
    const member = await buildMember({ branch: county.branchA });
    const first = await start(member.id, { kind: 'weekly' });
    await AttemptModel.updateOne({ _id: first.id }, { $set: { expiresAt: new Date(Date.now() + 10_000) } });
    const again = await start(member.id, { kind: 'weekly' });
    expect(again.id).not.toBe(first.id);
    expect(again.resumed).toBe(false);
  });

  test('when the paper was handed in, then the next start is a new practice paper', async () => {
    const member = await buildMember({ branch: county.branchA });
    const first = await start(member.id, { kind: 'daily' });
    expect((await hand(member.id, first)).status).toBe(200);
    const next = await start(member.id, { kind: 'daily' });
    expect(next.id).not.toBe(first.id);
    expect(next).toMatchObject({ resumed: false, pays: false });
  });

  test('each kind (and topic) keeps its own open paper, and one member never resumes another one', async () => {
    const a = await buildMember({ branch: county.branchA });
    const b = await buildMember({ branch: county.branchA });
    const daily = await start(a.id, { kind: 'daily' });
    const topic = await start(a.id, { kind: 'topic', topic: '续答' });
    expect(topic.id).not.toBe(daily.id);
    expect((await start(a.id, { kind: 'topic', topic: '续答' })).id).toBe(topic.id);
    expect((await start(a.id, { kind: 'daily' })).id).toBe(daily.id);
    expect((await start(b.id, { kind: 'daily' })).id).not.toBe(daily.id);
  });
});
