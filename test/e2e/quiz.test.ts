/**
 * End-to-end: a member takes today's daily quiz in the H5 app (Chromium), sees the result with explanations, and
 * sees points and rank change on 我的 — checked against the API at each step. The test knows the right answers
 * only by looking the shown stem up in the question bank, as a member who knows the material would.
 */
import type { Me, MemberBoard } from '@pioneer/shared';
import { QuestionModel } from '../../server/src/modules/quiz/quiz.model';
import { api, byId, click, devLogin, shot, startE2E, stepper, stopE2E, until, visibleText, type E2E } from './support';

jest.setTimeout(240_000);

let e: E2E;
let token: string;
let before: Me;
const step = stepper(() => e?.timings);

beforeAll(async () => {
  e = await startE2E();
}, 420_000);
afterAll(() => stopE2E(e, 'quiz'));

const number = (text: string) => Number(/-?\d+/.exec(text)?.[0] ?? NaN);
const branchRank = async () =>
  (await api<MemberBoard>(e, 'GET', `/leaderboards/members?scope=${before.org!.id}&period=month&limit=1`, token)).me;

/** Picks the options whose text is the bank's answer (or deliberately a wrong one), then moves on. */
async function answerShownQuestion(right: boolean): Promise<void> {
  const question = byId(e, 'quiz-question');
  const stem = (await question.locator('.qv__stem').first().innerText()).trim();
  const stored = await QuestionModel.findOne({ stem }).lean();
  if (!stored) throw new Error(`the shown stem is not in the bank: ${stem}`);
  const rightTexts = stored.answer.map((k) => stored.options['ABCDEF'.indexOf(k)]!);
  const options = question.locator('[data-testid^="quiz-option-"]');
  const count = await options.count();
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    const option = options.nth(i);
    const text = (await option.locator('.qv__text').innerText()).trim();
    const isRight = rightTexts.includes(text);
    if (right ? isRight : !isRight && keys.length === 0) keys.push((await option.getAttribute('data-testid'))!);
  }
  for (const key of keys) await click(e, `choose ${key}`, byId(e, key));
}

describe('daily quiz in the H5 app', () => {
  step('a member opens 学习 and starts today’s quiz', async () => {
    token = await devLogin(e, 'demo-member', '陈党员');
    before = await api<Me>(e, 'GET', '/me', token);
    await e.page.goto(`${e.app.baseUrl}/#/pages/study/index`);
    await until(
      e,
      'study: daily card',
      () => byId(e, 'study-daily-start').count(),
      (n) => n === 1,
    );
    await shot(e, 'quiz-01-study');
    await click(e, 'start daily', byId(e, 'study-daily-start'));
    await until(
      e,
      'quiz: first question',
      () => byId(e, 'quiz-question').count(),
      (n) => n === 1,
    );
    expect(await visibleText(e, 'quiz-progress')).toContain('共5题');
    expect(await visibleText(e, 'quiz-countdown')).toMatch(/^0[45]:\d\d$/);
    await shot(e, 'quiz-02-question');
  });

  step('they answer four right and one wrong and hand in', async () => {
    for (let i = 0; i < 5; i++) {
      await until(
        e,
        `quiz: question ${i + 1}`,
        () => visibleText(e, 'quiz-progress'),
        (t) => t.includes(`第${i + 1}题`),
      );
      await answerShownQuestion(i < 4);
      if (i === 4) await shot(e, 'quiz-03-last-question');
      await click(e, i < 4 ? 'next' : 'submit', byId(e, i < 4 ? 'quiz-next' : 'quiz-submit'));
    }
  });

  step('the result shows 4 of 5, the points paid and my new rank, with explanations', async () => {
    const score = await until(
      e,
      'result: score',
      () => visibleText(e, 'result-score'),
      (t) => t.includes('5'),
    );
    expect(score.replace(/\s/g, '')).toContain('答对4/5题');
    const after = await api<Me>(e, 'GET', '/me', token);
    const earned = after.points.month - before.points.month;
    expect(earned).toBe(4);
    expect(number(await visibleText(e, 'result-points'))).toBe(earned);
    const rank = await until(
      e,
      'result: rank',
      () => visibleText(e, 'result-rank'),
      (t) => /\d/.test(t),
    );
    expect(number(rank)).toBe((await branchRank())!.rank);
    expect(await byId(e, 'result-item').count()).toBe(5);
    expect(await e.page.locator('body').innerText()).toContain('解析');
    await shot(e, 'quiz-04-result');
  });

  step('我的 shows the new month total and the board shows the new rank', async () => {
    const after = await api<Me>(e, 'GET', '/me', token);
    await e.page.goto(`${e.app.baseUrl}/#/pages/mine/index`);
    await until(
      e,
      'mine: month points',
      () => visibleText(e, 'mine-points-month'),
      (t) => number(t) === after.points.month,
    );
    await shot(e, 'quiz-05-mine');
    await click(e, 'open leaderboard', byId(e, 'link-leaderboard'));
    const me = (await branchRank())!;
    await until(
      e,
      'leaderboard: my rank',
      () => visibleText(e, 'lb-me'),
      (t) => t.includes(`第${me.rank}名`) && t.includes(`${me.points}分`),
    );
    await shot(e, 'quiz-06-leaderboard');
  });

  step('a second quiz today is practice: no points', async () => {
    await e.page.goto(`${e.app.baseUrl}/#/pages/study/index`);
    await until(
      e,
      'study: daily done',
      () => visibleText(e, 'study-daily'),
      (t) => t.includes('4'),
    );
    await shot(e, 'quiz-07-study-done');
    await click(e, 'start again', byId(e, 'study-daily-start'));
    await until(
      e,
      'quiz: practice notice',
      () => byId(e, 'quiz-practice').count(),
      (n) => n === 1,
    );
  });

  step('the browser saw no unexpected API error, CSP block or exception', async () => {
    expect(e.apiFailures).toEqual([]);
    expect(e.blockedByCsp).toEqual([]);
    expect(e.uncaught).toEqual([]);
  });
});
