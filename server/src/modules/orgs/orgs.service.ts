import { randomInt } from 'node:crypto';
import {
  ORG_CHILD_TYPES,
  type CreateInviteBody,
  type CreateOrgBody,
  type Invite,
  type Org,
  type OrgSummary,
  type OrgType,
  type PatchOrgBody,
} from '@pioneer/shared';
import { AppError, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { newId } from '../../db/ids';
import { isDuplicateKey } from '../../db/connect';
import { markedValue } from '../../db/change-marks';
import { recordAudit } from '../audit/audit.service';
import { InviteModel, OrgModel, type OrgDoc } from './orgs.model';
import { applyMemberDeltas, placeOrgInSubtrees, renameInSubtrees } from './subtree';
import { authorize, can, type Actor } from '../../policy';

export async function findOrg(id: string): Promise<OrgDoc | null> {
  return OrgModel.findById(id).lean<OrgDoc>();
}

/** An org that exists and was not dissolved (a dissolved one is kept only for history's names). */
export async function requireOrg(id: string): Promise<OrgDoc> {
  const org = await findOrg(id);
  if (!org || org.dissolvedAt) throw notFound('组织');
  return org;
}

export function orgSummary(org: Pick<OrgDoc, '_id' | 'name' | 'type'>): OrgSummary {
  return { id: org._id, name: org.name, type: org.type as OrgType };
}

/**
 * An org as this process holds it (db/change-marks.ts): read again after any org write, this process's at once and
 * another's within the shared-view bound. GET /me's chain, boards' orgs and every org page read orgs by key.
 */
export const heldOrg = markedValue('orgs', findOrg, {
  // The org tree is a few hundred documents a county: one read of all of them (a scan) instead of one key read each.
  loadAll: async () => (await OrgModel.find({}).lean<OrgDoc[]>()).map((o): [string, OrgDoc | null] => [o._id, o]),
});

/** Ancestors plus the org itself, county first, as summaries (held orgs: no read while none of them changed). */
export async function orgChain(ids: string[]): Promise<OrgSummary[]> {
  const orgs = await Promise.all(ids.map((id) => heldOrg.get(id)));
  return orgs.filter((o): o is OrgDoc => o !== null).map(orgSummary);
}

export async function childrenOf(parentId: string): Promise<OrgDoc[]> {
  // Deliberate scan on FerretDB: the org tree of a county is a few hundred documents.
  return OrgModel.find({ parentId, dissolvedAt: null }).sort({ name: 1 }).lean<OrgDoc[]>();
}

/**
 * One org for a reader in its chain (or a manager of it, or the cadre posted to it): names, counts and children.
 * The check-in fence only to those who use it: admins over it, secretaries of branches in it, the posted cadre.
 */
export async function orgView(actor: Actor, id: string): Promise<Org> {
  const org = await requireOrg(id);
  authorize(actor, 'org.view', org);
  const fence = can(actor, 'org.viewFence', org) ? org.fence : null;
  const [path, children] = await Promise.all([orgChain(org.path), childrenOf(id)]);
  return {
    ...orgSummary(org),
    parentId: org.parentId ?? null,
    path,
    fence: fence ? { lat: fence.lat!, lng: fence.lng!, radiusM: fence.radiusM! } : null,
    memberCount: org.memberCount,
    children: children.map((c) => ({ ...orgSummary(c), memberCount: c.memberCount })),
  };
}

export const CHILD_TYPES = ORG_CHILD_TYPES;

export async function createOrg(actor: SessionUser, body: CreateOrgBody): Promise<Org> {
  const parent = await requireOrg(body.parentId);
  authorize(actor, 'org.create', parent);
  if (!CHILD_TYPES[parent.type as OrgType].includes(body.type)) {
    throw new AppError('VALIDATION_FAILED', `${parent.name}下不能建立该类型的组织`);
  }
  const id = newId();
  const placed = {
    _id: id,
    name: body.name,
    type: body.type,
    parentId: parent._id,
    path: [...parent.path, parent._id],
  };
  await OrgModel.create({ ...placed, fence: body.fence ?? null });
  await placeOrgInSubtrees(placed);
  await recordAudit({ actorId: actor.id, action: 'org.create', targetType: 'org', targetId: id, details: { ...body } });
  return orgView(actor, id);
}

export async function patchOrg(actor: SessionUser, id: string, body: PatchOrgBody): Promise<Org> {
  const org = await requireOrg(id);
  authorize(actor, 'org.manage', org);
  if (body.fence && !['village', 'community'].includes(org.type)) {
    throw new AppError('VALIDATION_FAILED', '只有村和社区可以设置打卡范围');
  }
  const set: Record<string, unknown> = {};
  if (body.name !== undefined) set.name = body.name;
  if (body.fence !== undefined) set.fence = body.fence;
  await OrgModel.updateOne({ _id: id }, { $set: set });
  if (body.name !== undefined) await renameInSubtrees(org, body.name);
  await recordAudit({ actorId: actor.id, action: 'org.update', targetType: 'org', targetId: id, details: { ...body } });
  return orgView(actor, id);
}

/** No 0/O or 1/I: codes are read aloud and typed by older members. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function inviteCode(): string {
  return Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}

export function inviteView(doc: {
  _id: string;
  orgId: string;
  expiresAt: Date;
  maxUses: number;
  uses: number;
}): Invite {
  return {
    code: doc._id,
    orgId: doc.orgId,
    expiresAt: doc.expiresAt.toISOString(),
    maxUses: doc.maxUses,
    uses: doc.uses,
  };
}

export async function createInvite(
  actor: SessionUser,
  orgId: string,
  body: CreateInviteBody,
  now = new Date(),
): Promise<Invite> {
  const org = await requireOrg(orgId);
  authorize(actor, 'invite.create', org);
  if (org.type !== 'branch') throw new AppError('VALIDATION_FAILED', '邀请码只能发给支部');
  const expiresAt = new Date(now.getTime() + body.expiresInDays * 24 * 3600 * 1000);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const doc = await InviteModel.create({
        _id: inviteCode(),
        orgId,
        expiresAt,
        maxUses: body.maxUses,
        createdBy: actor.id,
      });
      return inviteView(doc.toObject());
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  throw new AppError('CONFLICT', '邀请码生成失败，请重试');
}

/**
 * Takes one use of an invite. The use counter is an $inc on the code's key (atomic without transactions); a use
 * past the limit is handed back, so concurrent joins never exceed maxUses.
 */
export async function takeInviteUse(code: string, now = new Date()): Promise<string> {
  const invite = await InviteModel.findById(code).lean();
  if (!invite) throw new AppError('NOT_FOUND', '邀请码不存在，请核对后重新输入');
  if (invite.revokedAt) throw new AppError('INVITE_REVOKED');
  if (invite.expiresAt.getTime() <= now.getTime()) throw new AppError('INVITE_EXPIRED');
  const after = await InviteModel.findOneAndUpdate(
    { _id: code },
    { $inc: { uses: 1 } },
    { returnDocument: 'after' },
  ).lean();
  if (!after || after.uses > after.maxUses) {
    await InviteModel.updateOne({ _id: code }, { $inc: { uses: -1 } });
    throw new AppError('INVITE_USED_UP');
  }
  return after.orgId;
}

export async function releaseInviteUse(code: string): Promise<void> {
  await InviteModel.updateOne({ _id: code }, { $inc: { uses: -1 } });
}

/**
 * memberCount of an org and all its ancestors moves with each member who joins or leaves the subtree (and the
 * subtree documents' counts with it): two bulk writes, whatever the depth.
 */
export async function countMembers(orgPath: string[], delta: 1 | -1): Promise<void> {
  await applyMemberDeltas([[orgPath, delta]]);
}
