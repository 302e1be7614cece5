import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import * as taroMock from '@tarojs/taro';
import type { Attempt, AttemptResult, ChallengeStep, QuizQuestion } from '@pioneer/shared';
import QuizPage, { parseQuizParams } from './index';
import { loadResult } from '../../services/quiz-result-store';
import { login, mockApi, ok } from '../../../test/api-mock';
import { lettered } from '../../../test/quiz-fixtures';

const QUESTIONS: QuizQuestion[] = [
  {
    id: 'q1',
    type: 'single',
    stem: '中国共产党的最高理想和最终目标是什么？',
    options: lettered('实现共产主义', '全面建成小康社会', '实现现代化'),
  },
  {
    id: 'q2',
    type: 'multiple',
    stem: '“三会一课”中的“三会”包括哪些？',
    options: lettered('支部党员大会', '支部委员会', '党小组会', '团员大会'),
  },
  {
    id: 'q3',
    type: 'judge',
    stem: '党员每月都应按时交纳党费。',
    options: lettered('正确', '错误'),
  },
];

function attempt(over: Partial<Attempt> = {}): Attempt {
  const startedAt = new Date();
  return {
    id: 'att1',
    kind: 'daily',
    topic: null,
    startedAt: startedAt.toISOString(),
    expiresAt: new Date(startedAt.getTime() + 5 * 60_000).toISOString(),
    questions: QUESTIONS,
    pays: true,
    ...over,
  };
}

function resultFor(over: Partial<AttemptResult> = {}): AttemptResult {
  return {
    attemptId: 'att1',
    kind: 'daily',
    correct: 2,
    total: 3,
    pointsAwarded: 2,
    results: [],
    submittedAt: new Date().toISOString(),
    ...over,
  };
}

function openWith(params: Record<string, string>) {
  jest
    .spyOn(taroMock, 'useRouter')
    .mockReturnValue({ params, path: '/pages/quiz/index' } as unknown as ReturnType<typeof taroMock.useRouter>);
  return render(<QuizPage />);
}

const option = (key: string) => screen.getByTestId(`quiz-option-${key}`);

