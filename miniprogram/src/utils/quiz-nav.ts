import Taro from '@tarojs/taro';
import type { QuizKind } from '@pioneer/shared';

export const STUDY_TAB = '/pages/study/index';
export const MISTAKES_PAGE = '/pages/mistakes/index';

export function quizUrl(kind: QuizKind, topic?: string): string {
  return `/pages/quiz/index?kind=${kind}${topic ? `&topic=${encodeURIComponent(topic)}` : ''}`;
}

export const resultUrl = (attemptId: string) => `/pages/quiz-result/index?id=${encodeURIComponent(attemptId)}`;

export function openQuiz(kind: QuizKind, topic?: string): void {
  void Taro.navigateTo({ url: quizUrl(kind, topic) });
}

/** Back to the 学习 tab, closing the quiz and result pages on the way. */
export function backToStudy(): void {
  void Taro.switchTab({ url: STUDY_TAB });
}

/** A query value as the page received it: WeChat passes it still encoded, H5 already decoded. */
export function queryValue(v: string | undefined): string | undefined {
  if (v === undefined || v === '') return undefined;
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
