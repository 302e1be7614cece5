import Taro from '@tarojs/taro';

/** The persisted session: only the token lives in storage; everything else is fetched. */
export const TOKEN_KEY = 'token';
export const LOGIN_PAGE = '/pages/login/index';
export const HOME_PAGE = '/pages/index/index';

export function getToken(): string {
  const token: unknown = Taro.getStorageSync(TOKEN_KEY);
  return typeof token === 'string' ? token : '';
}

export function setToken(token: string): void {
  Taro.setStorageSync(TOKEN_KEY, token);
}

export function clearToken(): void {
  Taro.removeStorageSync(TOKEN_KEY);
}

export function hasSession(): boolean {
  return getToken() !== '';
}

function currentRoute(): string {
  const pages = Taro.getCurrentPages();
  const top = pages[pages.length - 1] as { route?: string } | undefined;
  return top?.route ?? '';
}

/** Sends the member to the login page, unless they are already on it (avoids redirect loops). */
export function goToLogin(): void {
  if (currentRoute().replace(/^\//, '') === LOGIN_PAGE.slice(1)) return;
  void Taro.reLaunch({ url: LOGIN_PAGE });
}

export function goHome(): void {
  void Taro.reLaunch({ url: HOME_PAGE });
}
