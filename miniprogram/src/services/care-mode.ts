import Taro from '@tarojs/taro';

/** 关怀模式: remembered on the member (PATCH /me) and mirrored here so every page can paint it at once. */
const KEY = 'careMode';
const listeners = new Set<(on: boolean) => void>();

export function careModeOn(): boolean {
  try {
    return Taro.getStorageSync(KEY) === true || Taro.getStorageSync(KEY) === 'true';
  } catch {
    return false;
  }
}

export function rememberCareMode(on: boolean): void {
  if (careModeOn() === on) return;
  try {
    Taro.setStorageSync(KEY, on);
  } catch {
    // Storage full or unavailable: the server still remembers it.
  }
  for (const fn of listeners) fn(on);
}

export function onCareModeChange(fn: (on: boolean) => void): () => void {
  listeners.add(fn);
  return () => {
    listeners.delete(fn);
  };
}
