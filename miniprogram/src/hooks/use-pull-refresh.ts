import { useRef } from 'react';
import Taro, { usePullDownRefresh } from '@tarojs/taro';

/**
 * 下拉刷新 as WeChat users expect on a list (the page's config sets `enablePullDownRefresh: true`): reloads, then
 * folds the spinner away whether the reload worked or not (a failure shows on the page, not as a stuck spinner).
 */
export function usePullRefresh(reload: () => Promise<unknown> | void): void {
  const latest = useRef(reload);
  latest.current = reload;
  usePullDownRefresh(() => {
    void Promise.resolve()
      .then(() => latest.current())
      .catch(() => undefined)
      .finally(() => Taro.stopPullDownRefresh());
  });
}
