import ExcelJS from 'exceljs';
import { startCountyApp, type TestApp } from './support/harness';
import { buildAdmin, buildCounty, buildMember, type County } from './support/factories';
import { loadQuestions } from '../src/modules/quiz/questions.service';
import { bankChanged } from '../src/modules/quiz/bank';
import { startAttempt, submitAttempt } from '../src/modules/quiz/quiz.service';
import { AttemptModel, QuestionModel } from '../src/modules/quiz/quiz.model';
import { LedgerModel } from '../src/modules/points/points.model';
import type { Attempt, AttemptResult, CreateQuestionBody } from '@pioneer/shared';
import { bearer, client } from './support/client';

let t: TestApp;
let county: County;
const auth = (id: string) => bearer(t, id);
const as = (id: string) => client(t, id);

/** A small bank whose right option text always starts with "对" and wrong ones with "错", so tests can answer. */
const BANK: CreateQuestionBody[] = [
  ...Array.from({ length: 8 }, (_, i) => ({
    type: 'single' as const,
    stem: `单选测试题${i}：以下哪项正确？`,
    options: ['错甲', `对${i}`, '错乙', '错丙'],
    answer: ['B' as const],
    explanation: `解析单选${i}`,
    tags: ['党章党规'],
    difficulty: 1,
    active: true,
  })),
  ...Array.from({ length: 4 }, (_, i) => ({
    type: 'multiple' as const,
    stem: `多选测试题${i}：以下哪些正确？`,
    options: [`对a${i}`, '错x', `对b${i}`, '错y'],
    answer: ['A' as const, 'C' as const],
    explanation: `解析多选${i}`,
    tags: ['三会一课'],
    difficulty: 2,
    active: true,
  })),
  ...Array.from({ length: 4 }, (_, i) => ({
    type: 'judge' as const,
    stem: `判断测试题${i}：这句话是对的。`,
    options: ['正确', '错误'],
    answer: ['A' as const],
    explanation: `解析判断${i}`,
    tags: ['三会一课'],
    difficulty: 1,
    active: true,
  })),
];

function rightChoice(q: Attempt['questions'][number]): string[] {
  if (q.type === 'judge') return ['A'];
  return q.options.filter((o) => o.text.startsWith('对')).map((o) => o.key);
}
function wrongChoice(q: Attempt['questions'][number]): string[] {
  return q.type === 'judge' ? ['B'] : [q.options.find((o) => o.text.startsWith('错'))!.key];
}

async function start(userId: string, body: object) {
  const res = await as(userId).post('/quiz/attempts', body);
  expect(res.status).toBe(201);
  return res.body as Attempt;
}
async function submit(userId: string, attempt: Attempt, rightCount: number) {
  const answers = attempt.questions.map((q, i) => ({
    questionId: q.id,
    choice: i < rightCount ? rightChoice(q) : wrongChoice(q),
  }));
  return as(userId).post(`/quiz/attempts/${attempt.id}/submit`, { answers });
}

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  await loadQuestions(BANK);
});
afterAll(() => t.close());

