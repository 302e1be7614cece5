import type { Role } from '@pioneer/shared';
import { CLAIMS_HOLD_MS, heldMarks, stampsOf, type MarksDoc } from '../../db/change-marks';
import { onCollectionWrite, readInRequest } from '../../db/engine-commands';
import { sharedViewMs } from '../../db/shared-view';
import type { TokenIssuer } from '../../http/auth';
import type { SessionUser } from '../../http/types';
import { seal, unseal } from '../privacy/field-crypto';
import type { UserDoc } from './users.model';

/**
 * A session token's claims (issue 17, cold reads): what a read's authorization needs (the fields of SessionUser the
 * policy reads) and the member's change-mark stamps when they were read, inside the token's signature. A read trusts
 * them instead of reading the member under the rule a held member view follows (modules/users/session-view.ts):
 * the marks this process holds (read once per bound for every request) still show the same stamps, and a claim
 * signed before this process's own last write to the member is not trusted here at all. They stand at most
 * CLAIMS_HOLD_MS after the member was read (db/change-marks.ts keeps marks longer than that, and a process marks
 * every member when it starts, so a mark lost to a crash is not waited out); a read that had to read the member
 * renews them (auth.ts, `X-Session-Token`: same subject and expiry). A write request never uses them. /me's own
 * fields ride sealed (AES-256-GCM under the data key, privacy/field-crypto.ts): the token shows no name, phone or
 * identity to whoever holds it.
 */
export interface SessionClaims {
  r: Role[];
  o: string | null;
  p: string[];
  a: string | null;
  v: string | null;
  /** When the member was read as stored (ms on the signer's clock). */
  at: number;
  /** The member's mark and the collection's `all` at that read (db/change-marks.ts). */
  m: string | null;
  all: string | null;
  /** GET /me's member fields, sealed (MeSource). */
  me: string;
}

/** What GET /me shows of the member document. */
export type MeSource = Pick<
  UserDoc,
  | '_id'
  | 'name'
  | 'avatarUrl'
  | 'roles'
  | 'orgPath'
  | 'adminOrgId'
  | 'postedVillageId'
  | 'careMode'
  | 'hideFromRankings'
> & { identity?: Partial<NonNullable<UserDoc['identity']>> | null };

/** The marks (and the time) to stamp claims with: taken BEFORE the member is read, so a later change shows. */
export interface Signing {
  at: number;
  marks: MarksDoc | null;
}

/** With shared views off (the tests' default) nothing is held and no claims are signed. */
export async function beginSigning(): Promise<Signing> {
  const at = Date.now();
  return { at, marks: sharedViewMs() === 0 ? null : await heldMarks('users') };
}

/** The member's phone in clear (a value under a key no longer configured stays as stored: GET /me says so then). */
function clearContact(stored: string | null | undefined): string | null {
  try {
    return unseal(stored);
  } catch {
    return stored ?? null;
  }
}

function claimsOf(user: UserDoc, { at, marks }: Signing): SessionClaims | undefined {
  if (!marks || user.closedAt) return undefined;
  const { m, all } = stampsOf(marks, user._id);
  const id = user.identity;
  const profile = {
    n: user.name,
    a: user.avatarUrl,
    i: id && {
      dutyTitle: id.dutyTitle,
      partySince: id.partySince,
      contact: clearContact(id.contact), // clear inside the sealed profile: one decryption per GET /me, not two
      photoUrl: id.photoUrl,
      badge: id.badge,
    },
    c: user.careMode,
    h: user.hideFromRankings,
  };
  return {
    r: user.roles as Role[],
    o: user.orgId ?? null,
    p: user.orgPath,
    a: user.adminOrgId ?? null,
    v: user.postedVillageId ?? null,
    at,
    m,
    all,
    me: seal(JSON.stringify(profile)),
  };
}

/** A session token for a member read after `signing` began (sign-in, roster binding). */
export const sessionToken = (tokens: TokenIssuer, user: UserDoc, signing: Signing): string =>
  tokens.sign(user._id, claimsOf(user, signing));

