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

export const LatSchema = z.number().min(-90).max(90);
export const LngSchema = z.number().min(-180).max(180);
