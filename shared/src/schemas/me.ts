import { z } from 'zod';
import { LIMITS } from '../orgs';
import { FenceSchema, OrgSummarySchema, RoleSchema } from './orgs';
import { PhotoUrlSchema } from './posts';

export const PointsSummarySchema = z.object({
  week: z.number().int(),
  month: z.number().int(),
  year: z.number().int(),
  all: z.number().int(),
});
export type PointsSummary = z.infer<typeof PointsSummarySchema>;

export const IdentitySchema = z.object({
  dutyTitle: z.string().max(30).nullable(),
  partySince: z.number().int().nullable(),
  /** Masked for everyone but the member themself. */
  contact: z.string().nullable(),
  photoUrl: z.string().nullable(),
  badge: z.string().nullable(),
});
export type Identity = z.infer<typeof IdentitySchema>;

export const MeSchema = z.object({
  id: z.string(),
  name: z.string(),
  avatarUrl: z.string(),
  roles: z.array(RoleSchema),
  /** The member's branch with its ancestors (county first) in `path`; null until they join one. */
  org: OrgSummarySchema.extend({ path: z.array(OrgSummarySchema) }).nullable(),
  /** For an admin: the root of the subtree they run. */
  adminOrg: OrgSummarySchema.nullable(),
  postedVillage: OrgSummarySchema.extend({ fence: FenceSchema.nullable() }).nullable(),
  identity: IdentitySchema,
  points: PointsSummarySchema,
  /** 关怀模式: larger type, higher contrast, fewer elements; remembered per member. */
  careMode: z.boolean(),
  /** Opted out of public leaderboards (still sees own points and rank). */
  hideFromRankings: z.boolean(),
});
export type Me = z.infer<typeof MeSchema>;

const thisYear = new Date().getFullYear();

/**
 * A picture others see (avatar on boards, identity photo on walls): only our own upload URLs, or '' to clear it.
 * Any other URL would load from someone's server whenever a member opens a board: a tracking pixel.
 */
const OwnPictureSchema = PhotoUrlSchema.or(z.literal(''));

export const PatchMeBodySchema = z.object({
  name: z.string().trim().min(1).max(LIMITS.nameMax).optional(),
  avatarUrl: OwnPictureSchema.optional(),
  identity: z
    .object({
      dutyTitle: z.string().trim().max(30).optional(),
      partySince: z
        .number()
        .int()
        .min(1921)
        .max(thisYear + 1)
        .optional(),
      contact: z
        .string()
        .regex(/^1\d{10}$/, '请填写11位手机号')
        .or(z.literal(''))
        .optional(),
      photoUrl: OwnPictureSchema.optional(),
    })
    .optional(),
  careMode: z.boolean().optional(),
  hideFromRankings: z.boolean().optional(),
});
export type PatchMeBody = z.infer<typeof PatchMeBodySchema>;

export const JoinBodySchema = z.object({
  inviteCode: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{6,12}$/, '邀请码格式不正确'),
});
export type JoinBody = z.infer<typeof JoinBodySchema>;

export const DevLoginBodySchema = z.object({
  openid: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'openid 格式不正确'),
  name: z.string().trim().min(1).max(LIMITS.nameMax).optional(),
});
export type DevLoginBody = z.infer<typeof DevLoginBodySchema>;

export const WechatLoginBodySchema = z.object({ code: z.string().min(1).max(128) });
export type WechatLoginBody = z.infer<typeof WechatLoginBodySchema>;

export const AuthResponseSchema = z.object({ token: z.string(), user: MeSchema });
export type AuthResponse = z.infer<typeof AuthResponseSchema>;

export const DemoIdentitySchema = z.object({ openid: z.string(), name: z.string(), label: z.string() });
export type DemoIdentity = z.infer<typeof DemoIdentitySchema>;

export const PublicConfigSchema = z.object({ devLogin: z.boolean(), demoIdentities: z.array(DemoIdentitySchema) });
export type PublicConfig = z.infer<typeof PublicConfigSchema>;

export const HealthSchema = z.object({ ok: z.boolean(), db: z.string(), version: z.string() });
export type Health = z.infer<typeof HealthSchema>;

/** GET /readyz: whether this instance can serve (database answers a ping, engine running, start-up repairs done). */
export const ReadinessSchema = z.object({
  ready: z.boolean(),
  db: z.string(),
  ping: z.object({ ok: z.boolean(), ms: z.number() }),
  engine: z.object({
    state: z.enum(['running', 'restarting', 'failed']),
    /** The embedded engine's process id; null for an external MongoDB. */
    pid: z.number().nullable(),
    restarts: z.number(),
    reconciled: z.boolean(),
    storageFull: z.boolean(),
  }),
});
export type Readiness = z.infer<typeof ReadinessSchema>;
