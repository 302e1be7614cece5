import { z } from 'zod';
import {
  ACTIVITY_FREQUENCY_VALUES,
  ACTIVITY_RULES as R,
  ACTIVITY_STATUSES,
  ACTIVITY_TYPES,
  EXPECTED_SCOPES,
} from '../activities';
import { QUARTER_RE } from '../checkins';
import { IdSchema, LatSchema, LngSchema } from './common';
import { CoordTypeSchema } from './checkins';
import { FenceSchema } from './orgs';
import { PhotoUrlsSchema } from './posts';

export const ActivityTypeSchema = z.enum(ACTIVITY_TYPES, { error: '活动类型不正确' });
export const ActivityStatusSchema = z.enum(ACTIVITY_STATUSES);

export const ActivityPlaceSchema = z.object({
  name: z.string().trim().min(1, '请填写地点').max(60, '地点不能超过60字'),
  fence: FenceSchema.nullable().optional(),
});
export type ActivityPlace = z.infer<typeof ActivityPlaceSchema>;

export const CreateActivityBodySchema = z
  .object({
    type: ActivityTypeSchema,
    title: z.string().trim().min(1, '请填写标题').max(R.titleMax, `标题不能超过${R.titleMax}字`),
    topic: z.string().trim().max(R.topicMax, `主题不能超过${R.topicMax}字`).optional(),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    place: ActivityPlaceSchema.optional(),
    /** The branch; the secretary's own by default. */
    org: IdSchema.optional(),
  })
  .refine((b) => new Date(b.endsAt) > new Date(b.startsAt), { message: '结束时间须晚于开始时间', path: ['endsAt'] });
export type CreateActivityBody = z.infer<typeof CreateActivityBodySchema>;

export const PatchActivityBodySchema = z.object({
  title: z.string().trim().min(1, '请填写标题').max(R.titleMax, `标题不能超过${R.titleMax}字`).optional(),
  topic: z.string().trim().max(R.topicMax, `主题不能超过${R.topicMax}字`).optional(),
  startsAt: z.iso.datetime({ offset: true }).optional(),
  endsAt: z.iso.datetime({ offset: true }).optional(),
  place: ActivityPlaceSchema.nullable().optional(),
  /** The secretary opens or closes sign-in by hand; null returns to the clock. */
  status: ActivityStatusSchema.nullable().optional(),
});
export type PatchActivityBody = z.infer<typeof PatchActivityBodySchema>;

/** 取消活动: before it starts, by who runs the branch, with the reason (audited). */
export const CancelActivityBodySchema = z.object({
  reason: z.string().trim().min(1, '请填写取消原因').max(R.reasonMax, `原因不能超过${R.reasonMax}字`),
});
export type CancelActivityBody = z.infer<typeof CancelActivityBodySchema>;

