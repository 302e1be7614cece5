import { z } from 'zod';
import { DEFAULT_FENCE_RADIUS_M, LIMITS, ORG_TYPES, ROLES } from '../orgs';
import { IdSchema, LatSchema, LngSchema, pageOf } from './common';
import { ROSTER_CATEGORIES } from './roster';

export const OrgTypeSchema = z.enum(ORG_TYPES);
export const RoleSchema = z.enum(ROLES);

/** A geofence: centre in GCJ-02 (as Tencent/WeChat maps give it) and radius in metres. */
export const FenceSchema = z.object({
  lat: LatSchema,
  lng: LngSchema,
  radiusM: z.number().int().min(50).max(20_000).default(DEFAULT_FENCE_RADIUS_M),
});
export type Fence = z.infer<typeof FenceSchema>;

export const OrgSummarySchema = z.object({ id: z.string(), name: z.string(), type: OrgTypeSchema });
export type OrgSummary = z.infer<typeof OrgSummarySchema>;

export const OrgSchema = OrgSummarySchema.extend({
  parentId: z.string().nullable(),
  /** Ancestors from the county down, not including the org itself. */
  path: z.array(OrgSummarySchema),
  fence: FenceSchema.nullable(),
  memberCount: z.number().int(),
  children: z.array(OrgSummarySchema.extend({ memberCount: z.number().int() })),
});
export type Org = z.infer<typeof OrgSchema>;

const OrgNameSchema = z.string().trim().min(1).max(LIMITS.orgNameMax);

export const CreateOrgBodySchema = z.object({
  name: OrgNameSchema,
  type: OrgTypeSchema.exclude(['county']),
  parentId: IdSchema,
  fence: FenceSchema.optional(),
});
export type CreateOrgBody = z.infer<typeof CreateOrgBodySchema>;

export const PatchOrgBodySchema = z.object({
  name: OrgNameSchema.optional(),
  fence: FenceSchema.nullable().optional(),
});
export type PatchOrgBody = z.infer<typeof PatchOrgBodySchema>;

export const CreateInviteBodySchema = z.object({
  expiresInDays: z.number().int().min(1).max(LIMITS.inviteMaxDays).default(7),
  maxUses: z.number().int().min(1).max(LIMITS.inviteMaxUses).default(50),
});
export type CreateInviteBody = z.infer<typeof CreateInviteBodySchema>;

export const InviteSchema = z.object({
  code: z.string(),
  orgId: z.string(),
  expiresAt: z.string(),
  maxUses: z.number().int(),
  uses: z.number().int(),
});
export type Invite = z.infer<typeof InviteSchema>;

export const MemberSchema = z.object({
  id: z.string(),
  name: z.string(),
  avatarUrl: z.string(),
  roles: z.array(RoleSchema),
  org: OrgSummarySchema.nullable(),
  postedVillageId: z.string().nullable(),
  adminOrgId: z.string().nullable(),
  /** Always masked: 138****1234. */
  contact: z.string().nullable(),
});
export type Member = z.infer<typeof MemberSchema>;
export const MemberPageSchema = pageOf(MemberSchema);
export type MemberPage = z.infer<typeof MemberPageSchema>;

export const PatchMemberBodySchema = z.object({
  roles: z.array(RoleSchema).min(1).max(ROLES.length).optional(),
  orgId: IdSchema.optional(),
  postedVillageId: IdSchema.nullable().optional(),
  adminOrgId: IdSchema.nullable().optional(),
  /** 人员类别, as the roster defines them. */
  category: z.enum(ROSTER_CATEGORIES, { message: '人员类别应为 正式党员 或 预备党员' }).optional(),
});
export type PatchMemberBody = z.infer<typeof PatchMemberBodySchema>;

export const CreateMemberBodySchema = z.object({
  name: z.string().trim().min(1).max(LIMITS.nameMax),
  orgId: IdSchema,
  roles: z.array(RoleSchema).min(1).max(ROLES.length).default(['member']),
  /** The WeChat openid, when known; otherwise the member binds on first login with an invite code. */
  openid: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
});
export type CreateMemberBody = z.infer<typeof CreateMemberBodySchema>;
