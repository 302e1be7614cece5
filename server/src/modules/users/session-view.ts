import { markedValue } from '../../db/change-marks';
import type { RenewableSession } from '../../http/auth';
import type { SessionUser } from '../../http/types';
import { beginSigning, renewalAfter, trustedSession } from './session-claims';
import { loadSessionUser } from './users.service';

/**
 * The session's member (issue 17). A read request (GET, HEAD) is authorized on the member as this process holds them:
 * read once and kept while the members' change marks (db/change-marks.ts) show no write to them, for at most
 * MARKED_HOLD_MS. Every write to a member, on any process and by any path (roles, branch, posting, admin scope, a
 * closed account, a roster or org move), marks them; each process reads the marks at most once per
 * `config.sharedViewMs` (≤ 2 s), so a change reaches every process's reads within that bound, and this process's own
 * writes at once (the view is dropped when a users write is sent and when it is answered). A write request always
 * reads the member as stored (and refreshes the view), so a role removed or an account closed stops every write at
 * once, on every process.
 * The token itself (signature, expiry, subject) is verified on every request. A read whose token carries claims
 * still trusted (session-claims.ts: the same marks, read as stored less than CLAIMS_HOLD_MS ago) reads no member.
 */
const held = markedValue('users', loadSessionUser, { max: 50_000 });

const READS = new Set(['GET', 'HEAD']);

/**
 * The member a request runs as: from the token's claims or the view for a read, from the database for a write. A read
 * that read the member renews the token's claims (http/auth.ts).
 */
export async function sessionMember(
  userId: string,
  method: string,
  claims?: unknown,
): Promise<RenewableSession | null> {
  if (!READS.has(method)) return held.fresh(userId);
  const trusted = claims !== undefined && (await trustedSession(userId, claims));
  if (trusted) return trusted;
  const signing = await beginSigning(); // the marks before the member is read (session-claims.ts)
  const session: SessionUser | null = await held.get(userId);
  const renewal = session && (await renewalAfter(userId, signing));
  return renewal ? { ...session, renewal } : session;
}
