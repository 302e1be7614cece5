import { z } from 'zod';
import { LIMITS } from '../orgs';

/** Ids are opaque strings (hex ObjectIds in practice); the pattern keeps operators and paths out. */
export const IdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '编号格式不正确');

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(LIMITS.pageMax).default(LIMITS.pageDefault),
  cursor: z.string().max(200).optional(),
});
export type PageQuery = z.infer<typeof PageQuerySchema>;

export function pageOf<T extends z.ZodTypeAny>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const IdParamSchema = z.object({ id: IdSchema });

/**
 * A write's Idempotency-Key, the one rule for every route: 8 to 128 letters, digits, `_` or `-`. The app makes one
 * per member action (`newIdempotencyKey`, 10 to 20 characters) and the offline queue resends it unchanged. A
 * request without the header is a new write each time; one with a key outside this rule is refused (400), never
 * silently treated as keyless, so a client bug cannot turn a resend into a second record.
 */
export const IdempotencyKeySchema = z
  .string()
  .regex(/^[\w-]{8,128}$/, '请求标识（Idempotency-Key）格式不正确：应为8到128位字母、数字、下划线或短横线');
export type IdempotencyKey = z.infer<typeof IdempotencyKeySchema>;

export const LatSchema = z.number().min(-90).max(90);
export const LngSchema = z.number().min(-180).max(180);
