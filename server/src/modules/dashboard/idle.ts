import { DASHBOARD_IDLE_DAYS, shanghaiInstant, type DashboardPeriodRef } from '@pioneer/shared';
import type { CountersDoc, CountersYears } from './dashboard.model';

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

/** A branch's last activity (ms) in months `from`..`to` of a counters document; null when none. */
function lastIn(doc: CountersDoc | null, branchId: string, from: number, to: number): number | null {
  const at = Object.entries(doc?.lh?.[branchId] ?? {})
    .filter(([mm]) => Number(mm) >= from && Number(mm) <= to)
    .map(([, ms]) => ms);
  return at.length ? Math.max(...at) : null;
}

/**
 * A branch's last activity up to the end of `ref`, from the documents of the year read and the year before (its
 * November–December: no earlier month lies within 30 days of a period's end in the year read); null when none.
 */
function lastHeld(years: CountersYears, ref: DashboardPeriodRef, branchId: string): number | null {
  const lateLastYear = lastIn(years.last, branchId, 11, 12);
  if (ref.year === years.year - 1) return endMonth(ref) === 12 ? lateLastYear : null;
  if (ref.year !== years.year) return null;
  const own = lastIn(years.doc, branchId, 1, endMonth(ref));
  return own === null ? lateLastYear : lateLastYear === null ? own : Math.max(own, lateLastYear);
}

/**
 * Branches with no activity in the 30 days before the period's end (or before now, for a period still running):
 * the board's 闲置 count, from the counters documents the board reads anyway.
 */
export function idleCount(
  years: CountersYears,
  ref: DashboardPeriodRef,
  branchIds: readonly string[],
  now: Date,
): number {
  const at = Math.min(periodEnd(ref).getTime(), now.getTime());
  const since = at - DASHBOARD_IDLE_DAYS * DAY;
  return branchIds.filter((b) => {
    const last = lastHeld(years, ref, b);
    return last === null || last < since;
  }).length;
}
