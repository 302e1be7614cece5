import { invalid } from '../http/errors';
import type { Principal } from './scope';

/**
 * What a member's powers are and what a change of org does to them. Secretary and cadre (with the posted village)
 * are bound to the branch: a member who changes branch — by invite, by an admin's move — loses both unless the same
 * admin request grants them anew. Admin is bound to its `adminOrgId`, not to the member's branch, and goes with it.
 */
export const BRANCH_BOUND_ROLES = ['secretary', 'cadre'] as const;

export interface Powers {
  roles: string[];
  orgId: string | null;
  adminOrgId: string | null;
  postedVillageId: string | null;
}

/** The orgs a member holds power in (their branch, a stale admin scope too): an actor must cover every one. */
export function powerOrgIds(p: Pick<Principal, 'orgId' | 'adminOrgId' | 'postedVillageId'>): string[] {
  return [p.orgId, p.adminOrgId, p.postedVillageId].filter(
    (id): id is string => typeof id === 'string' && id.length > 0,
  );
}

export interface PowerChange {
  roles?: string[];
  orgId?: string;
  postedVillageId?: string | null;
  adminOrgId?: string | null;
}

/**
 * The powers after a change, decided explicitly: a move drops the branch-bound roles not granted in the same change,
 * a role removed takes its scope with it (no `admin` → no `adminOrgId`, no `cadre` → no posted village).
 */
export function powersAfter(before: Powers, change: PowerChange): Powers & { dropped: string[] } {
  const moving = change.orgId !== undefined && change.orgId !== before.orgId;
  let roles = [...new Set(['member', ...(change.roles ?? before.roles)])];
  const dropped: string[] = [];
  if (moving && change.roles === undefined) {
    for (const r of BRANCH_BOUND_ROLES) if (roles.includes(r)) dropped.push(r);
    roles = roles.filter((r) => !dropped.includes(r));
  }
  let postedVillageId: string | null = null;
  if (roles.includes('cadre'))
    postedVillageId =
      change.postedVillageId !== undefined ? change.postedVillageId : moving ? null : before.postedVillageId;
  const adminOrgId = !roles.includes('admin')
    ? null
    : change.adminOrgId !== undefined
      ? change.adminOrgId
      : before.adminOrgId;
  return { roles, orgId: change.orgId ?? before.orgId, adminOrgId, postedVillageId, dropped };
}

/** Admin is a power over a subtree: granting it without naming the subtree grants nothing and is refused. */
export function assertScopesNamed(after: Powers): void {
  if (after.roles.includes('admin') && !after.adminOrgId) throw invalid('授予管理员须同时指定管理范围（adminOrgId）');
}

/** Roles beyond member: only an admin over the branch grants them. */
export const grantsBeyondMember = (roles: readonly string[]): boolean => roles.some((r) => r !== 'member');