export const ActivityListQuerySchema = z.object({
  org: IdSchema.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type ActivityListQuery = z.infer<typeof ActivityListQuerySchema>;

export const LeaveBodySchema = z.object({
  reason: z.string().trim().min(1, '请填写请假原因').max(R.reasonMax, `原因不能超过${R.reasonMax}字`),
});
export type LeaveBody = z.infer<typeof LeaveBodySchema>;
export const LeaveReviewBodySchema = z.object({ decision: z.enum(['approve', 'refuse']) });
export type LeaveReviewBody = z.infer<typeof LeaveReviewBodySchema>;
export const LeaveParamsSchema = z.object({ id: IdSchema, userId: IdSchema });

/** Set by the offline queue: when the member signed in on the device (see OFFLINE_SIGNIN_RULES). */
const Captured = { capturedAt: z.iso.datetime({ offset: true }).optional() };
export const SigninBodySchema = z.union([
  z.object({ token: z.string().min(10).max(1000), ...Captured }),
  /** The 6-digit code shown under the QR, typed where there is no camera (H5). */
  z.object({ code: z.string().regex(/^\d{6}$/, '请输入6位签到码'), ...Captured }),
  z.object({
    lat: LatSchema,
    lng: LngSchema,
    accuracy: z.number().min(0).max(1_000_000),
    coordType: CoordTypeSchema,
    ...Captured,
  }),
]);
export type SigninBody = z.infer<typeof SigninBodySchema>;

export const AddAttendeeBodySchema = z.object({
  userId: IdSchema,
  reason: z.string().trim().min(1, '请填写补录原因').max(R.reasonMax, `原因不能超过${R.reasonMax}字`),
});
export type AddAttendeeBody = z.infer<typeof AddAttendeeBodySchema>;

export const MinutesBodySchema = z.object({
  text: z.string().trim().min(1, '请填写纪要').max(R.minutesMax, `纪要不能超过${R.minutesMax}字`),
  photoUrls: PhotoUrlsSchema(R.photosMax).default([]),
});
export type MinutesBody = z.infer<typeof MinutesBodySchema>;

export const RecordBookQuerySchema = z.object({
  org: IdSchema.optional(),
  quarter: z.string().regex(QUARTER_RE, '季度格式应为 YYYY-Qn').optional(),
  format: z.enum(['json', 'xlsx']).default('json'),
});
export type RecordBookQuery = z.infer<typeof RecordBookQuerySchema>;

export const IdleQuerySchema = z.object({
  org: IdSchema.optional(),
  days: z.coerce.number().int().min(1).max(366).default(R.idleDaysDefault),
});
export type IdleQuery = z.infer<typeof IdleQuerySchema>;

export const LeaveSchema = z.object({
  reason: z.string(),
  status: z.enum(['pending', 'approved', 'refused']),
  at: z.string(),
});
export type Leave = z.infer<typeof LeaveSchema>;

export const ActivitySchema = z.object({
  id: z.string(),
  branchId: z.string(),
  branchName: z.string(),
  type: ActivityTypeSchema,
  title: z.string(),
  topic: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  place: ActivityPlaceSchema.nullable(),
  status: ActivityStatusSchema,
  expectedCount: z.number(),
  signedInCount: z.number(),
  minutes: z.object({ text: z.string(), photoUrls: z.array(z.string()), at: z.string() }).nullable(),
  /** Set when who runs the branch cancelled it before it started; only they still see it listed. */
  cancelled: z.object({ at: z.string(), reason: z.string() }).nullable().optional(),
  /** The caller's own state. */
  mine: z.object({
    expected: z.boolean(),
    signedInAt: z.string().nullable(),
    late: z.boolean(),
    leave: LeaveSchema.nullable(),
  }),
});
export type Activity = z.infer<typeof ActivitySchema>;

export const QrReplySchema = z.object({
  token: z.string(),
  code: z.string(),
  expiresAt: z.string(),
  /** The token drawn as a QR code: `data:image/png;base64,...`, shown by an <Image> (no QR code on the client). */
  qrDataUrl: z.string(),
});
export type QrReply = z.infer<typeof QrReplySchema>;
export const SigninReplySchema = z.object({ at: z.string(), late: z.boolean(), pointsAwarded: z.number() });
export type SigninReply = z.infer<typeof SigninReplySchema>;

export const AttendeeSchema = z.object({
  userId: z.string(),
  name: z.string(),
  at: z.string().nullable(),
  method: z.enum(['qr', 'location', 'manual']).nullable(),
  reason: z.string().nullable(),
});
export type Attendee = z.infer<typeof AttendeeSchema>;
export const AttendanceSchema = z.object({
  present: z.array(AttendeeSchema),
  late: z.array(AttendeeSchema),
  onLeave: z.array(AttendeeSchema),
  absent: z.array(AttendeeSchema),
  /** Leave asked for and not yet decided (these members are also counted absent until they come). */
  pendingLeave: z.array(AttendeeSchema),
});
export type Attendance = z.infer<typeof AttendanceSchema>;

export const RecordBookActivitySchema = z.object({
  id: z.string(),
  type: ActivityTypeSchema,
  title: z.string(),
  startsAt: z.string(),
  expected: z.number(),
  attended: z.number(),
  onLeave: z.number(),
  /** attended / expected, 0..1 (0 when nobody was expected). */
  rate: z.number(),
  /** Whom `expected` counts: the branch's members, or its committee (支委会). */
  expectedScope: z.enum(EXPECTED_SCOPES),
});
export const RecordBookTypeRowSchema = z.object({
  type: ActivityTypeSchema,
  held: z.number(),
  required: z.number(),
  met: z.boolean(),
  /** This type's attendance over the quarter (attended / expected of its activities), null when none was held. */
  rate: z.number().nullable(),
});
export const RecordBookBranchSchema = z.object({
  branch: z.object({ id: z.string(), name: z.string() }),
  byType: z.array(RecordBookTypeRowSchema),
  activities: z.array(RecordBookActivitySchema),
  attendanceRate: z.number(),
});
export const RecordBookSchema = z.object({
  org: z.object({ id: z.string(), name: z.string() }),
  quarter: z.string(),
  label: z.string(),
  branches: z.array(RecordBookBranchSchema),
  generatedAt: z.string(),
});
export type RecordBook = z.infer<typeof RecordBookSchema>;
export type RecordBookBranch = z.infer<typeof RecordBookBranchSchema>;

export const IdleBranchesSchema = z.object({
  days: z.number(),
  branches: z.array(z.object({ id: z.string(), name: z.string(), lastActivityAt: z.string().nullable() })),
});
export type IdleBranches = z.infer<typeof IdleBranchesSchema>;

export const FrequencySchema = z.enum(ACTIVITY_FREQUENCY_VALUES, { error: '频次应为 不要求 / 每月 / 每季度' });
/** Every type's frequency: a PUT replaces the whole set, so a county's table never mixes in stale defaults. */
export const FrequencyTableSchema = z.object(
  Object.fromEntries(ACTIVITY_TYPES.map((t) => [t, FrequencySchema])) as Record<
    (typeof ACTIVITY_TYPES)[number],
    typeof FrequencySchema
  >,
);
export type FrequencyTable = z.infer<typeof FrequencyTableSchema>;

export const FrequenciesQuerySchema = z.object({ org: IdSchema.optional() });
export type FrequenciesQuery = z.infer<typeof FrequenciesQuerySchema>;
export const PutFrequenciesBodySchema = z.object({ org: IdSchema, frequencies: FrequencyTableSchema });
export type PutFrequenciesBody = z.infer<typeof PutFrequenciesBodySchema>;

export const ActivityFrequenciesSchema = z.object({
  /** The county the table belongs to. */
  org: z.object({ id: z.string(), name: z.string() }),
  frequencies: FrequencyTableSchema,
  /** True while the county uses the defaults (never saved its own). */
  isDefault: z.boolean(),
  /** Whether the caller may change it (an admin of the county). */
  canEdit: z.boolean(),
});
export type ActivityFrequencies = z.infer<typeof ActivityFrequenciesSchema>;
