import type { MoveOrgBody, OrgTreeNode, OrgType } from '@pioneer/shared';
import { AppError, invalid } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { adminRootOf, authorize, isWithin, type Placed } from '../../policy';
import { recordAudit } from '../audit/audit.service';
import { PostModel, RecordModel } from '../posts/posts.model';
import { UserModel } from '../users/users.model';
import { WishModel } from '../wishes/wishes.model';
import { CHILD_TYPES, requireOrg } from './orgs.service';
import { InviteModel, OrgModel, type OrgDoc } from './orgs.model';

/** Members who count (on lists, boards and in memberCount): every status but 停止党籍/出党/去世. */
export const ACTIVE_MEMBER = { status: { $nin: ['suspended', 'left', 'deceased'] } } as const;

/**
 * 组织架构: the admin's subtree as nested nodes (children by name). A deliberate scan of the orgs collection
 * (a county is a few hundred orgs) — an admin page, not a member's hot path.
 */
export async function orgTree(actor: SessionUser, rootId: string): Promise<OrgTreeNode> {
  const root = await requireOrg(rootId);
  authorize(actor, 'org.manage', root);
  const orgs = await OrgModel.find({ path: root._id, dissolvedAt: null }).lean<OrgDoc[]>();
  const node = (o: OrgDoc): OrgTreeNode => ({
    id: o._id,
    name: o.name,
    type: o.type as OrgType,
    parentId: o.parentId ?? null,
    memberCount: o.memberCount,
    fence: o.fence ? { lat: o.fence.lat!, lng: o.fence.lng!, radiusM: o.fence.radiusM! } : null,
    children: [],
  });
  const byId = new Map<string, OrgTreeNode>([[root._id, node(root)]]);
  for (const o of orgs) byId.set(o._id, node(o));
  for (const n of byId.values()) if (n.id !== root._id && n.parentId) byId.get(n.parentId)?.children.push(n);
  for (const n of byId.values()) n.children.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  return byId.get(root._id)!;
}

/** `path` with everything above `id` replaced by `prefix` (the moved org's new ancestors). Idempotent. */
export function repathed(path: readonly string[], id: string, prefix: readonly string[]): string[] {
  const at = path.indexOf(id);
  return at < 0 ? [...path] : [...prefix, ...path.slice(at)];
}

type PathModel = { find: typeof OrgModel.find; updateOne: typeof OrgModel.updateOne };

/** Rewrites one path field of every document placed under `id` (one update by `_id` each). */
async function repathField(model: PathModel, field: string, id: string, prefix: string[]): Promise<number> {
  const docs = (await model.find({ [field]: id }, { [field]: 1 }).lean()) as unknown as Array<
    Record<string, unknown> & { _id: string }
  >;
  const stale = docs.filter(
    (d) => repathed(d[field] as string[], id, prefix).join('/') !== (d[field] as string[]).join('/'),
  );
  for (let i = 0; i < stale.length; i += 50) {
    await Promise.all(
      stale
        .slice(i, i + 50)
        .map((d) => model.updateOne({ _id: d._id }, { $set: { [field]: repathed(d[field] as string[], id, prefix) } })),
    );
  }
  return docs.length;
}

/** memberCount of each org, recounted from the members (a scan each: moves are rare and this heals any crash). */
async function recount(orgIds: string[]): Promise<void> {
  for (const id of new Set(orgIds)) {
    const n = await UserModel.countDocuments({ orgPath: id, ...ACTIVE_MEMBER });
    await OrgModel.updateOne({ _id: id }, { $set: { memberCount: n } });
  }
}

/**
 * Moves an org (with everything under it) under another parent inside the admin's subtree. The paths follow: child
 * orgs', members' `orgPath`, and the placement of posts, service records and wishes. Points already earned stay
 * where they were earned: the ledger and the totals of the old ancestors are not rewritten.
 * Order for a crash: everything below is re-pathed first (idempotent), the org itself last, then the member counts
 * of old and new ancestors are recounted; sending the same move again finishes a half-done one.
 */
