import { z } from 'zod';
import { IdSchema } from './common';
import { POINT_REASONS } from '../points';

/** Per county: who sees member leaderboards. Default `branch`: members see only their own branch's board. */
export const RANKING_VISIBILITIES = ['off', 'branch', 'scope'] as const;
export const RankingVisibilitySchema = z.enum(RANKING_VISIBILITIES);
export type RankingVisibility = z.infer<typeof RankingVisibilitySchema>;
export const DEFAULT_RANKING_VISIBILITY: RankingVisibility = 'branch';

export const RankingSettingsQuerySchema = z.object({ org: IdSchema });
export type RankingSettingsQuery = z.infer<typeof RankingSettingsQuerySchema>;

export const RankingSettingsSchema = z.object({ org: IdSchema, visibility: RankingVisibilitySchema });
export type RankingSettings = z.infer<typeof RankingSettingsSchema>;

const DayString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

export const PointsRulesQuerySchema = z.object({ org: IdSchema, at: DayString.optional() });
export type PointsRulesQuery = z.infer<typeof PointsRulesQuerySchema>;

export const PointRuleEditSchema = z.object({
  reason: z.enum(POINT_REASONS),
  /** Points per unit (per right answer, per hour...): awards from its day on pay units x it; shown to members. */
  points: z.number().int().min(0).max(100).optional(),
  cap: z
    .object({ per: z.enum(['day', 'week', 'year']), max: z.number().int().min(0).max(1000) })
    .nullable()
    .optional(),
  enabled: z.boolean(),
});
export type PointRuleEdit = z.infer<typeof PointRuleEditSchema>;

export const PutPointsRulesBodySchema = z.object({
  org: IdSchema,
  effectiveFrom: DayString,
  rules: z.array(PointRuleEditSchema).min(1).max(POINT_REASONS.length),
});
export type PutPointsRulesBody = z.infer<typeof PutPointsRulesBodySchema>;

export const PointsRulesViewSchema = z.object({
  org: z.string(),
  /** The Shanghai day asked about. */
  at: z.string(),
  /** Start of the version in force that day; null when the defaults apply. */
  effectiveFrom: z.string().nullable(),
  /** Every version's start day, oldest first (history is never rewritten; the admin page lists it). */
  versions: z.array(z.string()),
  rules: z.array(
    z.object({
      reason: z.enum(POINT_REASONS),
      label: z.string(),
      earns: z.string(),
      points: z.number().int().nullable(),
      cap: z.object({ per: z.enum(['day', 'week', 'year']), max: z.number().int() }).nullable(),
      enabled: z.boolean(),
    }),
  ),
});
export type PointsRulesView = z.infer<typeof PointsRulesViewSchema>;