describe('daily quiz', () => {
  test('when a daily quiz starts, then 5 questions come back and no byte of the reply gives an answer away', async () => {
    const member = await buildMember({ branch: county.branchA });
    const res = await as(member.id).post('/quiz/attempts', { kind: 'daily' });
    expect(res.status).toBe(201);
    expect(res.body.questions).toHaveLength(5);
    expect(res.body.pays).toBe(true);
    const raw = res.text;
    for (const word of ['answer', 'explanation', '解析', 'correct']) expect(raw).not.toContain(word);
    for (const q of res.body.questions) expect(Object.keys(q).sort()).toEqual(['id', 'options', 'stem', 'type']);
  });

  test('when options are shuffled per attempt, then grading still follows the option text', async () => {
    const member = await buildMember({ branch: county.branchA });
    const orders = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const attempt = await start(member.id, { kind: 'topic', topic: '党章党规' });
      orders.add(attempt.questions.map((q) => q.options.map((o) => o.text).join(',')).join('|'));
      const res = await submit(member.id, attempt, attempt.questions.length);
      expect(res.body.correct).toBe(attempt.questions.length);
      for (const r of (res.body as AttemptResult).results) {
        expect(
          r.answer.map((k) => r.options.find((o) => o.key === k)!.text).every((text) => text.startsWith('对')),
        ).toBe(true);
        expect(r.explanation).toMatch(/^解析/);
      }
    }
    expect(orders.size).toBeGreaterThan(1);
  });

  test('when the first daily attempt of a day is submitted, then it pays 1 per right answer; a second attempt pays nothing', async () => {
    const member = await buildMember({ branch: county.branchA });
    const first = await start(member.id, { kind: 'daily' });
    const res = await submit(member.id, first, 3);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ correct: 3, total: 5, pointsAwarded: 3 });
    const second = await start(member.id, { kind: 'daily' });
    expect(second.pays).toBe(false);
    const again = await submit(member.id, second, 5);
    expect(again.body).toMatchObject({ correct: 5, pointsAwarded: 0 });
    const me = await as(member.id).get('/me');
    expect(me.body.points.all).toBe(3);
    const today = await as(member.id).get('/quiz/today');
    expect(today.body.daily).toEqual({ done: true, pointsToday: 3 });
  });

  test('when the same attempt is submitted 20 times at once, then it is graded and paid once and every reply is the same', async () => {
    const member = await buildMember({ branch: county.branchA });
    const attempt = await start(member.id, { kind: 'daily' });
    const replies = await Promise.all(Array.from({ length: 20 }, () => submit(member.id, attempt, 4)));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect(new Set(replies.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(replies[0]!.body.pointsAwarded).toBe(4);
    const ledger = await LedgerModel.find({ userId: member.id }).lean();
    expect(ledger.map((e) => e.delta)).toEqual([4]);
  });

  test('when the server stops between storing the result and paying it, then the repeat pays once and replies as the first would have', async () => {
    const member = await buildMember({ branch: county.branchA });
    const attempt = await start(member.id, { kind: 'daily' });
    // The ledger insert (with its journal line: ledger-insert.ts insertEntry) never reaches the engine. Only this
    // member's insert fails: the journal's group drops of earlier tests' awards use the same method meanwhile.
    const bulkWrite = LedgerModel.collection.bulkWrite.bind(LedgerModel.collection);
    let failed = 0;
    const spy = jest.spyOn(LedgerModel.collection, 'bulkWrite').mockImplementation(((ops: never[], options: never) => {
      const first = (ops as { updateOne?: { update?: { $setOnInsert?: { userId?: string } } } }[])[0];
      if (failed === 0 && first?.updateOne?.update?.$setOnInsert?.userId === member.id) {
        failed++;
        return Promise.reject(new Error('process died here'));
      }
      return bulkWrite(ops, options);
    }) as never);
    expect((await submit(member.id, attempt, 4)).status).toBe(500);
    spy.mockRestore();
    expect(failed).toBe(1);
    expect(await LedgerModel.find({ userId: member.id }).lean()).toEqual([]);
    // The repeat sends other answers: the stored grading stands, paid now.
    const replies = await Promise.all([submit(member.id, attempt, 1), submit(member.id, attempt, 5)]);
    for (const r of replies) expect(r.body).toMatchObject({ correct: 4, pointsAwarded: 4 });
    expect(replies[0]!.body.results.every((r: { answer: string[] }) => r.answer.length > 0)).toBe(true);
    expect((await LedgerModel.find({ userId: member.id }).lean()).map((e) => e.delta)).toEqual([4]);
    expect((await submit(member.id, attempt, 0)).body).toEqual(replies[0]!.body);
  });

  test('when a submit comes after the time limit, then 422 ATTEMPT_EXPIRED and nothing is paid', async () => {
    const member = await buildMember({ branch: county.branchA });
    const attempt = await start(member.id, { kind: 'daily' });
    await AttemptModel.updateOne({ _id: attempt.id }, { $set: { expiresAt: new Date(Date.now() - 60_000) } });
    const res = await submit(member.id, attempt, 5);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('ATTEMPT_EXPIRED');
    expect(await LedgerModel.countDocuments({ userId: member.id })).toBe(0);
  });

  test('when another member submits my attempt, then 404 and it stays unsubmitted', async () => {
    const [mine, other] = await Promise.all([
      buildMember({ branch: county.branchA }),
      buildMember({ branch: county.branchB }),
    ]);
    const attempt = await start(mine.id, { kind: 'daily' });
    const res = await submit(other.id, attempt, 5);
    expect(res.status).toBe(404);
    expect((await submit(mine.id, attempt, 2)).body.pointsAwarded).toBe(2);
  });

  test('when the answers are malformed, then 400 and nothing is graded', async () => {
    const member = await buildMember({ branch: county.branchA });
    const attempt = await start(member.id, { kind: 'daily' });
    for (const body of [
      { answers: [{ questionId: 'x', choice: ['Z'] }] },
      { answers: 'all' },
      { answers: [{ questionId: { $ne: 1 }, choice: [] }] },
    ]) {
      const res = await as(member.id).post(`/quiz/attempts/${attempt.id}/submit`, body);
      expect(res.status).toBe(400);
    }
    expect((await submit(member.id, attempt, 1)).body.pointsAwarded).toBe(1);
  });
});

