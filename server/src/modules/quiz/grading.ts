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

/** Up to n of the items, each n-subset as likely as any other, in random order: a shuffle cut short after n steps. */
function drawn<T>(items: T[], n: number): T[] {
  const k = Math.min(n, items.length);
  for (let i = 0; i < k; i++) {
    const j = i + randomInt(items.length - i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items.slice(0, k);
}

/**
 * Up to n questions, fresh ones (not in `avoid`) first, in random order. Only the n drawn are shuffled (issue 17, H8b:
 * a start shuffled the whole bank, hundreds of `randomInt`s, to keep 5).
 */
export function pickQuestions(pool: readonly BankQuestion[], n: number, avoid: ReadonlySet<string>): BankQuestion[] {
  const fresh: BankQuestion[] = [];
  const seen: BankQuestion[] = [];
  for (const q of pool) (avoid.has(q.id) ? seen : fresh).push(q);
  const picked = drawn(fresh, n);
  return picked.length < n ? [...picked, ...drawn(seen, n - picked.length)] : picked;
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
