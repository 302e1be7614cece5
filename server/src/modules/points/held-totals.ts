import type { Middleware } from 'koa';
import { periodIds as periodIdsOf } from '@pioneer/shared';
import type { mongo } from 'mongoose';
import { heldById } from '../../db/bucket-marks';
import { requestSlot } from '../../db/engine-commands';
import { keyReads } from '../../db/key-reads';
import { parseScopeKey } from './keys';
import { MemberTotalsModel } from './points.model';
import type { AppState } from '../../http/types';

/**
 * A member's own totals served from memory for warm reads (issue 17: GET /me, "my rank", a board's `me`), honestly:
 * - exact for this process: any write it sends to a member's totals document (an award, a repair, a rebuild) drops
 *   that member's held totals at both ends of the write (db/engine-commands.ts), and only theirs;
 * - another process's write is seen within the shared-view bound (db/bucket-marks.ts);
 * - read-your-writes across processes: a reply to a request that paid the member carries their totals' sequence
 *   (`v`) in POINTS_VERSION_HEADER, the client sends the highest it has seen back on every request, and totals
 *   held below it are read again. A client naming a higher sequence than exists only makes its own reads key reads.
 */
export const POINTS_VERSION_HEADER = 'X-Points-Version';
/** Members whose totals one process holds at most (the least recently read dropped): ~2 KB each. */
export const HELD_MEMBERS = 10_000;

/** A member's totals of the periods current when read (older periods are read by key: `periods`), and their `v`. */
export interface HeldTotals {
  t: Record<string, number>;
  v: number;
  periods: ReadonlySet<string>;
}

interface StoredTotals {
  _id: string;
  t?: Record<string, number>;
  v?: number;
}
/**
 * The driver's key reads, not a mongoose Query (its casting and hooks were ~8 % of a cold rank read's Node CPU),
 * gathered: under load the cold reads of many members go as one command (db/key-reads.ts).
 */
const totalsReads = keyReads<StoredTotals>(
  () => MemberTotalsModel.collection as unknown as mongo.Collection<StoredTotals>,
  { t: 1, v: 1 },
);

/** One key read of the member's totals, kept to `periods` (those current now, for holding). */
async function readTotals(userId: string, wanted: readonly string[] = periodIdsOf(new Date())): Promise<HeldTotals> {
  const doc = await totalsReads.read(userId);
  const periods = new Set(wanted);
  const t = Object.fromEntries(Object.entries(doc?.t ?? {}).filter(([k]) => periods.has(parseScopeKey(k).periodId)));
  return { t, v: doc?.v ?? 0, periods };
}

const held = heldById('points_member_totals', (userId) => readTotals(userId), HELD_MEMBERS);

interface VersionScope {
  /** The sequence the client says it has seen (0: none). */
  seen: number;
  viewer: () => string | undefined;
  /** The highest sequence this request's awards gave each member. */
  paid: Map<string, number>;
}
/** In the request's one scope (db/engine-commands.ts), not a store of its own: Node 20's promise hooks cost per store. */
const versions = requestSlot<VersionScope>('points-version');

/** A bounded decimal integer, or 0: anything else a client sends is ignored, never an error. */
export function parseVersion(raw: string | undefined): number {
  return raw !== undefined && /^\d{1,12}$/.test(raw) ? Number(raw) : 0;
}

/**
 * A member's totals in `periodIds`: held here, unless this request's client has seen a newer sequence of theirs (then
 * read now). A period outside those held (a date gone by) reads now too, and finds what the document still holds of
 * it, if anything: an award drops the periods gone by (totals-window.ts). Every caller asks for the periods of now.
 */
export async function ownTotals(userId: string, periodIds: readonly string[]): Promise<HeldTotals> {
  const scope = versions.get();
  const seen = scope && scope.viewer() === userId ? scope.seen : 0;
  const current = new Set(periodIdsOf(new Date()));
  if (!periodIds.every((p) => current.has(p))) return readTotals(userId, periodIds);
  const totals = await held.get(userId);
  return totals.v >= seen && periodIds.every((p) => totals.periods.has(p)) ? totals : held.fresh(userId);
}

/** Called by an award when a member's totals moved to sequence `seq` (apply.ts): the reply tells their client. */
export function totalsMoved(userId: string, seq: number): void {
  const paid = versions.get()?.paid;
  if (paid) paid.set(userId, Math.max(seq, paid.get(userId) ?? 0));
}

/**
 * Reads the client's sequence from POINTS_VERSION_HEADER, and answers with the viewer's new one when the request
 * paid them. Before the routes (the viewer is known once a route's auth has run: read when asked).
 */
export function pointsVersion(): Middleware<AppState> {
  return async (ctx, next) => {
    const scope: VersionScope = {
      seen: parseVersion(ctx.get(POINTS_VERSION_HEADER) || undefined),
      viewer: () => ctx.state.user?.id,
      paid: new Map(),
    };
    await versions.enter(scope, () => next());
    const mine = scope.paid.get(ctx.state.user?.id ?? '');
    if (mine !== undefined) ctx.set(POINTS_VERSION_HEADER, String(mine));
  };
}

/** How many members' totals this process holds (tests). */
export const heldMembers = () => held.size();
