import { z } from 'zod';
import { IdSchema } from './schemas/common';
import { dayKey, monthKey } from './time';
import { ACTIVITY_TYPES, requiredPerQuarter, type ActivityType, type Frequency } from './activities';
import { requiredDaysInPosting } from './holidays';

/**
 * 数据看板 (issue 18): per-org, per-period counters kept as events happen, and the indicators derived from them.
 * Periods are Shanghai calendar months, quarters and years; their slot names inside a year's counter document are
 * `m01`..`m12`, `q1`..`q4` and `y`.
 */
export const DASHBOARD_PERIODS = ['month', 'quarter', 'year'] as const;
export type DashboardPeriod = (typeof DASHBOARD_PERIODS)[number];
export const DASHBOARD_PERIOD_LABELS: Record<DashboardPeriod, string> = { month: '月', quarter: '季度', year: '年' };

/** The raw counters, each `$inc`ed for the event's org and every ancestor. */
export const DASHBOARD_COUNTERS = [
  'active',
  'quizN',
  'quizScore',
  'held',
  'attend',
  'hours',
  'wishes',
  'cadreDays',
  /** Branches that reached their 三会一课 frequency in the slot (counted once, when the last required one is held). */
  'met',
] as const;
export type DashboardCounter = (typeof DASHBOARD_COUNTERS)[number];
export type DashboardCounters = Record<DashboardCounter, number>;

/** The slots of a year an event at `at` counts in: its month, its quarter and the year. */
export function dashboardSlots(at: Date | number | string): { year: number; slots: [string, string, string] } {
  const [y, m] = monthKey(at).split('-').map(Number) as [number, number];
  return { year: y, slots: [`m${String(m).padStart(2, '0')}`, `q${Math.ceil(m / 3)}`, 'y'] };
}

/** One concrete period: its kind, year and slot (`m11`, `q4`, `y`). */
export interface DashboardPeriodRef {
  period: DashboardPeriod;
  year: number;
  slot: string;
}

export function periodRefAt(period: DashboardPeriod, at: Date | number | string): DashboardPeriodRef {
  const { year, slots } = dashboardSlots(at);
  return { period, year, slot: period === 'month' ? slots[0] : period === 'quarter' ? slots[1] : 'y' };
}

/** The period before: December of last year before January, Q4 before Q1, last year before this. */
export function previousPeriodRef(ref: DashboardPeriodRef): DashboardPeriodRef {
  if (ref.period === 'year') return { ...ref, year: ref.year - 1 };
  const n = Number(ref.slot.slice(1));
  const letter = ref.slot[0]!;
  if (n > 1) return { ...ref, slot: `${letter}${letter === 'm' ? String(n - 1).padStart(2, '0') : n - 1}` };
  return { ...ref, year: ref.year - 1, slot: letter === 'm' ? 'm12' : 'q4' };
}

/** `2026年11月`, `2026年第4季度`, `2026年`. */
export function periodLabel(ref: DashboardPeriodRef): string {
  const n = Number(ref.slot.slice(1));
  if (ref.period === 'month') return `${ref.year}年${n}月`;
  if (ref.period === 'quarter') return `${ref.year}年第${n}季度`;
  return `${ref.year}年`;
}

/** The months (`YYYY-MM`) of a period. */
export function monthsOfRef(ref: DashboardPeriodRef): string[] {
  const n = ref.period === 'year' ? 0 : Number(ref.slot.slice(1));
  const [first, last] = ref.period === 'month' ? [n, n] : ref.period === 'quarter' ? [n * 3 - 2, n * 3] : [1, 12];
  return Array.from({ length: last - first + 1 }, (_, i) => `${ref.year}-${String(first + i).padStart(2, '0')}`);
}

/** A cadre's posting: since and until (day keys, inclusive; null: open). */
export interface CadrePostingDays {
  s: string | null;
  u: string | null;
}

