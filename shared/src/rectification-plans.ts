import { z } from 'zod';
import { IdSchema } from './schemas/common';
import { PhotoUrlsSchema } from './schemas/posts';

/**
 * 整顿 (issue 18 item 3): a 软弱涣散 branch's rectification plan. A township (or county) admin opens it with items
 * (what, who answers for it, by when); the branch secretary reports progress with evidence; an admin over the branch
 * accepts or returns each item and, when every item is accepted, accepts the plan (验收); the county lifts it (摘帽).
 * Every move is a compare-and-swap on the plan and an audit line; the plan keeps its own history.
 */
export const PLAN_STATUSES = ['open', 'accepted', 'lifted'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export const PLAN_STATUS_LABELS: Record<PlanStatus, string> = { open: '整顿中', accepted: '已验收', lifted: '已摘帽' };

export const PLAN_ITEM_STATUSES = ['todo', 'reported', 'accepted', 'returned'] as const;
export type PlanItemStatus = (typeof PLAN_ITEM_STATUSES)[number];
export const PLAN_ITEM_LABELS: Record<PlanItemStatus, string> = {
  todo: '未报进展',
  reported: '待验收',
  accepted: '已验收',
  returned: '已退回',
};

const DaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

export const PlanItemBodySchema = z.object({
  text: z.string().trim().min(2, '请写明整顿事项').max(200, '整顿事项最多200字'),
  owner: z.string().trim().min(1, '请填写责任人').max(30, '责任人最多30字'),
  deadline: DaySchema,
});

export const CreatePlanBodySchema = z.object({
  items: z.array(PlanItemBodySchema).min(1, '至少需要一项整顿事项').max(20, '整顿事项最多20项'),
});
export type CreatePlanBody = z.infer<typeof CreatePlanBodySchema>;

export const PlanParamsSchema = z.object({
  branchId: IdSchema,
  quarter: z.string().regex(/^20\d{2}Q[1-4]$/, '季度格式应为 2026Q3'),
});
export const PlanItemParamsSchema = PlanParamsSchema.extend({ n: z.coerce.number().int().min(1).max(20) });

export const PlanProgressBodySchema = z
  .object({
    text: z.string().trim().max(500).default(''),
    photoUrls: PhotoUrlsSchema(6).default([]),
  })
  .refine((b) => b.text.length > 0 || b.photoUrls.length > 0, '请填写整顿进展或上传佐证照片');
export type PlanProgressBody = z.infer<typeof PlanProgressBodySchema>;

export const PlanDecisionBodySchema = z.object({ comment: z.string().trim().max(200).default('') });
export type PlanDecisionBody = z.infer<typeof PlanDecisionBodySchema>;

export const PlansQuerySchema = z.object({ org: IdSchema.optional() });

export const PlanItemSchema = z.object({
  n: z.number(),
  text: z.string(),
  owner: z.string(),
  deadline: z.string(),
  status: z.enum(PLAN_ITEM_STATUSES),
  progress: z.object({ text: z.string(), photoUrls: z.array(z.string()), at: z.string() }).nullable(),
  comment: z.string().nullable(),
  overdue: z.boolean(),
});
export type PlanItem = z.infer<typeof PlanItemSchema>;

export const PlanSchema = z.object({
  id: z.string(),
  branchId: z.string(),
  branchName: z.string(),
  townshipName: z.string(),
  quarter: z.string(),
  reason: z.string(),
  status: z.enum(PLAN_STATUSES),
  seq: z.number(),
  items: z.array(PlanItemSchema),
  history: z.array(
    z.object({ at: z.string(), by: z.string(), action: z.string(), n: z.number().nullable(), note: z.string() }),
  ),
});
export type Plan = z.infer<typeof PlanSchema>;

/** An item is overdue on the Shanghai day after its deadline while it is not accepted. */
export const itemOverdue = (item: { status: PlanItemStatus; deadline: string }, today: string) =>
  item.status !== 'accepted' && item.deadline < today;
