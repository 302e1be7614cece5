import { z } from 'zod';
import { PhotoUrlsSchema } from './posts';
import { IdSchema } from './common';
import { COMMITMENT_LIMITS as L, COMMITMENT_RATINGS, COMMITMENT_STATUSES } from '../commitments';

/** `${userId}|${year}`: the key of a member's commitment for a year. */
export const CommitmentIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}\|\d{4}$/, '承诺编号格式不正确');
export const CommitmentIdParamSchema = z.object({ id: CommitmentIdSchema });
export const YearSchema = z.coerce.number().int().min(2000, '年份不正确').max(2100, '年份不正确');

export const CommitmentItemSchema = z.object({
  text: z.string().trim().min(1, '承诺内容不能为空').max(L.itemMax, `每条承诺不能超过${L.itemMax}字`),
});
export const PutCommitmentBodySchema = z.object({
  year: YearSchema,
  items: z.array(CommitmentItemSchema).min(L.itemsMin, '至少填写1条承诺').max(L.itemsMax, `最多${L.itemsMax}条承诺`),
});
export type PutCommitmentBody = z.infer<typeof PutCommitmentBodySchema>;

export const ReviewCommitmentBodySchema = z
  .object({
    decision: z.enum(['approve', 'return']),
    comment: z.string().trim().max(L.commentMax, `意见不能超过${L.commentMax}字`).optional(),
  })
  .refine((b) => b.decision !== 'return' || (b.comment ?? '').length > 0, {
    message: '退回时请填写修改意见',
    path: ['comment'],
  });
export type ReviewCommitmentBody = z.infer<typeof ReviewCommitmentBodySchema>;

export const ProgressBodySchema = z.object({
  text: z.string().trim().min(1, '请填写践诺情况').max(L.progressMax, `不能超过${L.progressMax}字`),
  photoUrls: PhotoUrlsSchema(L.photosMax).default([]),
});
export type ProgressBody = z.infer<typeof ProgressBodySchema>;

export const EvaluateBodySchema = z.object({
  rating: z.enum(COMMITMENT_RATINGS, { error: '请选择评价等级' }),
  comment: z.string().trim().max(L.commentMax, `评语不能超过${L.commentMax}字`).optional(),
});
export type EvaluateBody = z.infer<typeof EvaluateBodySchema>;

export const MineQuerySchema = z.object({ year: YearSchema.optional() });
export const WallQuerySchema = z.object({
  org: IdSchema.optional(),
  year: YearSchema.optional(),
  cursor: z
    .string()
    .regex(/^\d{1,6}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(L.wallPageMax).default(20),
});
export type WallQuery = z.infer<typeof WallQuerySchema>;
export const QueueQuerySchema = z.object({ org: IdSchema.optional(), year: YearSchema.optional() });
export type QueueQuery = z.infer<typeof QueueQuerySchema>;

/** 亮身份: what others see of a member. The contact is always masked. */
export const IdentityCardSchema = z.object({
  userId: z.string(),
  name: z.string(),
  photoUrl: z.string().nullable(),
  branch: z.string().nullable(),
  partySince: z.number().nullable(),
  dutyTitle: z.string().nullable(),
  badge: z.string().nullable(),
  contact: z.string().nullable(),
});
export type IdentityCard = z.infer<typeof IdentityCardSchema>;

export const ProgressRecordSchema = z.object({
  id: z.string(),
  text: z.string(),
  photoUrls: z.array(z.string()),
  at: z.string(),
});
export type ProgressRecord = z.infer<typeof ProgressRecordSchema>;

export const CommitmentSchema = z.object({
  id: z.string(),
  userId: z.string(),
  year: z.number(),
  status: z.enum(COMMITMENT_STATUSES),
  items: z.array(z.object({ text: z.string() })),
  reviewComment: z.string().nullable(),
  submittedAt: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  progress: z.array(ProgressRecordSchema),
  evaluation: z
    .object({ rating: z.enum(COMMITMENT_RATINGS), comment: z.string().nullable(), at: z.string() })
    .nullable(),
  updatedAt: z.string(),
});
export type Commitment = z.infer<typeof CommitmentSchema>;

export const MyCommitmentSchema = z.object({ year: z.number(), commitment: CommitmentSchema.nullable() });
export type MyCommitment = z.infer<typeof MyCommitmentSchema>;

export const CommitmentCardSchema = z.object({ card: IdentityCardSchema, commitment: CommitmentSchema });
export type CommitmentCard = z.infer<typeof CommitmentCardSchema>;

export const WallPageSchema = z.object({
  org: z.object({ id: z.string(), name: z.string() }),
  year: z.number(),
  total: z.number(),
  items: z.array(CommitmentCardSchema),
  nextCursor: z.string().nullable(),
  /** When the pages shown were read: a wall may be served from memory for up to the shared-view bound (≤ 2 s). */
  asOf: z.string(),
});
export type WallPage = z.infer<typeof WallPageSchema>;

export const QueueSchema = z.object({
  year: z.number(),
  branches: z.array(z.object({ id: z.string(), name: z.string() })),
  counts: z.object({ submitted: z.number(), awaitingEvaluation: z.number() }),
  submitted: z.array(CommitmentCardSchema),
  awaitingEvaluation: z.array(CommitmentCardSchema),
});
export type Queue = z.infer<typeof QueueSchema>;