describe('weekly, topic and mistakes', () => {
  test('when yesterday’s daily set was paid, then today’s first start still pays (the memory marks only the key it took)', async () => {
    const member = await buildMember({ branch: county.branchA });
    const quizzer = { id: member.id, county: county.county.id };
    const yesterday = new Date(Date.now() - 24 * 3600 * 1000);
    const first = await startAttempt(quizzer, { kind: 'daily' }, yesterday);
    expect(first.pays).toBe(true);
    await submitAttempt(member.id, first.id, [], yesterday);
    expect((await startAttempt(quizzer, { kind: 'daily' }, yesterday)).pays).toBe(false);
    expect((await startAttempt(quizzer, { kind: 'daily' })).pays).toBe(true);
  });

  test('when a weekly quiz is submitted twice in a week, then only the first pays', async () => {
    const member = await buildMember({ branch: county.branchA });
    const a = await start(member.id, { kind: 'weekly' });
    expect(a.questions).toHaveLength(10);
    expect((await submit(member.id, a, 7)).body.pointsAwarded).toBe(7);
    const b = await start(member.id, { kind: 'weekly' });
    expect((await submit(member.id, b, 10)).body.pointsAwarded).toBe(0);
  });

  test('when a topic set is answered twice, then it pays once', async () => {
    const member = await buildMember({ branch: county.branchA });
    const a = await start(member.id, { kind: 'topic', topic: '三会一课' });
    expect(a.questions.length).toBe(8);
    expect((await submit(member.id, a, 8)).body.pointsAwarded).toBe(8);
    const b = await start(member.id, { kind: 'topic', topic: '三会一课' });
    expect((await submit(member.id, b, 8)).body.pointsAwarded).toBe(0);
  });

  test('when a topic has no questions, then 422 NO_QUESTIONS; a topic kind without a topic is 400', async () => {
    const member = await buildMember({ branch: county.branchA });
    expect((await as(member.id).post('/quiz/attempts', { kind: 'topic', topic: '不存在的专题' })).status).toBe(422);
    expect((await as(member.id).post('/quiz/attempts', { kind: 'topic' })).status).toBe(400);
  });

  test('when questions are answered wrong, then they enter the mistake book until answered right in practice, which pays nothing', async () => {
    const member = await buildMember({ branch: county.branchA });
    const daily = await start(member.id, { kind: 'daily' });
    await submit(member.id, daily, 3);
    const book = await as(member.id).get('/quiz/mistakes');
    expect(book.body.items).toHaveLength(2);
    expect(book.body.items[0]).toMatchObject({ wrongCount: 1, explanation: expect.stringMatching(/^解析/) });
    const practice = await start(member.id, { kind: 'mistakes' });
    expect(practice.pays).toBe(false);
    expect(practice.questions.map((q) => q.id).sort()).toEqual(
      book.body.items.map((m: { questionId: string }) => m.questionId).sort(),
    );
    const res = await submit(member.id, practice, 2);
    expect(res.body.pointsAwarded).toBe(0);
    expect((await as(member.id).get('/quiz/mistakes')).body.items).toHaveLength(0);
    expect((await as(member.id).post('/quiz/attempts', { kind: 'mistakes' })).status).toBe(422);
  });

  test('when a member answered questions right lately, then the next quiz picks fresh ones first', async () => {
    const member = await buildMember({ branch: county.branchA });
    const first = await start(member.id, { kind: 'topic', topic: '党章党规' });
    await submit(member.id, first, 8);
    const daily = await start(member.id, { kind: 'daily' });
    const fresh = daily.questions.filter((q) => !first.questions.some((f) => f.id === q.id));
    expect(fresh).toHaveLength(5);
  });
});

