import type { SessionUser } from '../../http/types';
import { forbidden } from '../../http/errors';

interface Placed {
  _id: string;
  path: string[];
}

/** An admin runs their subtree: the org itself or anything below it. */
export function adminCovers(actor: SessionUser, org: Placed): boolean {
  if (!actor.roles.includes('admin') || !actor.adminOrgId) return false;
  return org._id === actor.adminOrgId || org.path.includes(actor.adminOrgId);
}

/** A secretary runs exactly their own branch. */
export function secretaryCovers(actor: SessionUser, org: Placed): boolean {
  return actor.roles.includes('secretary') && actor.orgId === org._id;
}

export function canManageOrg(actor: SessionUser, org: Placed): boolean {
  return adminCovers(actor, org) || secretaryCovers(actor, org);
}

export function assertCanManageOrg(actor: SessionUser, org: Placed): void {
  if (!canManageOrg(actor, org)) throw forbidden('只能管理本支部（管理员：本辖区）的事务');
}

/** A member may look at the boards of their own org chain; an admin also at anything in their subtree. */
export function canViewScope(actor: SessionUser, org: Placed): boolean {
  return actor.orgPath.includes(org._id) || adminCovers(actor, org);
}

interface MemberPlacement {
  orgId?: string | null;
  orgPath: string[];
}

/** Secretary: members of their branch; admin: members anywhere in their subtree. */
export function canManageMember(actor: SessionUser, member: MemberPlacement): boolean {
  if (actor.roles.includes('admin') && actor.adminOrgId && member.orgPath.includes(actor.adminOrgId)) return true;
  return actor.roles.includes('secretary') && actor.orgId !== null && member.orgId === actor.orgId;
}

export function assertCanManageMember(actor: SessionUser, member: MemberPlacement): void {
  if (!canManageMember(actor, member)) throw forbidden('只能管理本支部（管理员：本辖区）的党员');
}
