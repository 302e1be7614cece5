import { z } from 'zod';
import { LIMITS, ROLES } from '../orgs';
import { MEMBER_STATUSES, TRANSFER_STATES } from '../members';
import { IdSchema, pageOf } from './common';
import { FenceSchema, OrgTypeSchema, MemberSchema } from './orgs';

export const MemberStatusSchema = z.enum(MEMBER_STATUSES);

/** 组织架构: one node of an admin's subtree, children nested. */
export interface OrgTreeNode {
  id: string;
  name: string;
  type: z.infer<typeof OrgTypeSchema>;
  parentId: string | null;
  memberCount: number;
  fence: z.infer<typeof FenceSchema> | null;
  children: OrgTreeNode[];
}
export const OrgTreeNodeSchema: z.ZodType<OrgTreeNode> = z.lazy(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    type: OrgTypeSchema,
    parentId: z.string().nullable(),
    memberCount: z.number().int(),
    fence: FenceSchema.nullable(),
    children: z.array(OrgTreeNodeSchema),
  }),
);

export const MoveOrgBodySchema = z.object({ parentId: IdSchema });
export type MoveOrgBody = z.infer<typeof MoveOrgBodySchema>;

/** 党员管理 list: search by name or phone tail, filter by branch (any org of the subtree), role, category, status. */
export const MemberQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(LIMITS.pageMax).default(LIMITS.pageDefault),
  /** The last id of the previous page: ids are 1..64 of [A-Za-z0-9_-], longer is no id. */
  cursor: IdSchema.optional(),
  q: z.string().trim().max(LIMITS.nameMax).optional(),
  org: IdSchema.optional(),
  role: z.enum(ROLES).optional(),
  category: z.string().trim().max(20).optional(),
  status: MemberStatusSchema.default('active'),
});
export type MemberQuery = z.infer<typeof MemberQuerySchema>;

export const MemberRowSchema = MemberSchema.extend({
  status: MemberStatusSchema,
  category: z.string().nullable(),
  /** The member's pending transfer, if any (one at a time). */
  pendingTransferTo: z.string().nullable(),
});
export type MemberRow = z.infer<typeof MemberRowSchema>;
export const MemberRowPageSchema = pageOf(MemberRowSchema);
export type MemberRowPage = z.infer<typeof MemberRowPageSchema>;

export const SetMemberStatusBodySchema = z.object({
  status: MemberStatusSchema,
  reason: z.string().trim().min(2, '请填写原因').max(LIMITS.reasonMax),
});
export type SetMemberStatusBody = z.infer<typeof SetMemberStatusBodySchema>;

export const StartTransferBodySchema = z.object({
  userId: IdSchema,
  toOrgId: IdSchema,
  reason: z.string().trim().max(LIMITS.reasonMax).default(''),
});
export type StartTransferBody = z.infer<typeof StartTransferBodySchema>;

export const DecideTransferBodySchema = z.object({ comment: z.string().trim().max(LIMITS.reasonMax).default('') });
export type DecideTransferBody = z.infer<typeof DecideTransferBodySchema>;

export const TransferSchema = z.object({
  id: z.string(),
  userId: z.string(),
  userName: z.string(),
  from: z.object({ id: z.string(), name: z.string() }),
  to: z.object({ id: z.string(), name: z.string() }),
  state: z.enum(TRANSFER_STATES),
  reason: z.string(),
  comment: z.string(),
  startedBy: z.string(),
  startedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
});
export type Transfer = z.infer<typeof TransferSchema>;

export const TransferQuerySchema = z.object({ org: IdSchema });
export type TransferQuery = z.infer<typeof TransferQuerySchema>;

/** Pending transfers around the org: those leaving it (outgoing) and those arriving (incoming, to accept). */
export const TransferListSchema = z.object({ incoming: z.array(TransferSchema), outgoing: z.array(TransferSchema) });
export type TransferList = z.infer<typeof TransferListSchema>;

export const InviteRowSchema = z.object({
  code: z.string(),
  orgId: z.string(),
  expiresAt: z.string(),
  maxUses: z.number().int(),
  uses: z.number().int(),
  usesLeft: z.number().int(),
  revoked: z.boolean(),
  expired: z.boolean(),
  createdAt: z.string(),
});
export type InviteRow = z.infer<typeof InviteRowSchema>;
export const InviteListSchema = z.object({ items: z.array(InviteRowSchema) });
export type InviteList = z.infer<typeof InviteListSchema>;

export const InviteCodeParamSchema = z.object({
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{6,12}$/, '邀请码格式不正确'),
});
