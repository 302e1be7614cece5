import { z } from 'zod';
import { IdSchema } from './common';
import type { ReviewMember, RectifyItem } from './reviews';

/**
 * 组织生活会 (issue 21 item 1): the year's topics, each member's 对照检查 before it, the 谈心谈话 register; the meeting
 * itself is an activity of type `life_meeting` (attendance and minutes as for any activity).
 */
export const LIFE_TOPICS_MAX = 10;
export const LIFE_TOPIC_MAX = 100;
export const LIFE_CHECK_MAX = 5000;
export const TALK_SUMMARY_MAX = 300;

const YearParam = z.coerce.number().int().min(2000, '年份不正确').max(2100, '年份不正确');
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '谈话日期格式应为 YYYY-MM-DD');

export const LifeParamsSchema = z.object({ branchId: IdSchema, year: YearParam });
export const LifeMemberParamsSchema = LifeParamsSchema.extend({ userId: IdSchema });

export const OpenLifeMeetingBodySchema = z.object({
  /** The branch; a secretary may leave it out (their own). */
  org: IdSchema.optional(),
  year: YearParam,
  topics: z
    .array(z.string().trim().min(1, '主题不能为空').max(LIFE_TOPIC_MAX, `每个主题不能超过${LIFE_TOPIC_MAX}字`))
    .min(1, '请至少填写一个对照检查主题')
    .max(LIFE_TOPICS_MAX, `主题不能超过${LIFE_TOPICS_MAX}个`),
});
export type OpenLifeMeetingBody = z.infer<typeof OpenLifeMeetingBodySchema>;

export const LifeCheckBodySchema = z.object({
  text: z.string().trim().min(1, '请填写对照检查材料').max(LIFE_CHECK_MAX, `对照检查不能超过${LIFE_CHECK_MAX}字`),
});
export type LifeCheckBody = z.infer<typeof LifeCheckBodySchema>;

export const TalkBodySchema = z
  .object({
    talkerId: IdSchema,
    talkeeId: IdSchema,
    date: Day,
    summary: z.string().trim().min(1, '请填写谈话要点').max(TALK_SUMMARY_MAX, `谈话要点不能超过${TALK_SUMMARY_MAX}字`),
  })
  .refine((b) => b.talkerId !== b.talkeeId, { message: '谈话双方不能是同一人', path: ['talkeeId'] });
export type TalkBody = z.infer<typeof TalkBodySchema>;

export const OverdueQuerySchema = z.object({ org: IdSchema.optional() });
export const ReviewSettingsQuerySchema = z.object({ org: IdSchema.optional() });

export interface LifeCheckState {
  member: ReviewMember;
  /** ISO time of the last submission, or null when not submitted. */
  submittedAt: string | null;
}
export interface LifeMeetingView {
  branchId: string;
  branchName: string;
  year: number;
  topics: string[];
  members: ReviewMember[];
  /** Who runs the branch sees everyone's state; a member sees only their own row. */
  checks: LifeCheckState[];
  missingChecks: number;
  /** The year's 组织生活会 activity (newest of type life_meeting), or null when none is planned yet. */
  meeting: {
    activityId: string;
    title: string;
    startsAt: string;
    held: boolean;
    attended: number;
    expected: number;
    minutes: string | null;
  } | null;
  /** The caller's own 对照检查 (text), when they are one of the members. */
  mine: { text: string | null; submittedAt: string | null } | null;
  canManage: boolean;
}
export interface LifeCheckView {
  member: ReviewMember;
  text: string;
  submittedAt: string;
}
export interface Talk {
  n: number;
  talker: ReviewMember;
  talkee: ReviewMember;
  date: string;
  summary: string;
}
export interface TalkRegister {
  talks: Talk[];
  /** Members of the branch with no talk this year (on either side). */
  missing: ReviewMember[];
}
/** A branch-level item done and waiting for the township's 销号. */
export interface RectifyQueueItem {
  branchId: string;
  branchName: string;
  year: number;
  item: RectifyItem;
}
