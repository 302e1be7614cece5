import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';

/** CSS px from which H5 pages are laid out for a desk (app.ts sets the same rem step; app.scss the same media query). */
export const WIDE_SCREEN_PX = 1024;

/** The window's width in CSS px (H5), or 0 where there is no desk layout (the mini-program is always a phone). */
export function windowWidth(): number {
  if (process.env.TARO_ENV !== 'h5') return 0;
  try {
    const info = typeof Taro.getWindowInfo === 'function' ? Taro.getWindowInfo() : Taro.getSystemInfoSync();
    return info.windowWidth;
  } catch {
    return 0;
  }
}

export const isWideScreen = (): boolean => windowWidth() >= WIDE_SCREEN_PX;

/** True on a desktop browser window (>= 1024 px); re-evaluated when the window is resized. Always false in weapp. */
export function useWideScreen(): boolean {
  const [wide, setWide] = useState(isWideScreen);
  useEffect(() => {
    if (process.env.TARO_ENV !== 'h5' || typeof window === 'undefined') return undefined;
    const onResize = () => setWide(isWideScreen());
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return wide;
}
