import Taro from '@tarojs/taro';
import type { OptionKey } from '@pioneer/shared';

/**
 * The answers given so far on an open paper, kept on the phone under the attempt's id: the server resumes the same
 * paper when the member leaves mid-way and comes back (a call, a tap on 返回), and the page puts the answers back.
 */
export type PaperAnswers = Record<string, OptionKey[]>;

const key = (attemptId: string) => `quiz-answers:${attemptId}`;

export function loadAnswers(attemptId: string): PaperAnswers {
  try {
    const stored: unknown = Taro.getStorageSync(key(attemptId));
    return stored && typeof stored === 'object' ? (stored as PaperAnswers) : {};
  } catch {
    return {};
  }
}

export function saveAnswers(attemptId: string, answers: PaperAnswers): void {
  try {
    Taro.setStorageSync(key(attemptId), answers);
  } catch {
    // Storage full or unavailable: the answers stay on the page for this visit.
  }
}

export function clearAnswers(attemptId: string): void {
  try {
    Taro.removeStorageSync(key(attemptId));
  } catch {
    // Nothing to clear.
  }
}
