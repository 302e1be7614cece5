import { useEffect } from 'react';
import { getMe } from '../services/api';
import { rememberCareMode } from '../services/care-mode';
import { useRequest } from './use-request';
import { useSession } from './use-session';
import { useShowCount } from './use-show-count';

/** The signed-in member, refreshed each time the page shows; redirects to login without a session. */
export function useMe() {
  const loggedIn = useSession();
  const shown = useShowCount();
  const me = useRequest(getMe, [shown], loggedIn && shown > 0);
  const care = me.data?.careMode;
  useEffect(() => {
    if (care !== undefined) rememberCareMode(care);
  }, [care]);
  return { loggedIn, ...me };
}