describe('free answer key (issue 13, finding 8)', () => {
  const empty = (userId: string, attempt: Attempt) =>
    as(userId).post(`/quiz/attempts/${attempt.id}/submit`, { answers: [] });

  test.each([
    ['daily', { kind: 'daily' }],
    ['weekly', { kind: 'weekly' }],
    ['topic', { kind: 'topic', topic: '三会一课' }],
  ])(
    'when a %s attempt is handed in empty, then it takes the paid slot: the next attempt is practice and pays nothing',
    async (_kind, body) => {
      const member = await buildMember({ branch: county.branchA });
      const first = await start(member.id, body);
      expect(first.pays).toBe(true);
      const blank = await empty(member.id, first);
      expect(blank.status).toBe(200);
      expect(blank.body.pointsAwarded).toBe(0);
      const second = await start(member.id, body);
      expect(second.pays).toBe(false);
      expect((await submit(member.id, second, second.questions.length)).body).toMatchObject({
        correct: second.questions.length,
        pointsAwarded: 0,
      });
      expect((await as(member.id).get('/me')).body.points.all).toBe(0);
      const today = await as(member.id).get('/quiz/today');
      if (body.kind === 'daily') expect(today.body.daily).toEqual({ done: true, pointsToday: 0 });
      if (body.kind === 'weekly') expect(today.body.weekly).toEqual({ done: true });
      if (body.kind === 'topic')
        expect(today.body.topics.find((x: { tag: string }) => x.tag === '三会一课').done).toBe(true);
    },
  );

  test('when an unpaid practice is handed in, then answers come back only for the questions answered, and the rest stay out of the mistake book', async () => {
    const member = await buildMember({ branch: county.branchA });
    await submit(member.id, await start(member.id, { kind: 'daily' }), 5);
    const practice = await start(member.id, { kind: 'daily' });
    expect(practice.pays).toBe(false);
    const answered = practice.questions.slice(0, 2);
    const res = await as(member.id).post(`/quiz/attempts/${practice.id}/submit`, {
      answers: [
        { questionId: answered[0]!.id, choice: rightChoice(answered[0]!) },
        { questionId: answered[1]!.id, choice: wrongChoice(answered[1]!) },
      ],
    });
    expect(res.status).toBe(200);
    const results = (res.body as AttemptResult).results;
    expect(results).toHaveLength(5);
    expect(results.slice(0, 2).every((r) => r.answer.length > 0 && r.explanation.startsWith('解析'))).toBe(true);
    for (const r of results.slice(2))
      expect(r).toMatchObject({ choice: [], correct: false, answer: [], explanation: '' });
    // The stored result (what a repeat submit reads back) withholds them the same way.
    const again = await empty(member.id, practice);
    expect(again.body).toEqual(res.body);
    // Only the answered wrong question enters the mistake book (which shows answers).
    const book = await as(member.id).get('/quiz/mistakes');
    expect(book.body.items.map((m: { questionId: string }) => m.questionId)).toEqual([answered[1]!.id]);
    // Handing a practice in empty gives away nothing.
    const blank = await empty(member.id, await start(member.id, { kind: 'daily' }));
    expect(
      blank.body.results.every(
        (r: { answer: string[]; explanation: string }) => r.answer.length === 0 && r.explanation === '',
      ),
    ).toBe(true);
  });
});