describe('quiz page', () => {
  beforeEach(() => login());
  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  it('when the attempt starts, then it shows the first question with its type, options, progress and clock', async () => {
    const sent = mockApi({ 'POST /quiz/attempts': ok(attempt()) });
    openWith({ kind: 'daily' });

    const q = await screen.findByTestId('quiz-question');
    expect(q.textContent).toContain('单选题');
    expect(q.textContent).toContain('中国共产党的最高理想和最终目标是什么？');
    expect(option('A').textContent).toContain('实现共产主义');
    expect(screen.getByTestId('quiz-progress').textContent).toBe('第1题 / 共3题');
    expect(screen.getByTestId('quiz-countdown').textContent).toMatch(/^04:5\d$/);
    expect(screen.getByTestId('quiz-countdown').className).not.toContain('urgent');
    expect(screen.queryByTestId('quiz-practice')).toBeNull();
    expect(sent[0].data).toEqual({ kind: 'daily' });
  });

  it('when I choose, move between questions and hand in, then the answers sheet holds every choice and the result opens', async () => {
    const sent = mockApi({
      'POST /quiz/attempts': ok(attempt()),
      'POST /quiz/attempts/att1/submit': () => ok(resultFor()),
    });
    openWith({ kind: 'daily' });
    await screen.findByTestId('quiz-question');

    // single: the last tap wins, and the selected row says so
    fireEvent.click(option('B'));
    fireEvent.click(option('A'));
    expect(option('A').getAttribute('aria-checked')).toBe('true');
    expect(option('B').getAttribute('aria-checked')).toBe('false');
    expect(option('A').className).toContain('qv__option--on');
    fireEvent.click(screen.getByTestId('quiz-next'));

    // multiple: taps toggle; kept in A–F order
    expect(screen.getByTestId('quiz-question').textContent).toContain('多选题');
    expect(screen.getByTestId('quiz-progress').textContent).toBe('第2题 / 共3题');
    fireEvent.click(option('C'));
    fireEvent.click(option('A'));
    fireEvent.click(option('D'));
    fireEvent.click(option('D'));
    fireEvent.click(option('B'));
    fireEvent.click(screen.getByTestId('quiz-next'));

    // judge, then back to the first: my choice is still there
    expect(screen.getByTestId('quiz-question').textContent).toContain('判断题');
    expect(screen.queryByTestId('quiz-next')).toBeNull();
    fireEvent.click(option('A'));
    fireEvent.click(screen.getByTestId('quiz-prev'));
    fireEvent.click(screen.getByTestId('quiz-prev'));
    expect(option('A').getAttribute('aria-checked')).toBe('true');
    fireEvent.click(screen.getByTestId('quiz-next'));
    fireEvent.click(screen.getByTestId('quiz-next'));

    fireEvent.click(screen.getByTestId('quiz-submit'));

    await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/pages/quiz-result/index?id=att1' }));
    expect(Taro.showModal).not.toHaveBeenCalled();
    const submit = sent.find((r) => r.path === '/quiz/attempts/att1/submit');
    expect(submit?.data).toEqual({
      answers: [
        { questionId: 'q1', choice: ['A'] },
        { questionId: 'q2', choice: ['A', 'B', 'C'] },
        { questionId: 'q3', choice: ['A'] },
      ],
    });
    expect(loadResult('att1')).toMatchObject({ pays: true, result: { correct: 2, total: 3 } });
  });

  it('when some questions are unanswered, then 交卷 asks first and sends nothing if I keep answering', async () => {
    const sent = mockApi({
      'POST /quiz/attempts': ok(attempt()),
      'POST /quiz/attempts/att1/submit': () => ok(resultFor()),
    });
    (Taro.showModal as jest.Mock).mockResolvedValueOnce({ confirm: false, cancel: true });
    openWith({ kind: 'daily' });
    await screen.findByTestId('quiz-question');

    fireEvent.click(option('A'));
    fireEvent.click(screen.getByTestId('quiz-next'));
    fireEvent.click(screen.getByTestId('quiz-next'));
    fireEvent.click(screen.getByTestId('quiz-submit'));

    await waitFor(() => expect(Taro.showModal).toHaveBeenCalled());
    expect((Taro.showModal as jest.Mock).mock.calls[0][0].content).toContain('还有 2 题没有作答');
    await act(async () => undefined);
    expect(sent.some((r) => r.path.endsWith('/submit'))).toBe(false);

    // second time I confirm: unanswered ones go as empty choices
    fireEvent.click(screen.getByTestId('quiz-submit'));
    await waitFor(() => expect(sent.some((r) => r.path.endsWith('/submit'))).toBe(true));
    expect(sent.find((r) => r.path.endsWith('/submit'))?.data).toEqual({
      answers: [
        { questionId: 'q1', choice: ['A'] },
        { questionId: 'q2', choice: [] },
        { questionId: 'q3', choice: [] },
      ],
    });
  });

  it('when the clock reaches 0, then the paper is handed in by itself with what I answered', async () => {
    jest.useFakeTimers();
    const sent = mockApi({
      'POST /quiz/attempts': ok(attempt()),
      'POST /quiz/attempts/att1/submit': () => ok(resultFor()),
    });
    openWith({ kind: 'daily' });
    await screen.findByTestId('quiz-question');
    fireEvent.click(option('C'));

    await act(async () => {
      await jest.advanceTimersByTimeAsync(4 * 60_000 + 10_000);
    });
    expect(screen.getByTestId('quiz-countdown').className).toContain('quiz__clock--urgent');
    expect(sent.some((r) => r.path.endsWith('/submit'))).toBe(false);

    await act(async () => {
      await jest.advanceTimersByTimeAsync(60_000);
    });
    expect(Taro.showModal).not.toHaveBeenCalled();
    const submits = sent.filter((r) => r.path.endsWith('/submit'));
    expect(submits).toHaveLength(1);
    expect(submits[0].data).toEqual({
      answers: [
        { questionId: 'q1', choice: ['C'] },
        { questionId: 'q2', choice: [] },
        { questionId: 'q3', choice: [] },
      ],
    });
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/pages/quiz-result/index?id=att1' });
  });

  it('when the server says the attempt expired, then it says so plainly and offers the way back', async () => {
    mockApi({
      'POST /quiz/attempts': ok(attempt({ questions: [QUESTIONS[0]] })),
      'POST /quiz/attempts/att1/submit': {
        statusCode: 422,
        data: { error: { code: 'ATTEMPT_EXPIRED', message: '答题已超时' } },
      },
    });
    openWith({ kind: 'daily' });
    await screen.findByTestId('quiz-question');
    fireEvent.click(option('A'));
    fireEvent.click(screen.getByTestId('quiz-submit'));

    expect((await screen.findByTestId('quiz-expired')).textContent).toContain('答题时间已到');
    fireEvent.click(screen.getByTestId('quiz-back'));
    expect(Taro.switchTab).toHaveBeenCalledWith({ url: '/pages/study/index' });
    expect(Taro.redirectTo).not.toHaveBeenCalled();
  });

  it('when today already paid, then it says kindly that this one is practice', async () => {
    mockApi({ 'POST /quiz/attempts': ok(attempt({ pays: false })) });
    openWith({ kind: 'daily' });
    expect((await screen.findByTestId('quiz-practice')).textContent).toBe('今日已交过卷，本次为练习');
  });

  it('when opened for a topic, then the attempt asks for that topic; an unknown kind asks nothing', async () => {
    expect(parseQuizParams({ kind: 'topic', topic: '%E5%85%9A%E7%AB%A0' })).toEqual({ kind: 'topic', topic: '党章' });
    expect(parseQuizParams({ kind: 'topic' })).toBeNull();
    expect(parseQuizParams({ kind: 'exam' })).toBeNull();

    const sent = mockApi({});
    openWith({ kind: 'exam' });
    expect(await screen.findByText('没有找到这组题，请返回学习页重新进入')).toBeTruthy();
    expect(sent).toHaveLength(0);
  });
});

