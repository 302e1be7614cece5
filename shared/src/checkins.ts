/** 驻村考勤: rules, labels and period arithmetic, read by the server (to enforce) and the app (to show). */
import { dayKey, monthKey } from './time';

export const CHECKIN_RULES = {
  /** A fix worse than this is refused (LOCATION_INACCURATE). */
  maxAccuracyM: 300,
  /** Faster than this since the previous check-in raises the too_fast flag. */
  maxSpeedKmh: 120,
  /** Days present a cadre owes per month unless the county says otherwise. */
  defaultRequiredDays: 20,
  reasonMax: 200,
  commentMax: 200,
  /** A fix captured on the device longer than this before the server received it (sent from the offline queue) is flagged late_upload. */
  lateUploadMinutes: 10,
  /** A capture time further ahead of the server's clock than this is a wrong device clock: refused (400). */
  maxClockSkewMinutes: 2,
  /** A fix captured longer ago than this is refused (CAPTURE_TOO_OLD): see checkins.service `eventTime`. */
  maxUploadGapHours: 72,
} as const;

export const COORD_TYPES = ['gcj02', 'wgs84'] as const;

/** valid: inside the fence; pending: outside with a reason (外勤), until the secretary decides. */
export const CHECKIN_STATUSES = ['valid', 'pending', 'approved', 'rejected'] as const;
export type CheckinStatus = (typeof CHECKIN_STATUSES)[number];
export const CHECKIN_STATUS_LABELS: Record<CheckinStatus, string> = {
  valid: '有效',
  pending: '待审核',
  approved: '已批准',
  rejected: '未通过',
};

export const DAY_STATUSES = ['present', 'pending', 'absent', 'flagged'] as const;
export type DayStatus = (typeof DAY_STATUSES)[number];
export const DAY_STATUS_LABELS: Record<DayStatus, string> = {
  present: '出勤',
  pending: '待审',
  absent: '缺勤',
  flagged: '存疑',
};

/** Suspicion flags: stored and shown in reports, never a silent rejection. */
export const CHECKIN_FLAGS = ['too_fast', 'same_coords', 'zero_accuracy', 'late_upload'] as const;
export type CheckinFlag = (typeof CHECKIN_FLAGS)[number];
export const CHECKIN_FLAG_LABELS: Record<CheckinFlag, string> = {
  too_fast: '移动过快',
  same_coords: '坐标与往日雷同',
  zero_accuracy: '定位精度为0',
  late_upload: '离线补传（定位与上传相隔较久）',
};

/** One day of a cadre's month as stored: valid-or-approved, pending and flagged check-in counts. */
export interface DayCounts {
  v?: number;
  p?: number;
  f?: number;
}

/** Present with at least one valid or approved check-in; a flagged day is shown as flagged whatever else. */
export function dayStatus(c: DayCounts | undefined): DayStatus {
  if (!c) return 'absent';
  if ((c.f ?? 0) > 0) return 'flagged';
  if ((c.v ?? 0) > 0) return 'present';
  if ((c.p ?? 0) > 0) return 'pending';
  return 'absent';
}

export const isPresent = (c: DayCounts | undefined) => (c?.v ?? 0) > 0;
/** Waiting for review and not already present through another check-in. */
export const isPendingDay = (c: DayCounts | undefined) => !isPresent(c) && (c?.p ?? 0) > 0;

export const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;
export const QUARTER_RE = /^\d{4}-Q[1-4]$/;
export const HALF_RE = /^\d{4}-H[12]$/;
export const YEAR_RE = /^\d{4}$/;

export const REPORT_PERIOD_KINDS = ['month', 'quarter', 'half', 'year'] as const;
export type ReportPeriodKind = (typeof REPORT_PERIOD_KINDS)[number];
export const REPORT_PERIOD_LABELS: Record<ReportPeriodKind, string> = {
  month: '月度',
  quarter: '季度通报',
  half: '半年考核',
  year: '年终评估',
};

export interface ReportPeriod {
  kind: ReportPeriodKind;
  /** `2026-05`, `2026-Q2`, `2026-H1`, `2026`. */
  key: string;
  label: string;
  /** The months it covers, `YYYY-MM`, in order. */
  months: string[];
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const monthsOf = (year: number, from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `${year}-${pad2(from + i)}`);

/** Parses a period key of any kind; null when it is none. */
export function reportPeriod(kind: ReportPeriodKind, key: string): ReportPeriod | null {
  const year = Number(key.slice(0, 4));
  if (kind === 'month' && MONTH_RE.test(key))
    return { kind, key, label: `${year}年${Number(key.slice(5))}月`, months: [key] };
  if (kind === 'quarter' && QUARTER_RE.test(key)) {
    const q = Number(key.slice(6));
    return { kind, key, label: `${year}年第${q}季度`, months: monthsOf(year, (q - 1) * 3 + 1, 3) };
  }
  if (kind === 'half' && HALF_RE.test(key)) {
    const h = Number(key.slice(6));
    return { kind, key, label: `${year}年${h === 1 ? '上' : '下'}半年`, months: monthsOf(year, h === 1 ? 1 : 7, 6) };
  }
  if (kind === 'year' && YEAR_RE.test(key)) return { kind, key, label: `${year}年`, months: monthsOf(year, 1, 12) };
  return null;
}

/** The period of a kind that contains `at` (Shanghai calendar). */
export function currentPeriodKey(kind: ReportPeriodKind, at: Date | number = Date.now()): string {
  const month = monthKey(at);
  const [y, m] = [month.slice(0, 4), Number(month.slice(5))];
  if (kind === 'month') return month;
  if (kind === 'quarter') return `${y}-Q${Math.ceil(m / 3)}`;
  if (kind === 'half') return `${y}-H${m <= 6 ? 1 : 2}`;
  return y;
}

/** The period `delta` steps before (negative) or after a key of the same kind. */
export function shiftPeriodKey(kind: ReportPeriodKind, key: string, delta: number): string {
  const year = Number(key.slice(0, 4));
  const per = kind === 'month' ? 12 : kind === 'quarter' ? 4 : kind === 'half' ? 2 : 1;
  const index = kind === 'year' ? 0 : Number(key.slice(kind === 'month' ? 5 : 6)) - 1;
  const total = year * per + index + delta;
  const [y, i] = [Math.floor(total / per), (total % per) + 1];
  if (kind === 'month') return `${y}-${pad2(i)}`;
  if (kind === 'quarter') return `${y}-Q${i}`;
  if (kind === 'half') return `${y}-H${i}`;
  return String(y);
}

/** Every day of a month, `YYYY-MM-DD`. */
export function daysOfMonth(month: string): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const count = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length: count }, (_, i) => `${month}-${pad2(i + 1)}`);
}

/** The days of a month a calendar can judge at `now`: all of a past month, up to today in this one, none ahead. */
export function daysSoFar(month: string, now: Date | number = Date.now()): string[] {
  const today = dayKey(now);
  return daysOfMonth(month).filter((d) => d <= today);
}

// Month arithmetic lives in time.ts; the calendar page imports it from here (no zod in the app bundle either way).
export { nextMonthKey, previousMonthKey } from './time';

/** Chinese column headers of the report export, in column order. */
export const REPORT_COLUMNS = [
  { key: 'name', header: '姓名' },
  { key: 'branch', header: '所在支部' },
  { key: 'village', header: '驻村' },
  { key: 'present', header: '出勤天数' },
  { key: 'required', header: '应出勤天数' },
  { key: 'pending', header: '待审核天数' },
  { key: 'flagged', header: '存疑天数' },
  { key: 'lastCheckinAt', header: '最近打卡' },
] as const;
