import { randomInt } from 'node:crypto';
import { OPTION_KEYS, type OptionKey, type QuestionResult, type QuizQuestion } from '@pioneer/shared';
import type { BankQuestion } from './bank';

export function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Up to n questions, fresh ones (not in `avoid`) first, in random order. */
export function pickQuestions(pool: readonly BankQuestion[], n: number, avoid: ReadonlySet<string>): BankQuestion[] {
  const fresh = shuffled(pool.filter((q) => !avoid.has(q.id)));
  const seen = shuffled(pool.filter((q) => avoid.has(q.id)));
  return [...fresh, ...seen].slice(0, n);
}

/** The order options are shown in for one attempt: shuffled, except 正确/错误 which stays put. */
export function optionOrder(q: BankQuestion): number[] {
  const identity = q.options.map((_, i) => i);
  return q.type === 'judge' ? identity : shuffled(identity);
}

const keyAt = (position: number) => OPTION_KEYS[position]!;

/** What the member sees: options relabelled A, B, ... in this attempt's order. No answer, no explanation. */
export function questionView(q: BankQuestion, order: number[]): QuizQuestion {
  return {
    id: q.id,
    type: q.type,
    stem: q.stem,
    options: order.map((original, position) => ({ key: keyAt(position), text: q.options[original]! })),
  };
}

/** Grades one answer given in shown keys against the stored answer in original keys. */
export function gradeQuestion(q: BankQuestion, order: number[], choice: readonly OptionKey[]): QuestionResult {
  const originalKey = (shown: OptionKey) => {
    const original = order[OPTION_KEYS.indexOf(shown)];
    return original === undefined ? null : keyAt(original);
  };
  const chosen = new Set([...new Set(choice)].map(originalKey));
  const right = new Set(q.answer);
  const correct = chosen.size === right.size && [...chosen].every((k) => k !== null && right.has(k));
  const answer = order
    .map((original, position) => (right.has(keyAt(original)) ? keyAt(position) : null))
    .filter((k): k is OptionKey => k !== null);
  const { stem, options } = questionView(q, order);
  return {
    questionId: q.id,
    stem,
    options,
    choice: [...new Set(choice)].sort(),
    correct,
    answer,
    explanation: q.explanation,
  };
}