/** Claims to renew a read's token with, when this request read the member as stored after `signing` began. */
export async function renewalAfter(userId: string, signing: Signing): Promise<SessionClaims | undefined> {
  const read = readInRequest<UserDoc | null>('users', userId);
  const user = read && (await read);
  return user ? claimsOf(user, signing) : undefined;
}

/**
 * This process's own writes to members (both ends of each write): a claim read before one is refused here at once,
 * whatever the marks view (read once per bound) says yet. Kept CLAIMS_HOLD_MS (older claims are refused anyway); a
 * write naming many members (an import, a move) or by another filter counts for every member, as its mark does.
 */
const written = new Map<string, number>();
let allWrittenAt = 0;
const MANY = 50;
onCollectionWrite('users', (ids) => {
  const now = Date.now();
  if (ids === 'all' || ids === 'dropped' || ids.length > MANY) allWrittenAt = now;
  else
    for (const id of ids) {
      written.delete(id);
      written.set(id, now);
    }
  for (const [id, at] of written) {
    if (now - at < CLAIMS_HOLD_MS) break;
    written.delete(id);
  }
});

/** How far ahead of this process's clock another replica's may run before its claims are refused here. */
const MAX_CLOCK_AHEAD_MS = 60_000;

const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 64;
const idOrNull = (v: unknown) => v === null || isId(v);
const stampOrNull = (v: unknown) => v === null || (typeof v === 'string' && v.length <= 64);

/** Claims of the shape signed here (a token signed by an older version, or without claims: none). */
function parse(raw: unknown): SessionClaims | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const c = raw as Partial<SessionClaims>;
  const ok =
    Array.isArray(c.r) &&
    c.r.every((r) => typeof r === 'string') &&
    Array.isArray(c.p) &&
    c.p.every(isId) &&
    idOrNull(c.o) &&
    idOrNull(c.a) &&
    idOrNull(c.v) &&
    typeof c.at === 'number' &&
    stampOrNull(c.m) &&
    stampOrNull(c.all) &&
    typeof c.me === 'string';
  return ok ? (c as SessionClaims) : null;
}

/** The session a read may run as from the token's claims, or null: read the member (session-view.ts). */
export async function trustedSession(userId: string, raw: unknown): Promise<SessionUser | null> {
  const claims = parse(raw);
  if (!claims || sharedViewMs() === 0) return null;
  // Read too long ago, or by a signer whose clock runs far ahead (its claims would stand longer than the hold).
  const age = Date.now() - claims.at;
  if (age >= CLAIMS_HOLD_MS || age < -MAX_CLOCK_AHEAD_MS) return null;
  if (claims.at <= allWrittenAt || claims.at <= (written.get(userId) ?? 0)) return null;
  const now = stampsOf(await heldMarks('users'), userId);
  if (now.m !== claims.m || now.all !== claims.all) return null;
  return {
    id: userId,
    roles: claims.r,
    orgId: claims.o,
    orgPath: claims.p,
    adminOrgId: claims.a,
    postedVillageId: claims.v,
    profile: claims.me,
  };
}

/** GET /me's member fields from a session that trusted its claims; null: read the member. */
export function claimedMember(me: SessionUser): MeSource | null {
  if (!me.profile) return null;
  try {
    const p = JSON.parse(unseal(me.profile) ?? 'null') as { n: string; a?: string; i?: MeSource['identity'] } & {
      c?: boolean;
      h?: boolean;
    };
    return {
      _id: me.id,
      name: p.n,
      avatarUrl: p.a ?? '',
      roles: me.roles,
      orgPath: me.orgPath,
      adminOrgId: me.adminOrgId,
      postedVillageId: me.postedVillageId,
      identity: p.i ?? null,
      careMode: p.c ?? false,
      hideFromRankings: p.h ?? false,
    };
  } catch {
    return null; // a key rotated away: read the member
  }
}
