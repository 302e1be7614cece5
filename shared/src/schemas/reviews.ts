import { z } from 'zod';
import { IdSchema } from './common';
import {
  RECTIFY_TEXT_MAX,
  REVIEW_COMMENT_MAX,
  REVIEW_GRADES,
  REVIEW_REASON_MAX,
  type RectifyLevel,
  type RectifyStatus,
  type ReviewGrade,
  type ReviewGradeStatus,
} from '../reviews';

const YearParam = z.coerce.number().int().min(2000, '年份不正确').max(2100, '年份不正确');
const Grade = z.enum(REVIEW_GRADES, { message: '请选择优秀、合格、基本合格或不合格' });

export const ReviewParamsSchema = z.object({ branchId: IdSchema, year: YearParam });
export const ReviewMemberParamsSchema = ReviewParamsSchema.extend({ userId: IdSchema });
export const ReviewHistoryParamsSchema = z.object({ userId: IdSchema });

export const OpenReviewBodySchema = z.object({
  /** The branch; a secretary may leave it out (their own). */
  org: IdSchema.optional(),
  year: YearParam,
  closesAt: z.coerce.date({ message: '截止时间不正确' }),
});
export type OpenReviewBody = z.infer<typeof OpenReviewBodySchema>;

export const BallotRatingSchema = z
  .object({
    memberId: IdSchema,
    grade: Grade,
    comment: z.string().trim().max(REVIEW_COMMENT_MAX, `意见不能超过${REVIEW_COMMENT_MAX}字`).optional(),
  })
  .refine((r) => !r.comment || r.grade === 'basic' || r.grade === 'unqualified', {
    message: '只有基本合格、不合格可以填写意见',
    path: ['comment'],
  });
export const BallotBodySchema = z.object({
  ratings: z.array(BallotRatingSchema).min(1, '请为每位党员评议').max(500, '评议人数过多'),
});
export type BallotBody = z.infer<typeof BallotBodySchema>;

export const SetGradeBodySchema = z
  .object({
    grade: Grade,
    reason: z.string().trim().max(REVIEW_REASON_MAX, `理由不能超过${REVIEW_REASON_MAX}字`).optional(),
  })
  .refine((b) => b.grade !== 'unqualified' || (b.reason ?? '').length > 0, {
    message: '评定为不合格必须填写理由',
    path: ['reason'],
  });
export type SetGradeBody = z.infer<typeof SetGradeBodySchema>;

export const ConfirmGradeBodySchema = z
  .object({
    decision: z.enum(['confirm', 'return'], { message: '请选择确认或退回' }),
    note: z.string().trim().max(REVIEW_REASON_MAX).optional(),
  })
  .refine((b) => b.decision !== 'return' || (b.note ?? '').length > 0, { message: '退回时请填写意见', path: ['note'] });
export type ConfirmGradeBody = z.infer<typeof ConfirmGradeBodySchema>;

export const ReviewSettingsBodySchema = z.object({
  org: IdSchema,
  excellentShare: z.number().min(0, '比例不能小于0').max(1, '比例不能大于100%'),
});
export type ReviewSettingsBody = z.infer<typeof ReviewSettingsBodySchema>;
export const ReviewPendingQuerySchema = z.object({});

export interface ReviewMember {
  id: string;
  name: string;
}
export interface ReviewRound {
  id: string;
  branchId: string;
  branchName: string;
  year: number;
  closesAt: string;
  closed: boolean;
  members: ReviewMember[];
  voterCount: number;
  /** The caller's own state: in the electorate, and whether they voted (never what). */
  canVote: boolean;
  hasVoted: boolean;
}
export interface ReviewGradeView {
  grade: ReviewGrade;
  status: ReviewGradeStatus;
  reason: string | null;
  note: string | null;
}
export interface ReviewResultRow {
  member: ReviewMember;
  counts: Record<ReviewGrade, number> | null;
  comments: string[] | null;
  grade: ReviewGradeView | null;
}
export interface ReviewResults {
  round: ReviewRound;
  /** Null when the counts are shown; else why they are withheld. */
  withheld: string | null;
  excellentShare: number;
  excellentCap: number;
  rows: ReviewResultRow[];
}
export interface ReviewPendingItem {
  branchId: string;
  branchName: string;
  year: number;
  member: ReviewMember;
  reason: string;
}
export interface ReviewHistoryItem {
  year: number;
  grade: ReviewGrade;
  status: ReviewGradeStatus;
}

// 问题清单 / 整改清单 (issue 21 item 1).
export const RectifyItemParamsSchema = ReviewParamsSchema.extend({
  n: z.coerce.number().int().min(1, '编号不正确').max(100_000, '编号不正确'),
});
export const CreateRectifyBodySchema = z
  .object({
    org: IdSchema.optional(),
    year: YearParam,
    text: z.string().trim().min(1, '请填写问题').max(RECTIFY_TEXT_MAX, `问题不能超过${RECTIFY_TEXT_MAX}字`),
    level: z.enum(['member', 'branch'], { message: '请选择党员问题或支部问题' }),
    ownerId: IdSchema.optional(),
    deadline: z.coerce.date({ message: '整改期限不正确' }),
  })
  .refine((b) => b.level === 'branch' || !!b.ownerId, { message: '党员问题请选择责任人', path: ['ownerId'] });
export type CreateRectifyBody = z.infer<typeof CreateRectifyBodySchema>;
export const RectifyDoneBodySchema = z.object({
  evidence: z.string().trim().min(1, '请填写整改情况').max(RECTIFY_TEXT_MAX, `不能超过${RECTIFY_TEXT_MAX}字`),
});
export type RectifyDoneBody = z.infer<typeof RectifyDoneBodySchema>;
export interface RectifyItem {
  n: number;
  text: string;
  level: RectifyLevel;
  owner: ReviewMember | null;
  deadline: string;
  status: RectifyStatus;
  overdue: boolean;
  evidence: string | null;
}

// 组织生活会, 谈心谈话 and the township's 销号 queue live beside this file.
export * from './life-meeting';
