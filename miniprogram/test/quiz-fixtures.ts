import type { AttemptResult, Mistake, Question, QuizToday } from '@pioneer/shared';
import { OPTION_KEYS } from '@pioneer/shared/src/quiz';

/** Options as the API sends them: keyed A, B, C… in the order given. */
export const lettered = (...texts: string[]) => texts.map((text, i) => ({ key: OPTION_KEYS[i]!, text }));

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };

export function quizToday(over: DeepPartial<QuizToday> = {}): QuizToday {
  return {
    day: '2025-11-25',
    mistakes: 3,
    topics: [
      { tag: '党章', questions: 40, done: true },
      { tag: '党史', questions: 25, done: false },
    ],
    ...over,
    daily: { done: false, pointsToday: 0, ...over.daily },
    weekly: { done: false, ...over.weekly },
    challenge: { paidToday: false, ...over.challenge },
  } as QuizToday;
}

export function attemptResult(over: Partial<AttemptResult> = {}): AttemptResult {
  return {
    attemptId: 'att1',
    kind: 'daily',
    correct: 1,
    total: 2,
    pointsAwarded: 1,
    submittedAt: '2025-11-25T01:30:00.000Z',
    results: [
      {
        questionId: 'q1',
        stem: '中国共产党的最高理想和最终目标是什么？',
        options: lettered('实现共产主义', '全面建成小康社会'),
        choice: ['A'],
        correct: true,
        answer: ['A'],
        explanation: '党章总纲：党的最高理想和最终目标是实现共产主义。',
      },
      {
        questionId: 'q2',
        stem: '党员每月都应按时交纳党费。',
        options: lettered('正确', '错误'),
        choice: ['B'],
        correct: false,
        answer: ['A'],
        explanation: '按期交纳党费是党员的义务。',
      },
    ],
    ...over,
  };
}

export function mistake(over: Partial<Mistake> = {}): Mistake {
  return {
    questionId: 'q2',
    type: 'judge',
    stem: '党员每月都应按时交纳党费。',
    options: lettered('正确', '错误'),
    answer: ['A'],
    explanation: '按期交纳党费是党员的义务。',
    wrongCount: 2,
    lastWrongAt: '2025-11-24T02:00:00.000Z',
    ...over,
  };
}

export function question(over: Partial<Question> = {}): Question {
  return {
    id: 'qq1',
    type: 'single',
    stem: '党的基层组织是党在社会基层组织中的什么？',
    options: ['战斗堡垒', '指挥中心', '服务窗口'],
    answer: ['A'],
    explanation: '党章第五章。',
    tags: ['党章'],
    difficulty: 1,
    active: true,
    owner: 'c1',
    editable: true,
    ...over,
  };
}
