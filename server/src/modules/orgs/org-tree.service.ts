import type { MoveOrgBody, OrgTreeNode, OrgType } from '@pioneer/shared';
import { AppError, invalid } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { adminRootOf, authorize, isWithin, type Placed } from '../../policy';
import { recordAudit } from '../audit/audit.service';
import { UserModel } from '../users/users.model';
import { ACTIVE_MEMBER, applyOrgMove, OrgMoveModel, type AfterBatch, type OrgMoveDoc } from './org-move';
import { CHILD_TYPES, requireOrg } from './orgs.service';
import { InviteModel, OrgModel, type OrgDoc } from './orgs.model';
import { dropFromSubtrees } from './subtree';

export { ACTIVE_MEMBER } from './org-move';

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

/**
 * Moves an org (with everything under it) under another parent inside the admin's subtree. The paths follow: child
 * orgs', members' `orgPath`, and the placement of posts, service records and wishes. Points already earned stay
 * where they were earned: the ledger and the totals of the old ancestors are not rewritten.
 * For a crash: the move is recorded by the org's key before anything moves (org-move.ts); start-up finishes a
 * recorded move a stop left half-done, and sending the same move again finishes it too.
 */
export async function moveOrg(
  actor: SessionUser,
  id: string,
  body: MoveOrgBody,
  afterBatch?: AfterBatch,
): Promise<OrgTreeNode> {
  const [org, parent] = await Promise.all([requireOrg(id), requireOrg(body.parentId)]);
  authorize(actor, 'org.move', { org, parent });
  if (isWithin(parent, org._id)) throw invalid('不能把组织移到它自己或它的下级组织之下');
  if (!CHILD_TYPES[parent.type as OrgType].includes(org.type as OrgType))
    throw invalid(`${parent.name}下不能设立该类型的组织`);
  // A half-done earlier move of this org (a stop, then a move elsewhere): its new ancestors are recounted too.
  const earlier = await OrgMoveModel.findById(org._id).lean<OrgMoveDoc>();
  const move: OrgMoveDoc = {
    _id: org._id,
    parentId: parent._id,
    prefix: [...parent.path, parent._id],
    oldAncestors: [...new Set([...org.path, ...(earlier?.prefix ?? [])])],
    fromParentId: earlier?.fromParentId ?? org.parentId ?? null,
    actorId: actor.id,
  };
  // The intent first, by the org's key; start-up finishes it if this process stops before the end.
  await OrgMoveModel.replaceOne({ _id: org._id }, move, { upsert: true });
  await applyOrgMove(move, afterBatch);
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
  await dropFromSubtrees(org);
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
