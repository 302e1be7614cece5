import { z } from 'zod';
import { LIMITS } from '../orgs';
import { POINT_REASONS } from '../points';
import { PERIODS } from '../time';
import { IdSchema } from './common';

export const PeriodSchema = z.enum(PERIODS);
export const PointReasonSchema = z.enum(POINT_REASONS);

export const LedgerItemSchema = z.object({
  id: z.string(),
  delta: z.number().int(),
  reason: PointReasonSchema,
  at: z.string(),
  refType: z.string(),
  refId: z.string(),
  note: z.string().nullable(),
});
export type LedgerItem = z.infer<typeof LedgerItemSchema>;

export const LedgerPageSchema = z.object({ items: z.array(LedgerItemSchema), nextCursor: z.string().nullable() });
export type LedgerPage = z.infer<typeof LedgerPageSchema>;

export const LedgerQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(LIMITS.pageMax).default(LIMITS.pageDefault),
  /** Opaque: `YYYY-MM:offset`. */
  cursor: z
    .string()
    .regex(/^\d{4}-\d{2}:\d{1,5}$/)
    .optional(),
});
export type LedgerQuery = z.infer<typeof LedgerQuerySchema>;

export const AdjustmentBodySchema = z.object({
  userId: IdSchema,
  delta: z
    .number()
    .int()
    .min(-LIMITS.adjustmentMax)
    .max(LIMITS.adjustmentMax)
    .refine((n) => n !== 0, '调整分值不能为0'),
  reason: z.string().trim().min(2, '请填写调整理由').max(LIMITS.reasonMax),
});
export type AdjustmentBody = z.infer<typeof AdjustmentBodySchema>;

export const MemberBoardQuerySchema = z.object({
  scope: IdSchema,
  period: PeriodSchema.default('month'),
  /** 0: my rank only (首页, the quiz result), without reading the board. */
  limit: z.coerce.number().int().min(0).max(LIMITS.boardSize).default(50),
});
export type MemberBoardQuery = z.infer<typeof MemberBoardQuerySchema>;

export const MemberBoardItemSchema = z.object({
  rank: z.number().int(),
  userId: z.string(),
  name: z.string(),
  avatarUrl: z.string(),
  orgName: z.string(),
  points: z.number().int(),
});
export type MemberBoardItem = z.infer<typeof MemberBoardItemSchema>;

export const MyRankSchema = z.object({ rank: z.number().int(), points: z.number().int() });
export type MyRank = z.infer<typeof MyRankSchema>;

export const MemberBoardSchema = z.object({
  scope: z.string(),
  period: PeriodSchema,
  items: z.array(MemberBoardItemSchema),
  /** Null when I am not in this scope or have no points in the period. */
  me: MyRankSchema.nullable(),
  /** The county's ranking visibility; `restricted` means the rows were withheld from me by it (me still shown). */
  visibility: z.enum(['off', 'branch', 'scope']).optional(),
  restricted: z.boolean().optional(),
  /**
   * When the oldest shared view the rows and ranks came from was read (ISO; issue 17): a board may lag by up to the
   * server's bound (≤ 2 s). `me.points` is never from one: a member's own points are read fresh.
   */
  asOf: z.string().optional(),
});
export type MemberBoard = z.infer<typeof MemberBoardSchema>;

export const OrgBoardQuerySchema = z.object({ parent: IdSchema, period: PeriodSchema.default('month') });
export type OrgBoardQuery = z.infer<typeof OrgBoardQuerySchema>;

export const OrgBoardItemSchema = z.object({
  rank: z.number().int(),
  orgId: z.string(),
  name: z.string(),
  members: z.number().int(),
  points: z.number().int(),
  /** Points per member, one decimal: the ranking key, so small branches are not punished. */
  average: z.number(),
});
export type OrgBoardItem = z.infer<typeof OrgBoardItemSchema>;

export const OrgBoardSchema = z.object({
  parent: z.string(),
  period: PeriodSchema,
  items: z.array(OrgBoardItemSchema),
  visibility: z.enum(['off', 'branch', 'scope']).optional(),
  restricted: z.boolean().optional(),
  /** When the shared view of the sums was read (ISO): may lag by up to the server's bound (≤ 2 s). */
  asOf: z.string().optional(),
});
export type OrgBoard = z.infer<typeof OrgBoardSchema>;