describe('challenge', () => {
  async function runChallenge(userId: string, rightAnswers: number) {
    const attempt = await start(userId, { kind: 'challenge' });
    expect(attempt.questions).toHaveLength(1);
    let question = attempt.questions[0]!;
    for (let i = 0; ; i++) {
      const choice = i < rightAnswers ? rightChoice(question) : wrongChoice(question);
      const res = await as(userId).post(`/quiz/attempts/${attempt.id}/next`, { questionId: question.id, choice });
      expect(res.status).toBe(200);
      if (res.body.result) return res.body;
      expect(res.body).toMatchObject({ correct: true, streak: i + 1 });
      expect(JSON.stringify(res.body.next)).not.toContain('解析');
      question = res.body.next;
    }
  }

  test('when a challenge answer is wrong, then the run ends there with the streak so far', async () => {
    const member = await buildMember({ branch: county.branchA });
    const end = await runChallenge(member.id, 2);
    expect(end).toMatchObject({ correct: false, streak: 2, next: null });
    expect(end.result).toMatchObject({ kind: 'challenge', correct: 2, total: 3, pointsAwarded: 0 });
  });

  test('when a streak reaches 5, then it pays 3 once a day', async () => {
    const member = await buildMember({ branch: county.branchA });
    expect((await runChallenge(member.id, 6)).result.pointsAwarded).toBe(3);
    expect((await runChallenge(member.id, 7)).result.pointsAwarded).toBe(0);
    expect((await as(member.id).get('/me')).body.points.all).toBe(3);
  });

  test('when a member stops a challenge after 5 right answers, then the run is kept and pays', async () => {
    const member = await buildMember({ branch: county.branchA });
    const attempt = await start(member.id, { kind: 'challenge' });
    let question = attempt.questions[0]!;
    for (let i = 0; i < 5; i++) {
      const res = await as(member.id).post(`/quiz/attempts/${attempt.id}/next`, {
        questionId: question.id,
        choice: rightChoice(question),
      });
      question = res.body.next;
    }
    const stop = await as(member.id).post(`/quiz/attempts/${attempt.id}/submit`, { answers: [] });
    expect(stop.status).toBe(200);
    expect(stop.body).toMatchObject({ kind: 'challenge', correct: 5, total: 5, pointsAwarded: 3 });
    const late = await as(member.id).post(`/quiz/attempts/${attempt.id}/next`, {
      questionId: question.id,
      choice: rightChoice(question),
    });
    expect(late.body).toMatchObject({ next: null, result: { correct: 5 } });
  });

  test('when an answer skips ahead, then 422', async () => {
    const member = await buildMember({ branch: county.branchA });
    const attempt = await start(member.id, { kind: 'challenge' });
    const stored = await AttemptModel.findById(attempt.id).lean();
    const res = await as(member.id).post(`/quiz/attempts/${attempt.id}/next`, {
      questionId: stored!.questionIds[3],
      choice: ['A'],
    });
    expect(res.status).toBe(422);
  });
});

