import { z } from 'zod';
import { LIMITS } from '../orgs';
import {
  CLAIM_STATUSES,
  POST_CATEGORIES,
  POST_LIMITS as L,
  POST_STATUSES,
  RECORD_STATUSES,
  SERVICE_DECISIONS,
} from '../posts';
import { UPLOAD_URL_RE } from '../uploads';
import { IdSchema } from './common';
import { OrgSummarySchema } from './orgs';

export const PostCategorySchema = z.enum(POST_CATEGORIES, { error: '请选择岗位类别' });
export const PostStatusSchema = z.enum(POST_STATUSES);
export const ClaimStatusSchema = z.enum(CLAIM_STATUSES);
export const RecordStatusSchema = z.enum(RECORD_STATUSES);
export const ServiceDecisionSchema = z.enum(SERVICE_DECISIONS);

/** A photo from POST /uploads: only our own upload URLs are accepted. */
export const PhotoUrlSchema = z.string().regex(UPLOAD_URL_RE, '照片须通过上传获得');
export const PhotoUrlsSchema = (max: number) => z.array(PhotoUrlSchema).max(max, `最多${max}张照片`);

export const UploadReplySchema = z.object({ url: z.string() });
export type UploadReply = z.infer<typeof UploadReplySchema>;
export const UploadPathSchema = z.object({
  month: z.string().regex(/^\d{4}-\d{2}$/),
  name: z.string().regex(/^[a-f0-9]{32}\.(?:jpg|png|webp)$/),
});

const DateTimeSchema = z.iso.datetime({ offset: true, error: '时间格式不正确' });

/** Without defaults: PATCH must not reset what the secretary left out. */
const postFields = {
  title: z
    .string()
    .trim()
    .min(L.titleMin, `岗位名称至少${L.titleMin}个字`)
    .max(L.titleMax, `岗位名称不能超过${L.titleMax}字`),
  category: PostCategorySchema,
  description: z
    .string()
    .trim()
    .min(1, '请填写岗位说明')
    .max(L.descriptionMax, `岗位说明不能超过${L.descriptionMax}字`),
  skills: z
    .array(z.string().trim().min(1).max(L.skillMax, `每项技能不超过${L.skillMax}字`))
    .max(L.skillsMax, `技能最多${L.skillsMax}项`),
  capacity: z
    .number({ error: '请填写岗位人数' })
    .int('岗位人数须为整数')
    .min(L.capacityMin, `岗位人数至少${L.capacityMin}人`)
    .max(L.capacityMax, `岗位人数不超过${L.capacityMax}人`),
  startsAt: DateTimeSchema.nullable(),
  endsAt: DateTimeSchema.nullable(),
};

const endsAfterStart = (b: { startsAt?: string | null; endsAt?: string | null }) =>
  !b.startsAt || !b.endsAt || Date.parse(b.endsAt) > Date.parse(b.startsAt);
const ENDS_AFTER_START = { message: '结束时间须晚于开始时间', path: ['endsAt'] };

export const CreatePostBodySchema = z
  .object({
    ...postFields,
    skills: postFields.skills.default([]),
    startsAt: postFields.startsAt.optional(),
    endsAt: postFields.endsAt.optional(),
    orgId: IdSchema,
  })
  .refine(endsAfterStart, ENDS_AFTER_START);
export type CreatePostBody = z.input<typeof CreatePostBodySchema>;
export type CreatePostBodyParsed = z.output<typeof CreatePostBodySchema>;

export const PatchPostBodySchema = z
  .object({ ...postFields, status: PostStatusSchema })
  .partial()
  .refine(endsAfterStart, ENDS_AFTER_START);
export type PatchPostBody = z.infer<typeof PatchPostBodySchema>;

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const PostListQuerySchema = z.object({
  /** Posts visible to members of this org (it and its ancestors); default: my branch. */
  org: IdSchema.optional(),
  category: PostCategorySchema.optional(),
  status: PostStatusSchema.optional(),
  /** true: the posts I run instead (secretary: my branch's; admin: my subtree's). */
  managed: flag.optional(),
  limit: z.coerce.number<number | string>().int().min(1).max(LIMITS.pageMax).default(LIMITS.pageDefault),
  cursor: z
    .string()
    .regex(/^\d{1,6}$/)
    .optional(),
});
export type PostListQuery = z.input<typeof PostListQuerySchema>;
export type PostListQueryParsed = z.output<typeof PostListQuerySchema>;

export const MyClaimRefSchema = z.object({ id: z.string(), status: ClaimStatusSchema });

export const PostSchema = z.object({
  id: z.string(),
  title: z.string(),
  category: PostCategorySchema,
  description: z.string(),
  skills: z.array(z.string()),
  capacity: z.number().int(),
  /** Seats held now. */
  taken: z.number().int(),
  seatsLeft: z.number().int(),
  org: OrgSummarySchema,
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  /** closed when the secretary closed it or its end time has passed. */
  status: PostStatusSchema,
  /** Confirmed service on this post: hours and residents' problems solved (解决群众实际困难). */
  serviceHours: z.number(),
  resolved: z.number().int(),
  myClaim: MyClaimRefSchema.nullable(),
  /** The caller may edit it, see its seats and confirm its records. */
  canManage: z.boolean(),
  createdAt: z.string(),
});
export type Post = z.infer<typeof PostSchema>;

export const PostPageSchema = z.object({ items: z.array(PostSchema), nextCursor: z.string().nullable() });
export type PostPage = z.infer<typeof PostPageSchema>;

