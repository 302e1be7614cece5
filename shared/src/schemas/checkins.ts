import { z } from 'zod';
import {
  CHECKIN_FLAGS,
  CHECKIN_RULES,
  CHECKIN_STATUSES,
  COORD_TYPES,
  DAY_STATUSES,
  HALF_RE,
  MONTH_RE,
  QUARTER_RE,
  REPORT_PERIOD_KINDS,
  YEAR_RE,
} from '../checkins';
import { FenceSchema, OrgSummarySchema } from './orgs';
import { IdSchema } from './common';

export const CoordTypeSchema = z.enum(COORD_TYPES);
export const CheckinStatusSchema = z.enum(CHECKIN_STATUSES);
export const DayStatusSchema = z.enum(DAY_STATUSES);
export const CheckinFlagSchema = z.enum(CHECKIN_FLAGS);

/** Optional free text; blank counts as absent. */
const optionalText = (max: number, tooLong: string) =>
  z
    .string()
    .trim()
    .max(max, tooLong)
    .transform((s) => (s ? s : undefined))
    .optional();

export const CheckinBodySchema = z
  .object({
    lat: z.number({ error: '纬度必须是数字' }).min(-90, '纬度超出范围').max(90, '纬度超出范围'),
    lng: z.number({ error: '经度必须是数字' }).min(-180, '经度超出范围').max(180, '经度超出范围'),
    /** Metres, as the device reports it. */
    accuracy: z.number({ error: '缺少定位精度' }).min(0, '定位精度不能为负').max(1_000_000, '定位精度超出范围'),
    coordType: CoordTypeSchema,
    /** Why the cadre is outside the fence (外勤): turns a refusal into a pending check-in. */
    reason: optionalText(CHECKIN_RULES.reasonMax, `说明不能超过${CHECKIN_RULES.reasonMax}字`),
    /** When the device took the fix; informational only, the server's clock decides the day. */
    capturedAt: z.iso.datetime({ offset: true }).optional(),
  })
  // (0, 0) is what a failed fix reports, not a place anyone checks in from.
  .refine((b) => !(b.lat === 0 && b.lng === 0), { message: '定位无效，请重新定位', path: ['lat'] });
export type CheckinBody = z.infer<typeof CheckinBodySchema>;

export const CheckinReviewSchema = z.object({
  decision: z.enum(['approve', 'reject']),
  comment: z.string().nullable(),
  at: z.string(),
  byName: z.string(),
});
export type CheckinReview = z.infer<typeof CheckinReviewSchema>;

/** One check-in as its cadre and the reviewers see it. */
export const CheckinItemSchema = z.object({
  id: z.string(),
  at: z.string(),
  day: z.string(),
  status: CheckinStatusSchema,
  distanceM: z.number().int(),
  withinFence: z.boolean(),
  accuracy: z.number(),
  flags: z.array(CheckinFlagSchema),
  reason: z.string().nullable(),
  review: CheckinReviewSchema.nullable(),
});
export type CheckinItem = z.infer<typeof CheckinItemSchema>;

/** 201 reply of POST /checkins. */
export const CheckinResultSchema = CheckinItemSchema.extend({
  village: OrgSummarySchema,
  /** Points this check-in paid now (0 when the day had already paid, or while pending). */
  pointsAwarded: z.number().int(),
});
export type CheckinResult = z.infer<typeof CheckinResultSchema>;

export const MonthQuerySchema = z.object({ month: z.string().regex(MONTH_RE, '月份格式应为 YYYY-MM').optional() });
export type MonthQuery = z.infer<typeof MonthQuerySchema>;

export const AttendanceDaySchema = z.object({
  day: z.string(),
  status: DayStatusSchema,
  /** A flagged day can still be present: flags are shown, not rejections. */
  present: z.boolean(),
  /** Before the cadre's posting began or after it ended: nothing was owed, so no 缺勤 (issue 15). */
  outside: z.boolean().optional(),
});
export type AttendanceDay = z.infer<typeof AttendanceDaySchema>;

export const MyMonthSchema = z.object({
  month: z.string(),
  village: OrgSummarySchema.extend({ fence: FenceSchema.nullable() }).nullable(),
  /** Every day of the month up to today (none ahead). */
  days: z.array(AttendanceDaySchema),
  presentDays: z.number().int(),
  pendingDays: z.number().int(),
  flaggedDays: z.number().int(),
  requiredDays: z.number().int(),
  /** The month's check-ins, newest first. */
  items: z.array(CheckinItemSchema),
});
export type MyMonth = z.infer<typeof MyMonthSchema>;