describe('challenge mode', () => {
  beforeEach(() => login());
  afterEach(() => jest.restoreAllMocks());

  const challenge = () =>
    attempt({
      kind: 'challenge',
      questions: [QUESTIONS[0]],
      expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
    });

  it('when I answer right, then it says 答对了 with my streak and the next question follows; when wrong, the result opens', async () => {
    const final: AttemptResult = {
      attemptId: 'att1',
      kind: 'challenge',
      correct: 1,
      total: 2,
      pointsAwarded: 0,
      results: [],
      submittedAt: new Date().toISOString(),
    };
    const steps: ChallengeStep[] = [
      { correct: true, streak: 1, next: QUESTIONS[2], result: null },
      { correct: false, streak: 1, next: null, result: final },
    ];
    const sent = mockApi({
      'POST /quiz/attempts': ok(challenge()),
      'POST /quiz/attempts/att1/next': () => ok(steps.shift()),
    });
    openWith({ kind: 'challenge' });
    await screen.findByTestId('quiz-question');

    expect(screen.getByTestId('quiz-submit').textContent).toBe('请选择答案');
    fireEvent.click(option('A'));
    fireEvent.click(screen.getByTestId('quiz-submit'));

    const feedback = await screen.findByTestId('quiz-feedback');
    expect(feedback.textContent).toContain('答对了，继续');
    expect(feedback.textContent).toContain('已连续答对 1 题，再对 4 题得 3 分');
    expect(option('A').className).toContain('qv__option--right');
    expect(sent.at(-1)?.data).toEqual({ questionId: 'q1', choice: ['A'] });

    fireEvent.click(screen.getByTestId('quiz-next'));
    expect(screen.getByTestId('quiz-question').textContent).toContain('党员每月都应按时交纳党费。');
    expect(screen.getByTestId('quiz-streak').textContent).toBe('连对 1 题');

    fireEvent.click(option('B'));
    fireEvent.click(screen.getByTestId('quiz-submit'));

    await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/pages/quiz-result/index?id=att1' }));
    expect(sent.at(-1)?.data).toEqual({ questionId: 'q3', choice: ['B'] });
    expect(loadResult('att1')).toMatchObject({ streak: 1, result: { kind: 'challenge' } });
  });
});

describe('quiz resume (issue 15)', () => {
  beforeEach(() => login());
  afterEach(() => jest.restoreAllMocks());

  it('when I leave mid-paper and come back to the same (resumed) attempt, then my answers are there and it opens at the first unanswered', async () => {
    mockApi({ 'POST /quiz/attempts': ok(attempt()) });
    const first = openWith({ kind: 'daily' });
    await screen.findByTestId('quiz-question');
    fireEvent.click(option('B'));
    fireEvent.click(screen.getByTestId('quiz-next'));
    fireEvent.click(option('C'));
    first.unmount(); // 返回: the page is gone

    const started = new Date(Date.now() - 2 * 60_000);
    mockApi({
      'POST /quiz/attempts': ok(
        attempt({
          startedAt: started.toISOString(),
          expiresAt: new Date(started.getTime() + 5 * 60_000).toISOString(),
          secondsLeft: 180,
          resumed: true,
        }),
      ),
    });
    openWith({ kind: 'daily' });
    await screen.findByTestId('quiz-question');
    expect(screen.getByTestId('quiz-resumed').textContent).toContain('已经答过的都还在');
    expect(screen.getByTestId('quiz-progress').textContent).toBe('第3题 / 共3题');
    // The clock goes on from what the server said is left, not a fresh 5 minutes.
    expect(screen.getByTestId('quiz-countdown').textContent).toMatch(/^02:5\d$/);
    fireEvent.click(screen.getByTestId('quiz-prev'));
    expect(option('C').getAttribute('aria-checked')).toBe('true');
    fireEvent.click(screen.getByTestId('quiz-prev'));
    expect(option('B').getAttribute('aria-checked')).toBe('true');
  });

  it('when the paper is handed in, then its kept answers are cleared', async () => {
    mockApi({
      'POST /quiz/attempts': ok(attempt()),
      'POST /quiz/attempts/att1/submit': () => ok(resultFor()),
    });
    openWith({ kind: 'daily' });
    await screen.findByTestId('quiz-question');
    fireEvent.click(option('A'));
    expect(Taro.getStorageSync('quiz-answers:att1')).toEqual({ q1: ['A'] });
    (Taro.showModal as jest.Mock).mockResolvedValueOnce({ confirm: true, cancel: false });
    fireEvent.click(screen.getByTestId('quiz-next'));
    fireEvent.click(screen.getByTestId('quiz-next'));
    fireEvent.click(screen.getByTestId('quiz-submit'));
    await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalled());
    expect(Taro.getStorageSync('quiz-answers:att1')).toBe('');
  });
});
