import type { OrgType, Role } from '@pioneer/shared';
import { newId } from '../../src/db/ids';
import { OrgModel } from '../../src/modules/orgs/orgs.model';
import { countMembers } from '../../src/modules/orgs/orgs.service';
import { placeOrgInSubtrees, syncCadre } from '../../src/modules/orgs/subtree';
import { LoginModel, UserModel } from '../../src/modules/users/users.model';
import { sealedContact } from '../../src/modules/privacy/field-crypto';

export interface BuiltOrg {
  id: string;
  name: string;
  path: string[];
}

export async function buildOrg(
  type: OrgType,
  name: string,
  parent?: BuiltOrg,
  fence?: { lat: number; lng: number; radiusM: number },
): Promise<BuiltOrg> {
  const id = newId();
  const path = parent ? [...parent.path, parent.id] : [];
  await OrgModel.create({ _id: id, name, type, parentId: parent?.id ?? null, path, fence: fence ?? null });
  await placeOrgInSubtrees({ _id: id, name, type, parentId: parent?.id ?? null, path });
  return { id, name, path };
}

/** county -> two townships -> a village each -> a branch each, plus a second branch in the first village. */
export async function buildCounty() {
  const county = await buildOrg('county', '测试县');
  const townA = await buildOrg('township', '甲镇', county);
  const townB = await buildOrg('township', '乙乡', county);
  const villageA = await buildOrg('village', '甲村', townA, { lat: 30.5447, lng: 119.9752, radiusM: 500 });
  const villageB = await buildOrg('village', '乙村', townB);
  const branchA = await buildOrg('branch', '甲村党支部', villageA);
  const branchA2 = await buildOrg('branch', '甲村第二党支部', villageA);
  const branchB = await buildOrg('branch', '乙村党支部', villageB);
  return { county, townA, townB, villageA, villageB, branchA, branchA2, branchB };
}

/** What buildCounty returns. */
export type County = Awaited<ReturnType<typeof buildCounty>>;

export interface MemberOptions {
  branch: BuiltOrg;
  roles?: Role[];
  name?: string;
  adminOf?: BuiltOrg;
  postedTo?: BuiltOrg;
  openid?: string;
  contact?: string;
}

export async function buildMember(options: MemberOptions) {
  const id = newId();
  const orgPath = [...options.branch.path, options.branch.id];
  await UserModel.create({
    _id: id,
    name: options.name ?? `党员${id.slice(-4)}`,
    roles: options.roles ?? ['member'],
    orgId: options.branch.id,
    orgPath,
    adminOrgId: options.adminOf?.id ?? null,
    postedVillageId: options.postedTo?.id ?? null,
    // Sealed as the app stores it (issue 24).
    identity: sealedContact(options.contact ?? null),
  });
  if (options.openid) await LoginModel.create({ _id: `wx:${options.openid}`, userId: id });
  await countMembers(orgPath, 1);
  if (options.roles?.includes('cadre')) await syncCadre(id, { path: [], posting: null });
  return { id, orgPath };
}

/** An admin over `of` (its whole subtree), placed as a member of `branch`. */
export function buildAdmin(options: { of: BuiltOrg; branch: BuiltOrg; name?: string }) {
  return buildMember({ branch: options.branch, roles: ['member', 'admin'], adminOf: options.of, name: options.name });
}

/** The secretary of `branch`. */
export function buildSecretary(branch: BuiltOrg, name?: string) {
  return buildMember({ branch, roles: ['member', 'secretary'], name });
}
