import { z } from 'zod';
import { AUDIT_GROUPS } from '../audit';
import { LIMITS } from '../orgs';
import { IdSchema } from './common';

/** `GET /api/v1/audit`: one org's log (its whole subtree), newest first; `action` filters by group. */
export const AuditQuerySchema = z.object({
  org: IdSchema,
  action: z.enum(AUDIT_GROUPS).optional(),
  limit: z.coerce.number().int().min(1).max(LIMITS.pageMax).default(LIMITS.pageDefault),
  /** Opaque: the position to continue below. */
  cursor: z
    .string()
    .regex(/^\d{1,12}$/, '翻页位置不正确')
    .optional(),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export const AuditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({ id: z.string(), name: z.string() }),
  action: z.string(),
  /** The action in Chinese, from AUDIT_ACTIONS. */
  actionLabel: z.string(),
  group: z.enum(AUDIT_GROUPS),
  target: z.object({ type: z.string(), id: z.string(), label: z.string() }),
  /** What changed, in a few words (`+5 分`, `角色：支部书记`), when the action has more than its name. */
  summary: z.string().nullable(),
  /** The reason or comment the actor wrote. */
  reason: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditPageSchema = z.object({ items: z.array(AuditEntrySchema), nextCursor: z.string().nullable() });
export type AuditPage = z.infer<typeof AuditPageSchema>;
