export const ORG_TYPES = [
  'county',
  'township',
  'village',
  'community',
  'branch',
  'agency',
  'enterprise',
  'school',
] as const;
export type OrgType = (typeof ORG_TYPES)[number];

export const ORG_TYPE_LABELS: Record<OrgType, string> = {
  county: '县',
  township: '乡镇',
  village: '村',
  community: '社区',
  branch: '支部',
  agency: '机关',
  enterprise: '企业',
  school: '学校',
};

/** Which org types may sit under which (县 -> 乡镇/机关/企业/学校/支部, 乡镇 -> 村/社区/..., 村 -> 支部). */
export const ORG_CHILD_TYPES: Record<OrgType, OrgType[]> = {
  county: ['township', 'agency', 'enterprise', 'school', 'branch'],
  township: ['village', 'community', 'agency', 'enterprise', 'school', 'branch'],
  village: ['branch'],
  community: ['branch'],
  agency: ['branch'],
  enterprise: ['branch'],
  school: ['branch'],
  branch: [],
};

export const ROLES = ['member', 'cadre', 'secretary', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  member: '党员',
  cadre: '驻村干部',
  secretary: '支部书记',
  admin: '管理员',
};

export const DEFAULT_FENCE_RADIUS_M = 500;

export const LIMITS = {
  nameMax: 40,
  orgNameMax: 60,
  reasonMax: 200,
  inviteMaxUses: 1000,
  inviteMaxDays: 90,
  adjustmentMax: 1000,
  pageDefault: 20,
  pageMax: 100,
  boardSize: 100,
} as const;