/**
 * 驻村干部在岗 of a subtree over some months: 应出勤 of every cadre posted there during them (the posting dates, as
 * the cadre's calendar counts them, 不在派驻期 days owing nothing; a month still running owes its working days up
 * to today), whether they checked in or not; present days capped at each cadre's 应出勤 (a cadre who checks in on
 * weekends does not make up for one who never came). The one definition the board, the scores and the 通报 share.
 */
export function cadreAttendance(
  cadres: Record<string, CadrePostingDays>,
  presentOf: (userId: string) => number,
  months: readonly string[],
  requiredPerMonth: number,
  today: string,
): { present: number; required: number } {
  let present = 0;
  let required = 0;
  for (const [id, p] of Object.entries(cadres)) {
    const until = p.u && p.u < today ? p.u : today;
    const owed = months.reduce((sum, m) => sum + requiredDaysInPosting(requiredPerMonth, m, p.s, until), 0);
    required += owed;
    present += Math.min(presentOf(id), owed);
  }
  return { present, required };
}

/** Calendar days of the period that have begun by `now` (Shanghai): the denominator of the daily quiz rate. */
export function elapsedDays(ref: DashboardPeriodRef, now: Date): number {
  const [first, lastMonth] =
    ref.period === 'month'
      ? [Number(ref.slot.slice(1)), Number(ref.slot.slice(1))]
      : ref.period === 'quarter'
        ? [Number(ref.slot.slice(1)) * 3 - 2, Number(ref.slot.slice(1)) * 3]
        : [1, 12];
  const start = Date.UTC(ref.year, first - 1, 1);
  const end = Date.UTC(ref.year, lastMonth, 1);
  const today = Date.parse(`${dayKey(now)}T00:00:00Z`) + 86_400_000;
  return Math.max(0, Math.round((Math.min(end, today) - start) / 86_400_000));
}

export const DASHBOARD_INDICATORS = [
  'active',
  'activeRate',
  'quizRate',
  'quizAvg',
  'held',
  'attendAvg',
  'hours',
  'wishes',
  'cadreDays',
  'cadreReq',
  'metRate',
  'cadreRate',
  'idle',
] as const;
export type DashboardIndicator = (typeof DASHBOARD_INDICATORS)[number];

export const DASHBOARD_INDICATOR_META: Record<DashboardIndicator, { label: string; unit: string }> = {
  active: { label: '活跃党员', unit: '人' },
  activeRate: { label: '党员活跃率', unit: '%' },
  quizRate: { label: '每日答题参与率', unit: '%' },
  quizAvg: { label: '每日答题平均分', unit: '分' },
  held: { label: '开展活动', unit: '次' },
  attendAvg: { label: '场均参加', unit: '人次' },
  hours: { label: '志愿服务时长', unit: '小时' },
  wishes: { label: '微心愿完成', unit: '个' },
  cadreDays: { label: '驻村干部在岗', unit: '人天' },
  cadreReq: { label: '驻村干部应出勤', unit: '人天' },
  metRate: { label: '三会一课达标率', unit: '%' },
  cadreRate: { label: '驻村干部在岗率', unit: '%' },
  idle: { label: '30天未开展活动支部', unit: '个' },
};

/**
 * How many activities of a type a slot requires: a month asks one of each monthly type (a quarterly one is judged
 * by its quarter), a quarter `requiredPerQuarter`, a year four quarters' worth.
 */
export function requiredInSlot(freq: Frequency | undefined, slot: string): number {
  if (slot.startsWith('m')) return freq === 'monthly' ? 1 : 0;
  const perQuarter = requiredPerQuarter(freq);
  return slot.startsWith('q') ? perQuarter : perQuarter * 4;
}

/** A branch meets its 三会一课 frequency in a slot: every required type held often enough (and something is required). */
export function meetsFrequency(
  held: Partial<Record<ActivityType, number>>,
  table: Partial<Record<ActivityType, Frequency>>,
  slot: string,
): boolean {
  const required = ACTIVITY_TYPES.map((t) => [t, requiredInSlot(table[t], slot)] as const).filter(([, n]) => n > 0);
  return required.length > 0 && required.every(([t, n]) => (held[t] ?? 0) >= n);
}

