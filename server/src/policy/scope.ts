import type { QueryFilter } from 'mongoose';

/**
 * Who manages what, computed in one place. A principal is anyone holding powers: the caller (SessionUser) or a
 * member document being changed (UserDoc) — both carry roles and the three org-bound powers.
 */
export interface Principal {
  roles: readonly string[];
  orgId?: string | null;
  orgPath?: readonly string[] | null;
  adminOrgId?: string | null;
  postedVillageId?: string | null;
}

/** An org, or anything placed in the tree like one (a post, a wish): its id and its ancestors. */
export interface Placed {
  _id: string;
  path: readonly string[];
}

/** A member as far as scope goes: the branch and the chain it sits in. */
export interface MemberPlacement {
  orgId?: string | null;
  orgPath?: readonly string[] | null;
}

/** The root of the subtree an admin runs, or null (an `adminOrgId` without the admin role is no power). */
export const adminRootOf = (p: Principal): string | null =>
  p.roles.includes('admin') && p.adminOrgId ? p.adminOrgId : null;

/** The branch a secretary runs: their own, or null. */
export const secretaryBranchOf = (p: Principal): string | null =>
  p.roles.includes('secretary') && p.orgId ? p.orgId : null;

/** The village a cadre is posted to, or null. */
export const postedVillageOf = (p: Principal): string | null =>
  p.roles.includes('cadre') && p.postedVillageId ? p.postedVillageId : null;

/** The org itself or anything below it. */
export const isWithin = (org: Placed, rootId: string): boolean => org._id === rootId || org.path.includes(rootId);

/** An admin runs their subtree: the org itself or anything below it. */
export function adminCovers(actor: Principal, org: Placed): boolean {
  const root = adminRootOf(actor);
  return root !== null && isWithin(org, root);
}

/** A secretary runs exactly their own branch. */
export function secretaryCovers(actor: Principal, org: Placed): boolean {
  const branch = secretaryBranchOf(actor);
  return branch !== null && branch === org._id;
}

/** Runs the org: its secretary, or an admin over it. */
export const runsOrg = (actor: Principal, org: Placed): boolean =>
  adminCovers(actor, org) || secretaryCovers(actor, org);

/** The org is the actor's branch or one of its ancestors. */
export const inChainOf = (actor: Principal, orgId: string): boolean => (actor.orgPath ?? []).includes(orgId);

/** Secretary: members of their branch; admin: members anywhere in their subtree. */
export function managesMember(actor: Principal, member: MemberPlacement): boolean {
  const root = adminRootOf(actor);
  if (root !== null && (member.orgPath ?? []).includes(root)) return true;
  const branch = secretaryBranchOf(actor);
  return branch !== null && member.orgId === branch;
}

/** Everything an actor manages, as ids: the branches they are secretary of and the subtrees they administer. */
export function managedScope(actor: Principal): { branchIds: string[]; subtreeRoots: string[] } {
  const branch = secretaryBranchOf(actor);
  const root = adminRootOf(actor);
  return { branchIds: branch ? [branch] : [], subtreeRoots: root ? [root] : [] };
}

/** Field names of a collection's placement: the branch (or org) id and its path (ancestors and itself). */
export interface PlacementFields {
  org: string;
  path: string;
}

/**
 * The mongo filter for "documents in what I manage", over one or more placements of a document (a service record
 * is placed by its post and by its member). Null when the actor manages nothing.
 */
export function managedFilter<T>(actor: Principal, placements: PlacementFields[]): QueryFilter<T> | null {
  const { branchIds, subtreeRoots } = managedScope(actor);
  const or: Record<string, string>[] = [];
  for (const p of placements) {
    for (const id of branchIds) or.push({ [p.org]: id });
    for (const id of subtreeRoots) or.push({ [p.path]: id });
  }
  if (or.length === 0) return null;
  return (or.length === 1 ? or[0] : { $or: or }) as QueryFilter<T>;
}

/** The org a secretary or admin means when naming none: the admin's subtree, else the secretary's branch. */
export function defaultManagedOrgId(actor: Principal): string | null {
  return adminRootOf(actor) ?? secretaryBranchOf(actor);
}

/** The org a viewer means when naming none: their branch, else the subtree they administer. */
export function defaultViewOrgId(actor: Principal): string | null {
  return actor.orgId ?? adminRootOf(actor);
}

/** The county a viewer means when naming none: their own county, else the county of the subtree they run. */
export function defaultCountyStart(actor: Principal): string | null {
  return actor.orgPath?.[0] ?? adminRootOf(actor);
}

/** A cadre checks in at the village they are posted to. */
export const isCadre = (p: Principal): boolean => p.roles.includes('cadre');
