/**
 * Every `_id` of the points collections, built and parsed here only (FerretDB serves key reads, so these formats are
 * the storage layout: changing one orphans what is stored).
 */

/** A member's own totals, independent of the org they are in now: what "my points" shows. */
export const SELF_SCOPE = 'self';

/** `${periodId}|${scopeId}|${userId}`: a member's points in one scope and period. */
export const totalId = (periodId: string, scopeId: string, userId: string) => `${periodId}|${scopeId}|${userId}`;

/** `${periodId}|${scopeId}`: a scope's histogram and its top board. */
export const scopeKey = (periodId: string, scopeId: string) => `${periodId}|${scopeId}`;

export function parseScopeKey(key: string): { periodId: string; scopeId: string } {
  const [periodId, scopeId] = key.split('|') as [string, string];
  return { periodId, scopeId };
}

/** `${reason}|${capPeriodKey}|${userId}`: the claims on one member's cap of one reason in one cap period. */
export const capId = (reason: string, capPeriodKey: string, userId: string) => `${reason}|${capPeriodKey}|${userId}`;

/** `${userId}|${month}`: a member's ledger lines of one month (the points history page). */
export const feedId = (userId: string, month: string) => `${userId}|${month}`;
