import Taro from '@tarojs/taro';
import type { AttemptResult } from '@pioneer/shared';

/**
 * Hands a finished attempt from the quiz page to the result page. Memory first; storage too, so that the result
 * survives an H5 reload of /pages/quiz-result (the hash URL only carries the attempt id). Only the latest result
 * is kept.
 */
export interface StoredResult {
  result: AttemptResult;
  /** False when the attempt was practice (today's points already earned): 本次不计分. */
  pays: boolean;
  /** Challenge only: the longest run of right answers. */
  streak?: number;
  /** 专项答题: the topic's tag. */
  topic?: string | null;
}

const KEY = 'quiz-last-result';
let latest: StoredResult | null = null;

export function saveResult(entry: StoredResult): void {
  latest = entry;
  try {
    Taro.setStorageSync(KEY, entry);
  } catch {
    // Storage full or unavailable: memory still carries it for this session.
  }
}

export function loadResult(attemptId: string): StoredResult | null {
  if (latest?.result.attemptId === attemptId) return latest;
  const stored: unknown = Taro.getStorageSync(KEY);
  const entry = stored && typeof stored === 'object' ? (stored as StoredResult) : null;
  return entry?.result?.attemptId === attemptId ? entry : null;
}

/** For tests. */
export function clearResults(): void {
  latest = null;
  Taro.removeStorageSync(KEY);
}
