import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);

/** China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact for Asia/Shanghai. */
const SHANGHAI_OFFSET_MINUTES = 8 * 60;

export const PERIODS = ['week', 'month', 'year', 'all'] as const;
export type Period = (typeof PERIODS)[number];

export const PERIOD_LABELS: Record<Period, string> = { week: '本周', month: '本月', year: '本年', all: '累计' };

function inShanghai(at: Date | number | string) {
  return dayjs(at).utcOffset(SHANGHAI_OFFSET_MINUTES);
}

/**
 * The Shanghai wall clock of a Date or epoch ms, read through the UTC getters (the offset is fixed): the period keys
 * of every read request without a dayjs object and its format (issue 17: ~5% of a board read's CPU). Null for a
 * string (dayjs parses one without a zone as local time, which `Date` does not) and for an invalid time.
 */
function shanghaiClock(at: Date | number | string): Date | null {
  if (typeof at === 'string') return null;
  const ms = typeof at === 'number' ? at : at.getTime();
  return Number.isFinite(ms) ? new Date(ms + SHANGHAI_OFFSET_MINUTES * 60_000) : null;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY-MM-DD` of the Shanghai calendar day that contains `at`. */
export function dayKey(at: Date | number | string): string {
  const c = shanghaiClock(at);
  if (!c) return inShanghai(at).format('YYYY-MM-DD');
  return `${pad(c.getUTCFullYear(), 4)}-${pad(c.getUTCMonth() + 1)}-${pad(c.getUTCDate())}`;
}

/** ISO-8601 week of the Shanghai day, e.g. `2026-W53`; the year is the ISO week-year, not the calendar year. */
export function weekKey(at: Date | number | string): string {
  // From the Shanghai calendar day in plain UTC arithmetic, not dayjs's isoWeek: once exceljs is loaded (it extends
  // the same dayjs with its own plugins) isoWeek on an offset object counts the machine's day, so from 00:00 to
  // 08:00 on a Shanghai Monday a server on UTC paid points into the week before (CI, a Monday morning in Shanghai).
  const day = new Date(`${dayKey(at)}T00:00:00Z`);
  const thursday = new Date(day.getTime() + (3 - ((day.getUTCDay() + 6) % 7)) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function monthKey(at: Date | number | string): string {
  const c = shanghaiClock(at);
  return c ? `${pad(c.getUTCFullYear(), 4)}-${pad(c.getUTCMonth() + 1)}` : inShanghai(at).format('YYYY-MM');
}

/** The instant a Shanghai wall-clock time happens: `shanghaiInstant('2026-11-25', '23:59:59')`. */
export function shanghaiInstant(day: string, time = '00:00:00'): Date {
  return new Date(`${day}T${time}+08:00`);
}

/** `YYYY-MM` shifted by `n` months (negative: back). */
export function shiftMonthKey(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export const previousMonthKey = (month: string) => shiftMonthKey(month, -1);
export const nextMonthKey = (month: string) => shiftMonthKey(month, 1);

export function yearKey(at: Date | number | string): string {
  const c = shanghaiClock(at);
  return c ? pad(c.getUTCFullYear(), 4) : inShanghai(at).format('YYYY');
}

/** The key that names one concrete period, as stored in totals: `week:2026-W48`, `month:2026-11`, `all`. */
export function periodId(period: Period, at: Date | number | string): string {
  switch (period) {
    case 'week':
      return `week:${weekKey(at)}`;
    case 'month':
      return `month:${monthKey(at)}`;
    case 'year':
      return `year:${yearKey(at)}`;
    case 'all':
      return 'all';
  }
}

/** Every period a moment belongs to, in PERIODS order. */
export function periodIds(at: Date | number | string): string[] {
  return PERIODS.map((p) => periodId(p, at));
}

/** Formats a moment for members, in Shanghai time: `11月25日 09:30`. */
export function formatShanghai(at: Date | number | string, pattern = 'M月D日 HH:mm'): string {
  return inShanghai(at).format(pattern);
}
