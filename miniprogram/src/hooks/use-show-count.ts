import { useState } from 'react';
import { useDidShow } from '@tarojs/taro';

/** Counts how often the page has been shown; use it as a dependency to refresh data on every visit. */
export function useShowCount(): number {
  const [count, setCount] = useState(0);
  useDidShow(() => setCount((c) => c + 1));
  return count;
}
