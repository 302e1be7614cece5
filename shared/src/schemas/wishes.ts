import { z } from 'zod';
import { LIMITS } from '../orgs';
import { WISH_LIMITS as L, WISH_STATUSES } from '../posts';
import { IdSchema } from './common';
import { OrgSummarySchema } from './orgs';
import { PhotoUrlsSchema, ServiceReviewSchema } from './posts';

export const WishStatusSchema = z.enum(WISH_STATUSES);

const wishFields = {
  title: z
    .string()
    .trim()
    .min(L.titleMin, `心愿标题至少${L.titleMin}个字`)
    .max(L.titleMax, `心愿标题不能超过${L.titleMax}字`),
  description: z.string().trim().max(L.descriptionMax, `心愿说明不能超过${L.descriptionMax}字`),
  /** Stored in full; members only ever see it masked (张*明). */
  residentName: z.string().trim().min(1, '请填写群众姓名').max(L.residentNameMax),
  /** Stored in full; never sent to members. */
  residentContact: z.string().trim().max(L.contactMax),
};

export const CreateWishBodySchema = z.object({
  ...wishFields,
  description: wishFields.description.default(''),
  residentContact: wishFields.residentContact.optional(),
  orgId: IdSchema,
});
export type CreateWishBody = z.input<typeof CreateWishBodySchema>;
export type CreateWishBodyParsed = z.output<typeof CreateWishBodySchema>;

/** Text edits any time before it is confirmed; `closed` withdraws an unfulfilled wish, `open` puts it back. */
export const PatchWishBodySchema = z.object({ ...wishFields, status: z.enum(['open', 'closed']) }).partial();
export type PatchWishBody = z.infer<typeof PatchWishBodySchema>;

export const WishListQuerySchema = z.object({
  /** Wishes visible to members of this org (it and its ancestors); default: my branch. */
  org: IdSchema.optional(),
  status: WishStatusSchema.optional(),
  /** true: the wishes I run instead (secretary: my branch's; admin: my subtree's). */
  managed: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  /** true: the wishes I claimed (我的认领), wherever they are. */
  mine: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce.number<number | string>().int().min(1).max(LIMITS.pageMax).default(LIMITS.pageDefault),
  /** Opaque: `state:offset` (wishes are listed state by state, what can still be taken up first). */
  cursor: z
    .string()
    .regex(/^[0-4]:\d{1,6}$/, '翻页位置不正确')
    .optional(),
});
export type WishListQuery = z.input<typeof WishListQuerySchema>;
export type WishListQueryParsed = z.output<typeof WishListQuerySchema>;

export const FulfilWishBodySchema = z.object({
  note: z.string().trim().min(L.noteMin, '请简要写下如何帮群众圆梦').max(L.noteMax, `说明不能超过${L.noteMax}字`),
  photoUrls: PhotoUrlsSchema(L.photosMax).default([]),
});
export type FulfilWishBody = z.input<typeof FulfilWishBodySchema>;
export type FulfilWishBodyParsed = z.output<typeof FulfilWishBodySchema>;

export const WishSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  /** Masked (张*明) for everyone who does not run the wish's org. */
  residentName: z.string(),
  /** Only for those who run the wish's org; null for members. */
  residentContact: z.string().nullable(),
  org: OrgSummarySchema,
  status: WishStatusSchema,
  claimant: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** I am the member who claimed it. */
  mine: z.boolean(),
  fulfilment: z.object({ note: z.string(), photoUrls: z.array(z.string()), at: z.string() }).nullable(),
  /** The last review: a return (with the reason) or the confirmation. */
  review: ServiceReviewSchema.nullable(),
  pointsAwarded: z.number().int().nullable(),
  canManage: z.boolean(),
  createdAt: z.string(),
});
export type Wish = z.infer<typeof WishSchema>;

export const WishPageSchema = z.object({ items: z.array(WishSchema), nextCursor: z.string().nullable() });
export type WishPage = z.infer<typeof WishPageSchema>;