export async function moveOrg(actor: SessionUser, id: string, body: MoveOrgBody): Promise<OrgTreeNode> {
  const [org, parent] = await Promise.all([requireOrg(id), requireOrg(body.parentId)]);
  authorize(actor, 'org.move', { org, parent });
  if (isWithin(parent, org._id)) throw invalid('不能把组织移到它自己或它的下级组织之下');
  if (!CHILD_TYPES[parent.type as OrgType].includes(org.type as OrgType))
    throw invalid(`${parent.name}下不能设立该类型的组织`);
  const prefix = [...parent.path, parent._id];
  const oldAncestors = org.path;
  const members = await repathField(UserModel as unknown as PathModel, 'orgPath', org._id, prefix);
  await repathField(OrgModel as unknown as PathModel, 'path', org._id, prefix);
  await repathField(PostModel as unknown as PathModel, 'orgPath', org._id, prefix);
  await repathField(RecordModel as unknown as PathModel, 'orgPath', org._id, prefix);
  await repathField(RecordModel as unknown as PathModel, 'memberOrgPath', org._id, prefix);
  await repathField(WishModel as unknown as PathModel, 'orgPath', org._id, prefix);
  await OrgModel.updateOne({ _id: org._id }, { $set: { parentId: parent._id, path: prefix } });
  await recount([...oldAncestors, ...prefix]);
  if (org.parentId !== parent._id) {
    await recordAudit({
      actorId: actor.id,
      action: 'org.move',
      targetType: 'org',
      targetId: org._id,
      details: { from: org.parentId ?? null, parentId: parent._id, members },
    });
  }
  return orgTree(actor, adminRootOf(actor) ?? org._id);
}

/**
 * Dissolves an org with nobody in it: refused while it has child orgs, members (any 正常 member of its subtree),
 * a cadre posted to it or an admin over it. Kept as a dissolved document (history still reads its name); its
 * open invites are revoked.
 */
export async function dissolveOrg(actor: SessionUser, id: string, now = new Date()): Promise<void> {
  const org = await requireOrg(id);
  authorize(actor, 'org.dissolve', org);
  const [children, members, posted, admins] = await Promise.all([
    OrgModel.countDocuments({ parentId: org._id, dissolvedAt: null }),
    UserModel.countDocuments({ orgPath: org._id, ...ACTIVE_MEMBER }),
    UserModel.countDocuments({ postedVillageId: org._id, roles: 'cadre' }),
    UserModel.countDocuments({ adminOrgId: org._id, roles: 'admin' }),
  ]);
  const reasons: string[] = [];
  if (children > 0) reasons.push(`${children} 个下级组织`);
  if (members > 0) reasons.push(`${members} 名党员`);
  if (posted > 0) reasons.push(`${posted} 名驻村干部`);
  if (admins > 0) reasons.push(`${admins} 名管理员`);
  if (reasons.length > 0) {
    throw new AppError('ORG_NOT_EMPTY', `${org.name}下还有${reasons.join('、')}，请先转出或撤销后再撤销该组织`, {
      children,
      members,
      posted,
      admins,
    });
  }
  await OrgModel.updateOne({ _id: org._id }, { $set: { dissolvedAt: now } });
  await InviteModel.updateMany({ orgId: org._id, revokedAt: null }, { $set: { revokedAt: now } });
  await recordAudit({
    actorId: actor.id,
    action: 'org.dissolve',
    targetType: 'org',
    targetId: org._id,
    details: { name: org.name },
  });
}

/** Branches of the actor's county (names with their parents), for choosing where a transfer goes. A small scan. */
export async function countyBranches(
  countyId: string,
): Promise<Array<{ id: string; name: string; parentName: string; path: Placed['path'] }>> {
  const orgs = await OrgModel.find({ path: countyId, dissolvedAt: null }).lean<OrgDoc[]>();
  const names = new Map(orgs.map((o) => [o._id, o.name]));
  return orgs
    .filter((o) => o.type === 'branch')
    .map((o) => ({ id: o._id, name: o.name, parentName: (o.parentId && names.get(o.parentId)) || '', path: o.path }))
    .sort((a, b) => a.parentName.localeCompare(b.parentName, 'zh-CN') || a.name.localeCompare(b.name, 'zh-CN'));
}
