import { onCollectionWrite } from '../../db/engine-commands';
import { sharedValue } from '../../db/shared-view';
import type { SessionUser } from '../../http/types';
import { loadSessionUser } from './users.service';

/**
 * The session's member as a shared view (issue 17): a read request (GET, HEAD) is authorized on the member as this
 * process read them at most `config.sharedViewMs` ago (≤ 2 s), so a member's burst of page loads reads them once.
 * A write request always reads the member as stored (and refreshes the view), so a role removed, a branch changed
 * or an account closed stops every write at once, on every process. Any write this process sends to users drops the
 * whole view when it is sent and again when it is answered (`onCollectionWrite`): a change made here is seen by the
 * next request here, and nothing read before it landed is kept. A change made by another process reaches this one's
 * reads within the bound. The token itself (signature, expiry, subject) is still verified on every request.
 */
const held = sharedValue(loadSessionUser, 50_000);
/** Bumped by every users write: a write request's fresh read is put in the view only if none landed meanwhile. */
let generation = 0;
onCollectionWrite('users', () => {
  generation += 1;
  held.clear();
});

const READS = new Set(['GET', 'HEAD']);

/** The member a request runs as: from the view for a read, from the database for a write. */
export async function sessionMember(userId: string, method: string): Promise<SessionUser | null> {
  if (READS.has(method)) return held.get(userId);
  const seen = generation;
  const user = await loadSessionUser(userId);
  if (seen === generation) held.put(userId, user);
  return user;
}