describe('question bank administration', () => {
  let admin: { id: string };
  beforeAll(async () => {
    admin = await buildAdmin({ of: county.county, branch: county.branchA });
  });

  test('when a member opens the question console, then 403', async () => {
    const member = await buildMember({ branch: county.branchA });
    expect((await as(member.id).get('/quiz/questions')).status).toBe(403);
    expect((await as(member.id).post('/quiz/questions', BANK[0])).status).toBe(403);
  });

  test('when an admin creates, edits and deactivates a question, then members stop getting it', async () => {
    const created = await as(admin.id).post('/quiz/questions', {
      type: 'judge',
      stem: '新增判断题：主题党日每月相对固定一天。',
      options: ['正确', '错误'],
      answer: ['A'],
      explanation: '每月固定一天',
      tags: ['新专题'],
    });
    expect(created.status).toBe(201);
    const dup = await as(admin.id).post('/quiz/questions', {
      type: 'judge',
      stem: '新增判断题:主题党日每月相对固定一天',
      options: ['正确', '错误'],
      answer: ['A'],
    });
    expect(dup.status).toBe(409);
    const bad = await as(admin.id).patch(`/quiz/questions/${created.body.id}`, { answer: ['A', 'B'] });
    expect(bad.status).toBe(400);
    const member = await buildMember({ branch: county.branchA });
    expect((await start(member.id, { kind: 'topic', topic: '新专题' })).questions).toHaveLength(1);
    const off = await as(admin.id).patch(`/quiz/questions/${created.body.id}`, { active: false });
    expect(off.body.active).toBe(false);
    expect((await as(member.id).post('/quiz/attempts', { kind: 'topic', topic: '新专题' })).status).toBe(422);
  });

  test('when the list is searched and filtered, then only matching questions come back', async () => {
    const res = await as(admin.id).get('/quiz/questions').query({ q: '多选测试题', type: 'multiple', limit: 3 });
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(4);
    expect(res.body.items).toHaveLength(3);
    const next = await as(admin.id)
      .get('/quiz/questions')
      .query({ q: '多选测试题', type: 'multiple', limit: 3, cursor: res.body.nextCursor });
    expect(next.body.items).toHaveLength(1);
    expect(next.body.nextCursor).toBeNull();
  });

  test('when a CSV with good, duplicate and bad rows is imported, then good rows land and bad ones are reported by row', async () => {
    const csv = [
      '题干,类型,选项A,选项B,选项C,选项D,答案,解析,标签,难度',
      '导入题一：党支部委员会一般每月召开几次？,单选,1次,2次,3次,4次,A,每月一次,三会一课,1',
      '导入题二：下列属于三会一课的有？,多选,支部党员大会,支委会,党小组会,茶话会,ABC,三会一课,三会一课,2',
      '导入题三：党课一般每季度至少一次。,判断,,,,,正确,每季度至少一次,三会一课,1',
      '导入题四：答案超出范围,单选,甲,乙,,,E,,,1',
      '导入题五：类型不认识,问答,甲,乙,,,A,,,1',
      `${BANK[0]!.stem},单选,${BANK[0]!.options.join(',')},B,,党章党规,1`,
      '导入题六：多选只有一个答案,多选,甲,乙,丙,,A,,,1',
    ].join('\n');
    const res = await t
      .http()
      .post('/api/v1/quiz/questions/import')
      .set(auth(admin.id))
      .attach('file', Buffer.from(`\uFEFF${csv}`), 'bank.csv');
    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(3);
    expect(res.body.skipped).toBe(1);
    expect(res.body.errors.map((e: { row: number }) => e.row)).toEqual([5, 6, 8]);
    expect(res.body.errors[1].message).toContain('问答');
    const judge = await QuestionModel.findOne({ stem: '导入题三：党课一般每季度至少一次。' }).lean();
    expect(judge).toMatchObject({ type: 'judge', options: ['正确', '错误'], answer: ['A'] });
  });

  test('when an XLSX is imported, then its rows land the same way', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('题库');
    sheet.addRow(['题干', '类型', '选项A', '选项B', '选项C', '答案', '解析', '标签', '难度']);
    sheet.addRow([
      '表格题一：党员的预备期为几年？',
      '单选',
      '半年',
      '一年',
      '两年',
      'B',
      '预备期为一年',
      '党章党规',
      1,
    ]);
    sheet.addRow(['表格题二：缺少答案', '单选', '甲', '乙', '', '', '', '', 1]);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const res = await t
      .http()
      .post('/api/v1/quiz/questions/import')
      .set(auth(admin.id))
      .attach('file', buffer, 'bank.xlsx');
    expect(res.body).toMatchObject({ imported: 1, skipped: 0, errors: [{ row: 3 }] });
  });

  test('when a file is not a sheet, then it is refused clearly', async () => {
    const text = await t
      .http()
      .post('/api/v1/quiz/questions/import')
      .set(auth(admin.id))
      .attach('file', Buffer.from('hello'), 'notes.txt');
    expect(text.status).toBe(415);
    const broken = await t
      .http()
      .post('/api/v1/quiz/questions/import')
      .set(auth(admin.id))
      .attach('file', Buffer.from('not a zip'), 'bank.xlsx');
    expect(broken.body.errors[0].message).toContain('无法读取');
    const none = await as(admin.id).post('/quiz/questions/import');
    expect(none.status).toBe(400);
  });
});

