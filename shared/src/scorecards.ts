import { z } from 'zod';
import { IdSchema } from './schemas/common';
import { PhotoUrlsSchema } from './schemas/posts';
import { dashboardValues, type DashboardCounters, type DashboardIndicator } from './dashboard';

/**
 * 支部评分 · 星级评定 (issue 18 item 2). A county's scorecard is a list of weighted indicators — automatic ones read
 * from the 数据看板 counters, manual ones entered by township admins with evidence — plus star thresholds, the number
 * of 最强党支部 candidates per township and the 软弱涣散 line. It is versioned by effective date like the points rules:
 * a quarter is scored by the version in force on its last day.
 */
export const QuarterSchema = z.string().regex(/^20\d{2}Q[1-4]$/, '季度格式应为 2026Q3');
export type Quarter = z.infer<typeof QuarterSchema>;
const DaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

/** The dashboard indicators a branch can be scored on (members active is a count; its rate is what compares). */
export const SCORE_SOURCES = [
  'activeRate',
  'quizRate',
  'quizAvg',
  'held',
  'attendAvg',
  'hours',
  'wishes',
  'cadreDays',
] as const satisfies readonly DashboardIndicator[];
export type ScoreSource = (typeof SCORE_SOURCES)[number];
/** Counts grow with time: a branch that existed part of the quarter is held to that part of the target. */
export const PRORATED_SOURCES: readonly ScoreSource[] = ['held', 'hours', 'wishes', 'cadreDays'];

export const ScorecardIndicatorSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-zA-Z0-9]{0,30}$/, '指标代码只能是字母和数字，以小写字母开头'),
    label: z.string().trim().min(1, '请填写指标名称').max(30, '指标名称最多30字'),
    kind: z.enum(['auto', 'manual']),
    source: z.enum(SCORE_SOURCES).optional(),
    /** The value that earns the full weight (a rate in %, a count, or a manual indicator's maximum). */
    target: z.number().positive('满分标准应大于0').max(100_000),
    weight: z.number().min(0).max(100),
  })
  .refine((i) => i.kind === 'manual' || i.source !== undefined, '自动指标需要选择数据来源');
export type ScorecardIndicator = z.infer<typeof ScorecardIndicatorSchema>;

export const ScorecardVersionBodySchema = z
  .object({
    org: IdSchema,
    effectiveFrom: DaySchema,
    indicators: z.array(ScorecardIndicatorSchema).min(1, '至少需要一个指标').max(20),
    /** Lowest scores of 2, 3, 4 and 5 stars, ascending; below the first is one star. */
    stars: z.array(z.number().min(0).max(100)).length(4, '需要4个星级分数线'),
    candidatesPerTownship: z.number().int().min(1).max(20),
    /** A rated branch scoring below this is 软弱涣散. */
    weakBelow: z.number().min(0).max(100),
  })
  .refine((v) => new Set(v.indicators.map((i) => i.key)).size === v.indicators.length, '指标代码不能重复')
  .refine((v) => Math.abs(v.indicators.reduce((s, i) => s + i.weight, 0) - 100) < 1e-6, '各指标权重之和应为100')
  .refine((v) => v.stars.every((s, i) => i === 0 || s > v.stars[i - 1]!), '星级分数线应逐级升高');
export type ScorecardVersionBody = z.infer<typeof ScorecardVersionBodySchema>;
export type ScorecardVersion = Omit<ScorecardVersionBody, 'org'>;

export const ScorecardQuerySchema = z.object({ org: IdSchema, at: DaySchema.optional() });
export const ScorecardViewSchema = z.object({
  org: z.string(),
  at: z.string(),
  versions: z.array(z.string()),
  version: z
    .object({
      effectiveFrom: z.string(),
      indicators: z.array(ScorecardIndicatorSchema),
      stars: z.array(z.number()),
      candidatesPerTownship: z.number(),
      weakBelow: z.number(),
    })
    .nullable(),
});
export type ScorecardView = z.infer<typeof ScorecardViewSchema>;

/** A township admin's manual value for one branch, quarter and indicator, with photos as evidence. */
export const ManualEntryBodySchema = z.object({
  branch: IdSchema,
  quarter: QuarterSchema,
  key: z.string().regex(/^[a-z][a-zA-Z0-9]{0,30}$/, '指标代码不正确'),
  value: z.number().min(0).max(100_000),
  note: z.string().trim().max(200).default(''),
  photoUrls: PhotoUrlsSchema(6).min(1, '请上传佐证照片'),
});
export type ManualEntryBody = z.infer<typeof ManualEntryBodySchema>;

/** GET /scorecards/manual: a branch's manual indicators for a quarter (from the card in force) and what was entered. */
export const ManualQuerySchema = z.object({ branch: IdSchema, quarter: QuarterSchema });
export interface ManualEntriesView {
  branch: { id: string; name: string };
  quarter: string;
  label: string;
  /** The quarter's manual indicators; empty when the county has no card or no manual indicator. */
  indicators: { key: string; label: string; target: number }[];
  entries: { key: string; value: number; note: string; photoUrls: string[]; byName: string; at: string }[];
}

export const FlagBodySchema = z.object({
  branch: IdSchema,
  quarter: QuarterSchema,
  /** Mark as 软弱涣散 with a reason, or clear the mark (reason ignored). */
  flagged: z.boolean(),
  reason: z.string().trim().max(200).default(''),
});
export type FlagBody = z.infer<typeof FlagBodySchema>;

