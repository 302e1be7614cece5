import { parseScopeKey, scopeKey } from './keys';
import { periodsOfToday } from './periods-gone';

/**
 * A member's totals document keeps only the periods an award can still move (this week, month and year, and `all`):
 * nothing reads a period gone by (GET /me, ranks and boards read the current periods; the scopes' documents drop
 * theirs too, periods-gone.ts), yet every award makes the engine read, rewrite and return the whole document, and
 * the driver decode it (issue 17: a member active for two years held ~1,000 keys). The award's own update drops
 * them, with no read and no command of its own:
 * - the periods before today's, in the award's chain (`previousOfChain`): the usual member, who earns in
 *   consecutive periods on one chain, loses last week's, month's and year's keys with the first award of the new one;
 * - any other key of a period gone by that the document returned by the member's previous award showed (a period
 *   they skipped, a chain they left): remembered here (`rememberGone`), dropped by their next award in this process.
 *   Only those members are remembered (a bounded map); one forgotten shows them again on their next award.
 * An `$unset` of a key the document no longer holds does nothing.
 */

/** A chain's dotted paths and the `$unset` of its totals in the periods before today's, worked out once a day. */
export interface ChainWindow {
  /** The member's own scope and each of their chain's. */
  scopes: readonly string[];
  gone?: { before: readonly string[]; unset: Readonly<Record<string, 1>> };
}

/** The `$unset` of `t.<key>` and `r.<key>` of each key. */
const unsetOf = (keys: readonly string[]) =>
  Object.freeze(
    Object.fromEntries(
      keys.flatMap((k) => [
        [`t.${k}`, 1 as const],
        [`r.${k}`, 1 as const],
      ]),
    ),
  );

/**
 * The chain's totals in the week, month and year before today's, except any the award moves (a late entry, found by
 * recovery: one update may not name a path twice). The usual award gets the day's frozen `$unset`, built once.
 */
export function previousOfChain(chain: ChainWindow, periods: readonly string[]): Readonly<Record<string, 1>> {
  const { before } = periodsOfToday();
  const late = before.some((p) => periods.includes(p));
  if (!late && chain.gone?.before === before) return chain.gone.unset;
  const keys = before.filter((p) => !periods.includes(p)).flatMap((p) => chain.scopes.map((s) => scopeKey(p, s)));
  const unset = unsetOf(keys);
  if (!late) chain.gone = { before, unset };
  return unset;
}

/** Members whose document showed keys of periods gone by that their award did not drop: their next award does. */
const leftovers = new Map<string, string[]>();
const LEFTOVER_MEMBERS = 10_000;

/** The `$unset` of the keys of periods gone by remembered for the member (taken: given once), or null. */
export function leftoverOf(userId: string, periods: readonly string[]): Readonly<Record<string, 1>> | null {
  const left = leftovers.get(userId);
  if (!left) return null;
  leftovers.delete(userId);
  // Kept: a period current again (a clock moved back, in tests) or one this award moves.
  const { current } = periodsOfToday();
  const gone = left.filter((k) => {
    const { periodId } = parseScopeKey(k);
    return !current.has(periodId) && !periods.includes(periodId);
  });
  return gone.length > 0 ? unsetOf(gone) : null;
}

/**
 * After an award: the keys of periods gone by that its document held before it (`held`: its `t`; each `r` key goes
 * with its `t` key) and that its update did not drop (`unset`), remembered for the member's next award (a late
 * award's own period among them: it is kept by that award, dropped by a later one).
 */
export function rememberGone(
  userId: string,
  unset: Readonly<Record<string, 1>>,
  held: Record<string, unknown> | undefined,
): void {
  if (!held) return;
  const { current } = periodsOfToday();
  let left: string[] | undefined;
  for (const key of Object.keys(held)) {
    const { periodId: period } = parseScopeKey(key);
    if (current.has(period) || unset[`t.${key}`]) continue;
    (left ??= []).push(key);
  }
  if (!left) return;
  leftovers.delete(userId);
  if (leftovers.size >= LEFTOVER_MEMBERS) leftovers.delete(leftovers.keys().next().value as string);
  leftovers.set(userId, left);
}