describe('question bank owners (issue 13, finding 4)', () => {
  const patch = (userId: string, id: string, body: object) => as(userId).patch(`/quiz/questions/${id}`, body);
  const list = (userId: string, query: object = {}) =>
    as(userId)
      .get('/quiz/questions')
      .query({ limit: 100, ...query });
  const ownQuestion = (stem: string, tag: string) => ({
    type: 'judge',
    stem,
    options: ['正确', '错误'],
    answer: ['A'],
    explanation: '本县自有题',
    tags: [tag],
  });

  let countyAdmin: { id: string }, townAdmin: { id: string }, otherCountyAdmin: { id: string };
  let other: County;
  beforeAll(async () => {
    other = await buildCounty();
    countyAdmin = await buildAdmin({ of: county.county, branch: county.branchA });
    townAdmin = await buildAdmin({ of: county.townA, branch: county.branchA });
    otherCountyAdmin = await buildAdmin({ of: other.county, branch: other.branchA });
  });

  test('when any admin edits or deactivates a platform question, then 403 and it is unchanged; the console shows it read-only', async () => {
    const platform = (await QuestionModel.findOne({ stem: BANK[0]!.stem }).lean())!;
    for (const admin of [countyAdmin, townAdmin, otherCountyAdmin]) {
      expect((await patch(admin.id, platform._id, { active: false })).status).toBe(403);
      expect((await patch(admin.id, platform._id, { answer: ['A'] })).status).toBe(403);
    }
    expect(await QuestionModel.findById(platform._id).lean()).toMatchObject({ active: true, answer: ['B'] });
    const row = (await list(countyAdmin.id, { q: BANK[0]!.stem })).body.items[0];
    expect(row).toMatchObject({ id: platform._id, owner: 'platform', editable: false });
  });

  test("when a county admin adds a question, then it is the county's: its members get it, other counties do not see it, and only county admins edit it", async () => {
    const created = await as(countyAdmin.id).post(
      '/quiz/questions',
      ownQuestion('本县自有题：村务公开每季度至少一次。', '本县专题'),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ owner: county.county.id, editable: true });

    const mine = await buildMember({ branch: county.branchB });
    expect((await start(mine.id, { kind: 'topic', topic: '本县专题' })).questions.map((q) => q.id)).toEqual([
      created.body.id,
    ]);
    expect((await as(mine.id).get('/quiz/today')).body.topics.map((x: { tag: string }) => x.tag)).toContain('本县专题');
    const stranger = await buildMember({ branch: other.branchA });
    expect((await as(stranger.id).post('/quiz/attempts', { kind: 'topic', topic: '本县专题' })).status).toBe(422);
    expect((await as(stranger.id).get('/quiz/today')).body.topics.map((x: { tag: string }) => x.tag)).not.toContain(
      '本县专题',
    );
    // Platform questions still reach both counties.
    expect((await start(stranger.id, { kind: 'topic', topic: '党章党规' })).questions.length).toBeGreaterThan(0);

    expect((await list(otherCountyAdmin.id, { q: '本县自有题' })).body.total).toBe(0);
    expect((await patch(otherCountyAdmin.id, created.body.id, { active: false })).status).toBe(403);
    // A township admin of the county sees it read-only and may not change it (the whole county draws from it).
    expect((await list(townAdmin.id, { q: '本县自有题' })).body.items[0]).toMatchObject({
      id: created.body.id,
      editable: false,
    });
    expect((await patch(townAdmin.id, created.body.id, { active: false })).status).toBe(403);
    const off = await patch(countyAdmin.id, created.body.id, { active: false });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ active: false, editable: true });
  });

  test('when a township admin tries to add or import questions, then 403 and nothing is written; the console is told it cannot', async () => {
    const before = await QuestionModel.countDocuments();
    expect(
      (await as(townAdmin.id).post('/quiz/questions', ownQuestion('乡镇题：乡镇不能往县题库加题。', '乡镇专题')))
        .status,
    ).toBe(403);
    const csv = '题干,类型,答案\n乡镇导入题：不应写入。,判断,正确';
    expect(
      (
        await t
          .http()
          .post('/api/v1/quiz/questions/import')
          .set(auth(townAdmin.id))
          .attach('file', Buffer.from(csv), 'bank.csv')
      ).status,
    ).toBe(403);
    expect(await QuestionModel.countDocuments()).toBe(before);
    expect((await list(townAdmin.id)).body.canCreate).toBe(false);
    expect((await list(countyAdmin.id)).body.canCreate).toBe(true);
  });

  test('when two counties add the same stem, then each has its own; a stem of the platform bank is refused as a duplicate', async () => {
    const stem = '两县同题：党员应当按期参加组织生活。';
    expect((await as(countyAdmin.id).post('/quiz/questions', ownQuestion(stem, '同题'))).status).toBe(201);
    expect((await as(otherCountyAdmin.id).post('/quiz/questions', ownQuestion(stem, '同题'))).status).toBe(201);
    const dup = await as(otherCountyAdmin.id).post('/quiz/questions', { ...BANK[0], stem: BANK[0]!.stem });
    expect(dup.status).toBe(409);
  });

  test('when a question was stored before owners existed, then it is a platform question: read-only, and every county gets it', async () => {
    const id = 'legacyq000000000000000001';
    await QuestionModel.collection.insertOne({
      _id: id as never,
      type: 'judge',
      stem: '旧题：这道题没有归属。',
      stemKey: '旧题这道题没有归属',
      options: ['正确', '错误'],
      answer: ['A'],
      explanation: '',
      tags: ['旧专题'],
      difficulty: 1,
      active: true,
    });
    await bankChanged();
    expect((await patch(countyAdmin.id, id, { active: false })).status).toBe(403);
    for (const branch of [county.branchA, other.branchA]) {
      const member = await buildMember({ branch });
      expect((await start(member.id, { kind: 'topic', topic: '旧专题' })).questions.map((q) => q.id)).toEqual([id]);
    }
  });
});
