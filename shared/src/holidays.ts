import { daysOfMonth } from './checkins';

/**
 * 法定节假日 and 调休 as the State Council publishes them each November for the next year (国务院办公厅关于 20xx 年
 * 部分节假日安排的通知). A day off (`off`) is not a working day even on a weekday; a 调休上班 day (`work`) is one even
 * on a weekend. Add a year here when its notice is out; a year without a table counts weekends only.
 *
 * 2026: 国办发明电〔2025〕 notice of 2025-11-04 (新华社, e.g. politics.gmw.cn/2025-11/04/content_38391083.htm).
 * 2027: not yet in our sources (the notice usually comes in November): add it from the notice, do not guess.
 */
interface Span {
  name: string;
  /** First and last day off, inclusive (`YYYY-MM-DD`). */
  off: [string, string];
  /** 调休上班 days for this holiday. */
  work?: string[];
}

export const HOLIDAY_SCHEDULES: Readonly<Record<number, readonly Span[]>> = {
  2026: [
    { name: '元旦', off: ['2026-01-01', '2026-01-03'], work: ['2026-01-04'] },
    { name: '春节', off: ['2026-02-15', '2026-02-23'], work: ['2026-02-14', '2026-02-28'] },
    { name: '清明节', off: ['2026-04-04', '2026-04-06'] },
    { name: '劳动节', off: ['2026-05-01', '2026-05-05'], work: ['2026-05-09'] },
    { name: '端午节', off: ['2026-06-19', '2026-06-21'] },
    { name: '中秋节', off: ['2026-09-25', '2026-09-27'] },
    { name: '国庆节', off: ['2026-10-01', '2026-10-07'], work: ['2026-09-20', '2026-10-10'] },
  ],
};

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup';

export interface DayInfo {
  kind: DayKind;
  /** The holiday a day off or a 调休上班 day belongs to. */
  name: string | null;
}

const yearOf = (day: string) => Number(day.slice(0, 4));

/** A day's weekday, Sunday 0 (the date is a calendar date: no time zone). */
function weekday(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** Whether the State Council's schedule for this year is in the table. */
export const hasHolidaySchedule = (year: number) => year in HOLIDAY_SCHEDULES;

/** What kind of day it is: a working day, a weekend, a 法定节假日 (with 调休 rest days) or a 调休上班 day. */
export function dayInfo(day: string): DayInfo {
  for (const span of HOLIDAY_SCHEDULES[yearOf(day)] ?? []) {
    if (day >= span.off[0] && day <= span.off[1]) return { kind: 'holiday', name: span.name };
    if (span.work?.includes(day)) return { kind: 'makeup', name: span.name };
  }
  const w = weekday(day);
  return { kind: w === 0 || w === 6 ? 'weekend' : 'workday', name: null };
}

export const isWorkingDay = (day: string) => {
  const { kind } = dayInfo(day);
  return kind === 'workday' || kind === 'makeup';
};

const workingDaysMemo = new Map<string, readonly string[]>();
const WORKING_DAYS_MEMO_MAX = 600;

/**
 * The working days of a month (`YYYY-MM`): weekdays less days off, plus 调休上班 weekends. Worked out once per month
 * in a process (the schedule is a constant table): a 数据看板 asks for every cadre in every row, and working each
 * day out again was ~100 ms of CPU per county read with 200 cadres. Frozen, so no caller can change the shared copy.
 */
export function workingDaysOf(month: string): readonly string[] {
  let days = workingDaysMemo.get(month);
  if (!days) {
    days = Object.freeze(daysOfMonth(month).filter(isWorkingDay));
    if (workingDaysMemo.size >= WORKING_DAYS_MEMO_MAX) workingDaysMemo.clear();
    workingDaysMemo.set(month, days);
  }
  return days;
}

/**
 * 应出勤 of a month: the county's number, but never more than the month's working days when the year's schedule
 * is known (a February with a nine-day 春节 has 16). Without the year's schedule the county's number stands.
 */
export function requiredDaysOfMonth(countyRequired: number, month: string): number {
  if (!hasHolidaySchedule(Number(month.slice(0, 4)))) return countyRequired;
  return Math.min(countyRequired, workingDaysOf(month).length);
}

/** Whether a day lies in a posting from `since` to `until` (day keys, both inclusive; null: open). */
export const inPosting = (day: string, since: string | null, until: string | null) =>
  (!since || day >= since) && (!until || day <= until);

const postedMemo = new Map<string, number>();
const POSTED_MEMO_MAX = 5_000;

/** How many of a month's working days fall in a posting; `since`/`until` only ever inside the month (see below). */
function postedDays(month: string, all: readonly string[], since: string | null, until: string | null): number {
  const key = `${month}|${since ?? ''}|${until ?? ''}`;
  let n = postedMemo.get(key);
  if (n === undefined) {
    n = all.filter((d) => inPosting(d, since, until)).length;
    if (postedMemo.size >= POSTED_MEMO_MAX) postedMemo.clear();
    postedMemo.set(key, n);
  }
  return n;
}

/**
 * 应出勤 of a month a cadre was posted for only part of: the month's number shared out over the working days of the
 * posting (posted for 11 of a month's 22 working days, 20 required becomes 10), never more than those days. A whole
 * month is `requiredDaysOfMonth`. A 数据看板 asks this for every cadre in every row and trend point, so a posting
 * that covers the month returns at once, and a partial one is counted once per month and posting dates in a process
 * (dates outside the month are dropped first: cadres posted before it share one entry).
 */
export function requiredDaysInPosting(
  countyRequired: number,
  month: string,
  since: string | null,
  until: string | null,
): number {
  const full = requiredDaysOfMonth(countyRequired, month);
  const all = workingDaysOf(month);
  const first = all[0];
  const last = all.at(-1);
  if (first === undefined || last === undefined) return full;
  const from = since && since > first ? since : null;
  const to = until && until < last ? until : null;
  if (from === null && to === null) return full;
  const posted = postedDays(month, all, from, to);
  if (posted === all.length) return full;
  return Math.min(posted, Math.round((full * posted) / all.length));
}
