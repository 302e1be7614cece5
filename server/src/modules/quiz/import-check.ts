import { OPTION_KEYS, QUESTION_LIMITS as L, questionProblem, type QuestionType } from '@pioneer/shared';

/**
 * One sheet row's cells, checked field by field with the message an admin can act on ("答案必须是 A–D 之一"),
 * before the shared schema sees it: zod's own messages are English and name JSON paths (issue 15).
 */
export interface RowCells {
  type: QuestionType;
  stem: string;
  options: string[];
  answer: string;
  explanation: string;
  tags: string;
  difficulty: string;
}

/** 难度 as the editor shows it (容易/中等/较难), as people say it (易/中/难) or as a number. */
const DIFFICULTY_WORDS: Record<string, number> = {
  '1': 1,
  '2': 2,
  '3': 3,
  易: 1,
  容易: 1,
  简单: 1,
  中: 2,
  中等: 2,
  一般: 2,
  难: 3,
  较难: 3,
  困难: 3,
};
const TRUE_WORDS = ['正确', '对', '√', '是', 'A', 'T', 'TRUE'];
const FALSE_WORDS = ['错误', '错', '×', '否', 'B', 'F', 'FALSE'];

export type Checked = { question: Record<string, unknown> } | { error: string };

function letters(type: QuestionType, raw: string, count: number): string[] | string {
  const text = raw.toUpperCase().replace(/\s/g, '');
  if (!text) return type === 'judge' ? '答案不能为空，判断题填 正确 或 错误' : '答案不能为空';
  if (type === 'judge') {
    if (TRUE_WORDS.includes(text)) return ['A'];
    if (FALSE_WORDS.includes(text)) return ['B'];
    return '判断题的答案必须是 正确 或 错误';
  }
  const keys = OPTION_KEYS.slice(0, count) as readonly string[];
  const range = `A–${keys[keys.length - 1]}`;
  const picked = text.replace(/[,，、;；]/g, '').split('');
  if (type === 'single') return picked.length === 1 && keys.includes(picked[0]!) ? picked : `答案必须是 ${range} 之一`;
  if (picked.some((k) => !keys.includes(k))) return `答案只能由 ${range} 组成，如 AC`;
  return picked;
}

function difficultyOf(raw: string): number | string {
  if (!raw) return 1;
  return DIFFICULTY_WORDS[raw.replace(/\s/g, '')] ?? `难度“${raw}”无法识别，应为 易、中、难（或 1、2、3）`;
}

function tagsOf(raw: string): string[] | string {
  const tags = raw.split(/[,，、;；\s]+/).filter(Boolean);
  if (tags.length > L.tagsMax) return `标签最多 ${L.tagsMax} 个`;
  const long = tags.find((t) => t.length > L.tagMax);
  return long ? `标签“${long}”太长，不能超过 ${L.tagMax} 个字` : tags;
}

function optionsProblem(options: string[]): string | null {
  if (options.length < L.optionsMin) return `至少需要 ${L.optionsMin} 个选项（选项A、选项B…）`;
  if (options.length > L.optionsMax) return `最多 ${L.optionsMax} 个选项`;
  const long = options.findIndex((o) => o.length > L.optionMax);
  if (long >= 0) return `选项${OPTION_KEYS[long]}太长，不能超过 ${L.optionMax} 个字`;
  return null;
}

/** The row as a question body, or the first thing wrong with it in words. */
export function checkRow(cells: RowCells): Checked {
  const { type, stem, options } = cells;
  if (!stem) return { error: '题干不能为空' };
  if (stem.length < 4) return { error: '题干太短，至少 4 个字' };
  if (stem.length > L.stemMax) return { error: `题干太长，不能超过 ${L.stemMax} 个字` };
  const optionError = optionsProblem(options);
  if (optionError) return { error: optionError };
  const answer = letters(type, cells.answer, options.length);
  if (typeof answer === 'string') return { error: answer };
  if (cells.explanation.length > L.explanationMax) return { error: `解析太长，不能超过 ${L.explanationMax} 个字` };
  const tags = tagsOf(cells.tags);
  if (typeof tags === 'string') return { error: tags };
  const difficulty = difficultyOf(cells.difficulty);
  if (typeof difficulty === 'string') return { error: difficulty };
  const problem = questionProblem({ type, options, answer });
  if (problem) return { error: problem };
  return {
    question: { type, stem, options, answer, explanation: cells.explanation, tags, difficulty, active: true },
  };
}

/** The sheet an admin downloads to fill in: the header row and one example of each type. */
export const TEMPLATE_HEADER = ['题干', '类型', '选项A', '选项B', '选项C', '选项D', '答案', '解析', '标签', '难度'];
export const TEMPLATE_EXAMPLES: string[][] = [
  [
    '党支部委员会一般每月召开几次？',
    '单选',
    '1次',
    '2次',
    '3次',
    '4次',
    'A',
    '支委会一般每月召开一次',
    '三会一课',
    '易',
  ],
  [
    '“三会一课”中的“三会”包括哪些？',
    '多选',
    '支部党员大会',
    '支部委员会',
    '党小组会',
    '茶话会',
    'ABC',
    '',
    '三会一课',
    '中',
  ],
  ['预备党员的预备期为一年。', '判断', '', '', '', '', '正确', '', '党章党规', '难'],
];