export const ReviewBodySchema = z.object({
  decision: z.enum(['approve', 'reject']),
  comment: optionalText(CHECKIN_RULES.commentMax, `意见不能超过${CHECKIN_RULES.commentMax}字`),
});
export type ReviewBody = z.infer<typeof ReviewBodySchema>;

export const ReviewResultSchema = CheckinItemSchema.extend({ pointsAwarded: z.number().int() });
export type ReviewResult = z.infer<typeof ReviewResultSchema>;

export const OrgQuerySchema = z.object({ org: IdSchema.optional() });
export type OrgQuery = z.infer<typeof OrgQuerySchema>;

export const PendingItemSchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  branchName: z.string(),
  villageName: z.string(),
  at: z.string(),
  day: z.string(),
  distanceM: z.number().int(),
  accuracy: z.number(),
  reason: z.string().nullable(),
  flags: z.array(CheckinFlagSchema),
});
export type PendingItem = z.infer<typeof PendingItemSchema>;

export const PendingListSchema = z.object({ items: z.array(PendingItemSchema), nextCursor: z.null() });
export type PendingList = z.infer<typeof PendingListSchema>;

export const ReportFormatSchema = z.enum(['json', 'csv', 'xlsx']);
export type ReportFormat = z.infer<typeof ReportFormatSchema>;

export const REPORT_LIMITS = {
  /** Rows in one JSON page of the attendance report. */
  pageMax: 500,
  /** Rows in one CSV/XLSX file: more is a report to split by township. */
  fileMax: 5000,
  /** Oldest year a report may ask for; the newest is next year. */
  yearMin: 2000,
} as const;

export const ReportQuerySchema = z
  .object({
    org: IdSchema.optional(),
    month: z.string().regex(MONTH_RE, '月份格式应为 YYYY-MM').optional(),
    quarter: z.string().regex(QUARTER_RE, '季度格式应为 YYYY-Qn').optional(),
    half: z.string().regex(HALF_RE, '半年格式应为 YYYY-H1 或 YYYY-H2').optional(),
    year: z.string().regex(YEAR_RE, '年份格式应为 YYYY').optional(),
    format: ReportFormatSchema.default('json'),
    /** Rows per JSON page (a county has a cadre or two per village: one page shows it all). Files hold every row. */
    limit: z.coerce.number().int().min(1).max(REPORT_LIMITS.pageMax).default(REPORT_LIMITS.pageMax),
    /** Opaque: the offset of the next row. */
    cursor: z
      .string()
      .regex(/^\d{1,6}$/, '翻页位置不正确')
      .optional(),
  })
  .refine((q) => [q.month, q.quarter, q.half, q.year].filter(Boolean).length <= 1, {
    message: '只能选择一个统计周期',
    path: ['month'],
  });
export type ReportQuery = z.infer<typeof ReportQuerySchema>;

export const ReportRowSchema = z.object({
  userId: z.string(),
  name: z.string(),
  branch: z.string(),
  village: z.string(),
  present: z.number().int(),
  required: z.number().int(),
  pending: z.number().int(),
  flagged: z.number().int(),
  /** ISO time of the last check-in in the period, or null. */
  lastCheckinAt: z.string().nullable(),
});
export type ReportRow = z.infer<typeof ReportRowSchema>;

export const ReportSchema = z.object({
  org: OrgSummarySchema,
  period: z.object({
    kind: z.enum(REPORT_PERIOD_KINDS),
    key: z.string(),
    label: z.string(),
    months: z.array(z.string()),
  }),
  requiredPerMonth: z.number().int(),
  rows: z.array(ReportRowSchema),
  /** Cadres in the report's scope; `rows` is one page of them (JSON), or all of them (CSV/XLSX). */
  total: z.number().int(),
  nextCursor: z.string().nullable(),
  generatedAt: z.string(),
});
export type Report = z.infer<typeof ReportSchema>;

export const CheckinSettingsSchema = z.object({ countyId: z.string(), requiredDays: z.number().int() });
export type CheckinSettings = z.infer<typeof CheckinSettingsSchema>;

export const PutCheckinSettingsBodySchema = z.object({
  org: IdSchema,
  requiredDays: z.number().int().min(1, '应出勤天数至少为1').max(31, '应出勤天数不能超过31'),
});
export type PutCheckinSettingsBody = z.infer<typeof PutCheckinSettingsBodySchema>;

/** A village or community the admin may draw a fence for. */
export const FenceVillageSchema = OrgSummarySchema.extend({ parentName: z.string(), fence: FenceSchema.nullable() });
export type FenceVillage = z.infer<typeof FenceVillageSchema>;
export const FenceVillageListSchema = z.object({ items: z.array(FenceVillageSchema) });
export type FenceVillageList = z.infer<typeof FenceVillageListSchema>;
