import { DASHBOARD_IDLE_DAYS, shanghaiInstant, type DashboardPeriodRef } from '@pioneer/shared';
import type { CountersDoc } from './dashboard.model';

const DAY = 86_400_000;

/** The last month (1..12) of a period. */
const endMonth = (ref: DashboardPeriodRef) =>
  ref.period === 'year' ? 12 : ref.period === 'quarter' ? Number(ref.slot.slice(1)) * 3 : Number(ref.slot.slice(1));

/** The instant a period ends (the next period's first moment, Shanghai). */
export function periodEnd(ref: DashboardPeriodRef): Date {
  const m = endMonth(ref);
  const [y, next] = m === 12 ? [ref.year + 1, 1] : [ref.year, m + 1];
  return shanghaiInstant(`${y}-${String(next).padStart(2, '0')}-01`, '00:00:00');
}

/**
 * A branch's last activity up to the end of `ref`, from the counters document of year `year` (its months, and the
 * previous November–December carried as `plh`); null when none is known.
 */
function lastHeld(doc: CountersDoc | null, year: number, ref: DashboardPeriodRef, branchId: string): number | null {
  const carried = doc?.plh?.[branchId] ?? null;
  if (ref.year === year - 1) return endMonth(ref) === 12 ? carried : null;
  if (ref.year !== year) return null;
  const months = doc?.lh?.[branchId] ?? {};
  const upTo = endMonth(ref);
  const own = Object.entries(months)
    .filter(([mm]) => Number(mm) <= upTo)
    .map(([, at]) => at);
  const all = carried === null ? own : [...own, carried];
  return all.length ? Math.max(...all) : null;
}

/**
 * Branches with no activity in the 30 days before the period's end (or before now, for a period still running):
 * the board's 闲置 count, from the one counters document the board reads anyway.
 */
export function idleCount(
  doc: CountersDoc | null,
  year: number,
  ref: DashboardPeriodRef,
  branchIds: readonly string[],
  now: Date,
): number {
  const at = Math.min(periodEnd(ref).getTime(), now.getTime());
  const since = at - DASHBOARD_IDLE_DAYS * DAY;
  return branchIds.filter((b) => {
    const last = lastHeld(doc, year, ref, b);
    return last === null || last < since;
  }).length;
}