export const ClaimSchema = z.object({
  id: z.string(),
  postId: z.string(),
  userId: z.string(),
  status: ClaimStatusSchema,
  claimedAt: z.string(),
  /** Confirmed hours and problems solved on this claim. */
  hours: z.number(),
  resolved: z.number().int(),
});
export type Claim = z.infer<typeof ClaimSchema>;

export const ClaimIdParamSchema = z.object({ claimId: IdSchema });

export const RemoveClaimBodySchema = z.object({
  reason: z.string().trim().min(2, '请填写移除理由').max(LIMITS.reasonMax),
});
export type RemoveClaimBody = z.infer<typeof RemoveClaimBodySchema>;

export const CreateRecordBodySchema = z.object({
  hours: z
    .number({ error: '请填写服务时长' })
    .min(L.hoursMin, `服务时长至少${L.hoursMin}小时`)
    .max(L.hoursMax, `一次最多记录${L.hoursMax}小时`)
    .multipleOf(L.hoursStep, '服务时长以半小时计'),
  resolved: z.number().int().min(0).max(L.resolvedMax, `一次最多记录${L.resolvedMax}件`).default(0),
  note: z.string().trim().min(L.noteMin, '请简要写下服务内容').max(L.noteMax, `服务内容不能超过${L.noteMax}字`),
  photoUrls: PhotoUrlsSchema(L.photosMax).default([]),
  /** The Shanghai day served: today when left out; the server allows up to `selfDaysBack` days back. */
  servedOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, '请选择服务日期')
    .optional(),
});
export type CreateRecordBody = z.input<typeof CreateRecordBodySchema>;
export type CreateRecordBodyParsed = z.output<typeof CreateRecordBodySchema>;

export const ServiceReviewSchema = z.object({
  decision: ServiceDecisionSchema,
  comment: z.string().nullable(),
  at: z.string(),
  byName: z.string(),
});
export type ServiceReview = z.infer<typeof ServiceReviewSchema>;

export const ServiceReviewBodySchema = z.object({
  comment: z
    .string()
    .trim()
    .max(L.commentMax, `意见不能超过${L.commentMax}字`)
    .optional()
    .transform((c) => c || undefined),
});
export type ServiceReviewBody = z.input<typeof ServiceReviewBodySchema>;

export const ServiceRecordSchema = z.object({
  id: z.string(),
  claimId: z.string(),
  postId: z.string(),
  postTitle: z.string(),
  userId: z.string(),
  userName: z.string(),
  hours: z.number(),
  resolved: z.number().int(),
  note: z.string(),
  photoUrls: z.array(z.string()),
  status: RecordStatusSchema,
  createdAt: z.string(),
  /** The Shanghai day served (the day logged unless the member or secretary named another). */
  servedOn: z.string().optional(),
  review: ServiceReviewSchema.nullable(),
  /** What confirmation paid (the daily cap may grant less than 2 per hour); null until confirmed. */
  pointsAwarded: z.number().int().nullable(),
  /** 代为登记: set when the secretary recorded it for a member without a smartphone. */
  recordedBy: z.object({ name: z.string(), reason: z.string(), servedOn: z.string() }).nullable().optional(),
});
export type ServiceRecord = z.infer<typeof ServiceRecordSchema>;

/**
 * 代为登记 (secretary/admin): service at a post by a member of their branch who has no smartphone. Recorded as
 * confirmed by the secretary, paid once, audited.
 */
export const ProxyRecordBodySchema = z.object({
  userId: IdSchema,
  postId: IdSchema,
  hours: CreateRecordBodySchema.shape.hours,
  resolved: CreateRecordBodySchema.shape.resolved,
  /** The Shanghai day of the service. */
  servedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '请选择服务日期'),
  reason: z
    .string()
    .trim()
    .min(L.proxyReasonMin, '请填写代为登记的原因')
    .max(L.proxyReasonMax, `原因不能超过${L.proxyReasonMax}字`),
  note: z.string().trim().max(L.noteMax, `服务内容不能超过${L.noteMax}字`).default(''),
});
export type ProxyRecordBody = z.input<typeof ProxyRecordBodySchema>;
export type ProxyRecordBodyParsed = z.output<typeof ProxyRecordBodySchema>;

export const RecordListQuerySchema = z.object({
  status: RecordStatusSchema.default('pending'),
  limit: z.coerce.number<number | string>().int().min(1).max(LIMITS.pageMax).default(LIMITS.pageDefault),
  cursor: z
    .string()
    .regex(/^\d{1,6}$/)
    .optional(),
});
export type RecordListQuery = z.input<typeof RecordListQuerySchema>;
export type RecordListQueryParsed = z.output<typeof RecordListQuerySchema>;

export const RecordPageSchema = z.object({ items: z.array(ServiceRecordSchema), nextCursor: z.string().nullable() });
export type RecordPage = z.infer<typeof RecordPageSchema>;

/** 我的认领: each claim with its post and the service I logged on it. */
export const MyClaimSchema = ClaimSchema.extend({ post: PostSchema, records: z.array(ServiceRecordSchema) });
export type MyClaim = z.infer<typeof MyClaimSchema>;
export const MyClaimListSchema = z.object({ items: z.array(MyClaimSchema) });
export type MyClaimList = z.infer<typeof MyClaimListSchema>;

/** Who holds which seat (secretary / admin). */
export const SeatSchema = z.object({
  claimId: z.string(),
  userId: z.string(),
  name: z.string(),
  orgName: z.string(),
  claimedAt: z.string(),
  hours: z.number(),
  resolved: z.number().int(),
});
export type Seat = z.infer<typeof SeatSchema>;
export const PostSeatsSchema = z.object({ post: PostSchema, seats: z.array(SeatSchema) });
export type PostSeats = z.infer<typeof PostSeatsSchema>;
