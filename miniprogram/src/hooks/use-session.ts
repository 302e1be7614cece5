import { useState } from 'react';
import { useDidShow } from '@tarojs/taro';
import { goToLogin, hasSession } from '../services/session';

/**
 * For pages that need a member: reports whether a token exists and sends the member to the login page when it
 * does not. Re-checked each time the page shows (a tab page stays mounted after 退出登录).
 */
export function useSession(): boolean {
  const [loggedIn, setLoggedIn] = useState(hasSession);
  useDidShow(() => {
    const now = hasSession();
    setLoggedIn(now);
    if (!now) goToLogin();
  });
  return loggedIn;
}
