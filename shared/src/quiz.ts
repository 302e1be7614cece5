/** 学习答题: kinds, sizes and limits, shared by the server (which enforces them) and the app (which shows them). */
export const QUIZ_KINDS = ['daily', 'weekly', 'topic', 'challenge', 'mistakes'] as const;
export type QuizKind = (typeof QUIZ_KINDS)[number];

export const QUESTION_TYPES = ['single', 'multiple', 'judge'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export const QUESTION_TYPE_LABELS: Record<QuestionType, string> = {
  single: '单选题',
  multiple: '多选题',
  judge: '判断题',
};

export const QUIZ_KIND_LABELS: Record<QuizKind, string> = {
  daily: '每日答题',
  weekly: '每周答题',
  topic: '专项答题',
  challenge: '挑战答题',
  mistakes: '错题练习',
};

export interface QuizKindRule {
  questions: number;
  /** Time allowed from start to submit. */
  seconds: number;
}

export const QUIZ_RULES: Record<QuizKind, QuizKindRule> = {
  daily: { questions: 5, seconds: 5 * 60 },
  weekly: { questions: 10, seconds: 10 * 60 },
  topic: { questions: 10, seconds: 10 * 60 },
  // One question at a time until the first wrong answer; the clock covers the whole run.
  challenge: { questions: 50, seconds: 30 * 60 },
  mistakes: { questions: 10, seconds: 15 * 60 },
};

/** A challenge pays once a day, for a streak of at least this many right answers. */
export const CHALLENGE_STREAK_TO_PAY = 5;
/** Questions answered right within this many days are not picked again, where the bank allows. */
export const RECENT_RIGHT_DAYS = 30;

/** The owner of the shipped question bank: read-only for every admin; a county's own questions carry its id. */
export const PLATFORM_QUESTION_OWNER = 'platform';

export const OPTION_KEYS = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type OptionKey = (typeof OPTION_KEYS)[number];

export const QUESTION_LIMITS = {
  stemMax: 300,
  optionMax: 120,
  explanationMax: 300,
  tagMax: 20,
  tagsMax: 5,
  optionsMin: 2,
  optionsMax: 6,
} as const;

/** The same stem typed twice differs only in spaces and punctuation width: compare on this. */
export function stemKey(stem: string): string {
  return stem
    .normalize('NFKC')
    .replace(/[\s（）()？?。.，,：:；;！!“”"'‘’、]/g, '')
    .toLowerCase();
}