export const ComputeBodySchema = z.object({ org: IdSchema, quarter: QuarterSchema });
export const ResultsQuerySchema = z.object({ org: IdSchema.optional(), quarter: QuarterSchema });
export type ResultsQuery = z.infer<typeof ResultsQuerySchema>;

// ---------- quarters ----------

export function quarterRange(q: Quarter): { year: number; n: number; first: string; last: string; days: number } {
  const year = Number(q.slice(0, 4));
  const n = Number(q.slice(5));
  const start = Date.UTC(year, n * 3 - 3, 1);
  const end = Date.UTC(year, n * 3, 1);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { year, n, first: day(start), last: day(end - 86_400_000), days: Math.round((end - start) / 86_400_000) };
}

export const quarterLabel = (q: Quarter) => `${q.slice(0, 4)}年第${q.slice(5)}季度`;

/** Days of the quarter the branch existed, up to `today` (Shanghai days, YYYY-MM-DD; inclusive). */
export function daysInForce(q: Quarter, createdDay: string, today: string): number {
  const r = quarterRange(q);
  const from = createdDay > r.first ? createdDay : r.first;
  const to = today < r.last ? today : r.last;
  if (to < from) return 0;
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

// ---------- the maths ----------

export interface BranchInput {
  members: number;
  /** Days of the quarter the branch existed (so far). */
  days: number;
  /** Days of the whole quarter. */
  quarterDays: number;
  counters: Partial<DashboardCounters>;
  manual: Record<string, number>;
}

export interface IndicatorScore {
  key: string;
  value: number;
  target: number;
  points: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * A branch's score out of 100: each indicator earns weight x min(1, value / target). Automatic values come from
 * the counters as on the 数据看板, with the quiz rate over the days the branch existed; counted sources (activities,
 * hours, wishes, cadre days) are held to the share of the target for those days. Null when the branch has no
 * members (不参评: nothing to measure it by).
 */
export function scoreBranch(
  version: Pick<ScorecardVersion, 'indicators'>,
  input: BranchInput,
): { score: number; parts: IndicatorScore[] } | null {
  if (input.members <= 0 || input.days <= 0) return null;
  const values = dashboardValues(input.counters, input.members, input.days);
  const share = input.days / input.quarterDays;
  const parts = version.indicators.map((ind) => {
    const auto = ind.kind === 'auto' && ind.source;
    const value = auto ? values[ind.source!] : (input.manual[ind.key] ?? 0);
    const target = auto && PRORATED_SOURCES.includes(ind.source!) ? ind.target * share : ind.target;
    const points = ind.weight * Math.min(1, value / target);
    return { key: ind.key, value, target: round1(target), points: round1(points) };
  });
  return { score: round1(parts.reduce((s, p) => s + p.points, 0)), parts };
}

/** 1–5 stars: 1 below the first threshold, 5 at or above the last. */
export function starsOf(score: number, thresholds: readonly number[]): number {
  return 1 + thresholds.filter((t) => score >= t).length;
}

/** Standard competition ranking (1, 2, 2, 4) by score, highest first. */
export function ranksOf(scores: readonly number[]): number[] {
  return scores.map((s) => 1 + scores.filter((o) => o > s).length);
}

// ---------- stored results ----------

export const BranchResultSchema = z.object({
  id: z.string(),
  name: z.string(),
  townshipId: z.string(),
  townshipName: z.string(),
  villageName: z.string(),
  members: z.number(),
  /** Null: 不参评 (no members). */
  score: z.number().nullable(),
  parts: z.array(z.object({ key: z.string(), value: z.number(), target: z.number(), points: z.number() })),
  countyRank: z.number().nullable(),
  townshipRank: z.number().nullable(),
  stars: z.number().nullable(),
  candidate: z.boolean(),
  /** 软弱涣散: below the line, or marked by an admin (the reason says which). */
  weak: z.boolean(),
  weakReason: z.string().nullable(),
  note: z.string().nullable(),
});
export type BranchResult = z.infer<typeof BranchResultSchema>;

export const TownshipResultSchema = z.object({
  id: z.string(),
  name: z.string(),
  branches: z.number(),
  rated: z.number(),
  average: z.number().nullable(),
  rank: z.number().nullable(),
  fiveStars: z.number(),
  weak: z.number(),
  cadreDays: z.number(),
  /** 应出勤 of every cadre posted in the township over the quarter, and present days (capped) against it, in %. */
  cadreReq: z.number(),
  cadreRate: z.number(),
  activeRate: z.number(),
});
export type TownshipResult = z.infer<typeof TownshipResultSchema>;

export const ScoreResultsSchema = z.object({
  county: z.object({ id: z.string(), name: z.string() }),
  org: z.object({ id: z.string(), name: z.string(), type: z.string() }),
  quarter: z.string(),
  label: z.string(),
  computedAt: z.string().nullable(),
  effectiveFrom: z.string().nullable(),
  indicators: z.array(ScorecardIndicatorSchema),
  stars: z.array(z.number()),
  weakBelow: z.number(),
  townships: z.array(TownshipResultSchema),
  branches: z.array(BranchResultSchema),
});
export type ScoreResults = z.infer<typeof ScoreResultsSchema>;

export * from './rectification-plans';