/** Days without an activity after which a branch counts as idle (闲置) on the board. */
export const DASHBOARD_IDLE_DAYS = 30;

/**
 * What the board knows of a subtree besides the counters: its branches, how many are idle, and its cadres' present
 * days (capped) against their 应出勤 (`cadreAttendance`).
 */
export interface DashboardBranchFacts {
  branches: number;
  idle: number;
  cadres?: { present: number; required: number };
}

export type DashboardValues = Record<DashboardIndicator, number>;

const round1 = (n: number) => Math.round(n * 10) / 10;
const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);

/**
 * Indicators from counters: rates over the org's members now (a past period is measured against today's members),
 * the quiz rate over member-days of the period so far, the average score out of 100 (5 questions a day).
 */
export function dashboardValues(
  c: Partial<DashboardCounters>,
  members: number,
  days: number,
  facts: DashboardBranchFacts = { branches: 0, idle: 0 },
): DashboardValues {
  const n = (k: DashboardCounter) => c[k] ?? 0;
  return {
    active: n('active'),
    activeRate: round1(ratio(n('active'), members) * 100),
    quizRate: round1(ratio(n('quizN'), members * days) * 100),
    quizAvg: round1(ratio(n('quizScore'), n('quizN')) * 20),
    held: n('held'),
    attendAvg: round1(ratio(n('attend'), n('held'))),
    hours: round1(n('hours')),
    wishes: n('wishes'),
    cadreDays: n('cadreDays'),
    cadreReq: facts.cadres?.required ?? 0,
    metRate: round1(ratio(n('met'), facts.branches) * 100),
    cadreRate: round1(ratio(facts.cadres?.present ?? 0, facts.cadres?.required ?? 0) * 100),
    idle: facts.idle,
  };
}

const AtSchema = z
  .string()
  .regex(/^\d{4}-\d{2}(-\d{2})?$/, '日期格式应为 YYYY-MM 或 YYYY-MM-DD')
  .refine((s) => Number(s.slice(0, 4)) >= 2000 && Number(s.slice(0, 4)) <= 2100, '年份应在 2000–2100 之间')
  .refine((s) => {
    const [, m, d] = s.split('-').map(Number);
    return m! >= 1 && m! <= 12 && (d === undefined || (d >= 1 && d <= 31));
  }, '日期不存在');

export const DashboardQuerySchema = z.object({
  period: z.enum(DASHBOARD_PERIODS).default('month'),
  /** A day (or month) inside the period; today when absent. */
  at: AtSchema.optional(),
  /** The org to look at; the admin's own subtree when absent. */
  org: IdSchema.optional(),
});
export type DashboardQuery = z.infer<typeof DashboardQuerySchema>;

const ValuesSchema = z.record(z.enum(DASHBOARD_INDICATORS), z.number());
const OrgRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  memberCount: z.number(),
  /** Branches in the org's subtree (the org itself when it is one): the denominator of 三会一课达标率. */
  branches: z.number(),
});

export const DashboardSchema = z.object({
  /**
   * When its counters were read: a board may be up to the shared-view bound old (issue 17), and awards another process
   * answered just before it may still be on their way (counted after their replies, grouped: a write long).
   */
  asOf: z.string().optional(),
  org: OrgRowSchema.extend({ parentId: z.string().nullable() }),
  period: z.enum(DASHBOARD_PERIODS),
  label: z.string(),
  previousLabel: z.string(),
  values: ValuesSchema,
  previous: ValuesSchema,
  /** The periods of the year so far (and the one before), oldest first: one line per indicator. */
  trend: z.array(z.object({ label: z.string(), values: ValuesSchema })),
  children: z.array(OrgRowSchema.extend({ values: ValuesSchema })),
  /** 巡查 coverage of the half-year the period ends in (issue 18 item 5). */
  inspections: z.object({
    half: z.string(),
    label: z.string(),
    villages: z.object({ covered: z.number(), total: z.number() }),
    branches: z.object({ covered: z.number(), total: z.number() }),
    met: z.boolean(),
  }),
});
export type Dashboard = z.infer<typeof DashboardSchema>;
