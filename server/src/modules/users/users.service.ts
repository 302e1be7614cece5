import {
  dayKey,
  maskPhone,
  ownUploadUrl,
  type CreateMemberBody,
  type Me,
  type Member,
  type MemberPage,
  type PageQuery,
  type PatchMeBody,
  type PatchMemberBody,
  type Role,
} from '@pioneer/shared';
import type { mongo } from 'mongoose';
import { isDuplicateKey } from '../../db/connect';
import { newId } from '../../db/ids';
import { readOnce } from '../../db/engine-commands';
import { keyReads } from '../../db/key-reads';
import { AppError, invalid, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { recordAudit } from '../audit/audit.service';
import { assertScopesNamed, authorize, grantsBeyondMember, powerOrgIds, powersAfter, type Powers } from '../../policy';
import { countMembers, findOrg, orgSummary, releaseInviteUse, requireOrg, takeInviteUse } from '../orgs/orgs.service';
import { postingOf, syncCadre } from '../orgs/subtree';
import { setHidden } from '../settings/settings.service';
import { LoginModel, UserModel, type UserDoc } from './users.model';
import { requireConsent } from '../privacy/consent.service';
import { sealedContact, unseal } from '../privacy/field-crypto';
import { refreshMemberCards } from '../commitments/card-writes';
import { claimedMember } from './session-claims';
import { meOf } from './me-view';

const loginKey = (openid: string) => `wx:${openid}`;

const usersByKey = () => UserModel.collection as unknown as mongo.Collection<UserDoc>;
/** Members' key reads, gathered under load into one command (db/key-reads.ts). */
const userReads = keyReads(usersByKey);

/**
 * Read once per request (the session's read serves GET /me and the paths below it; a write reads again). A key read
 * on the driver: the document as stored, as a lean mongoose query returns it (the schema hides no field and users
 * have no query hooks), without the Query's casting, option merging and hooks on every cold read (issue 17).
 */
export async function findUser(id: string): Promise<UserDoc | null> {
  return readOnce('users', id, () => userReads.read(id));
}

export async function loadSessionUser(id: string): Promise<SessionUser | null> {
  const user = await findUser(id);
  // A closed account (issue 24) has no session: its tokens stop working at once.
  if (!user || user.closedAt) return null;
  return {
    id: user._id,
    roles: user.roles as Role[],
    orgId: user.orgId ?? null,
    orgPath: user.orgPath,
    adminOrgId: user.adminOrgId ?? null,
    postedVillageId: user.postedVillageId ?? null,
  };
}

/** First sign-in creates a member with no branch yet; they join one with an invite code. */
export async function findOrCreateByOpenid(openid: string, name?: string): Promise<UserDoc> {
  const login = await LoginModel.findById(loginKey(openid)).lean();
  if (login) {
    const user = await findUser(login.userId);
    if (user) return user;
  }
  const id = newId();
  await UserModel.create({ _id: id, name: name ?? '新党员', roles: ['member'] });
  try {
    await LoginModel.create({ _id: loginKey(openid), userId: id });
    return (await findUser(id))!;
  } catch (err) {
    // Two first sign-ins at once: the other one won; keep theirs and drop ours.
    if (!isDuplicateKey(err)) throw err;
    await UserModel.deleteOne({ _id: id });
    const winner = await LoginModel.findById(loginKey(openid)).lean();
    return (await findUser(winner!.userId))!;
  }
}

export async function meView(userId: string): Promise<Me> {
  const user = await findUser(userId);
  if (!user) throw notFound('账号');
  return meOf(user);
}

/** GET /me: from the token's claims when the read trusted them (no member read: session-claims.ts), else as stored. */
export const sessionMe = (me: SessionUser): Promise<Me> => {
  const claimed = claimedMember(me);
  return claimed ? meOf(claimed) : meView(me.id);
};

export async function patchMe(userId: string, body: PatchMeBody): Promise<Me> {
  // A phone number is personal data: not taken from a member who refused the privacy guide (issue 24).
  if (body.identity?.contact) await requireConsent(userId, 'phone');
  const set: Record<string, unknown> = {};
  if (body.name !== undefined) set.name = body.name;
  if (body.avatarUrl !== undefined) set.avatarUrl = body.avatarUrl;
  for (const [key, value] of Object.entries(body.identity ?? {})) {
    if (value !== undefined) set[`identity.${key}`] = value === '' ? null : value;
  }
  // The phone is sealed at rest, with its tail for the search (issue 24).
  if (body.identity?.contact !== undefined) {
    const sealed = sealedContact(body.identity.contact || null);
    set['identity.contact'] = sealed.contact;
    set['identity.contactTail'] = sealed.contactTail;
  }
  if (body.careMode !== undefined) set.careMode = body.careMode;
  if (body.hideFromRankings !== undefined) {
    set.hideFromRankings = body.hideFromRankings;
    const user = await findUser(userId);
    // The county's opt-out list is what the boards read (one key read); the flag on the member is the truth. A member
    // no longer 正常 (停止党籍/出党/去世) stays off the boards whatever they choose.
    const inactive = (user?.status ?? 'active') !== 'active';
    if (user?.orgPath[0]) await setHidden(user.orgPath[0], userId, body.hideFromRankings || inactive);
  }
  if (Object.keys(set).length > 0) await UserModel.updateOne({ _id: userId }, { $set: set });
  // Name and 亮身份 are on the member's 承诺墙 cards, rendered when they change.
  if (body.name !== undefined || body.identity) await refreshMemberCards(userId);
  return meView(userId);
}

export async function placeInBranch(userId: string, branchId: string): Promise<void> {
  const branch = await requireOrg(branchId);
  if (branch.type !== 'branch') throw invalid('党员只能加入支部');
  const user = await findUser(userId);
  if (!user) throw notFound('党员');
  const orgPath = [...branch.path, branch._id];
  await UserModel.updateOne({ _id: userId }, { $set: { orgId: branch._id, orgPath } });
  await refreshMemberCards(userId); // the branch on their 承诺墙 cards
  // A cadre owes 应出勤 where their branch is: their entry moves with them.
  if (postingOf(user)) await syncCadre(userId, { path: user.orgPath, posting: postingOf(user) });
  if (user.hideFromRankings && orgPath[0] && orgPath[0] !== user.orgPath[0]) {
    if (user.orgPath[0]) await setHidden(user.orgPath[0], userId, false);
    await setHidden(orgPath[0], userId, true);
  }
  // Members no longer 正常 (停止党籍/出党/去世) are not in any org's memberCount.
  if ((user.status ?? 'active') !== 'active') return;
  if (user.orgPath.length > 0) await countMembers(user.orgPath, -1);
  await countMembers(orgPath, 1);
}

export const powersOf = (u: UserDoc): Powers => ({
  roles: u.roles,
  orgId: u.orgId ?? null,
  adminOrgId: u.adminOrgId ?? null,
  postedVillageId: u.postedVillageId ?? null,
});

/**
 * Writes roles and scopes as decided (never left over from the branch a member came from). A posting that changes
 * dates itself: a new village from today, none any more until today (the calendar owes nothing outside them).
 */
export async function setPowers(userId: string, after: Powers, now = new Date()): Promise<void> {
  const before = await UserModel.findOneAndUpdate(
    { _id: userId },
    { $set: { roles: after.roles, adminOrgId: after.adminOrgId, postedVillageId: after.postedVillageId } },
    { returnDocument: 'before' },
  ).lean<UserDoc>();
  if (!before) return;
  if ((before.postedVillageId ?? null) !== after.postedVillageId) {
    const today = dayKey(now);
    const dates = after.postedVillageId ? { postedSince: today, postedUntil: null } : { postedUntil: today };
    await UserModel.updateOne({ _id: userId }, { $set: dates });
  }
  // Made or unmade a cadre, posted or not: who owes 应出勤 in their subtree follows.
  if (postingOf(before) || after.roles.includes('cadre'))
    await syncCadre(userId, { path: before.orgPath, posting: postingOf(before) });
}

/** Joins the branch of an invite code. Entering a code again for the same branch is refused, not counted twice. */
export async function joinByInvite(userId: string, code: string): Promise<Me> {
  const user = await findUser(userId);
  if (!user) throw notFound('党员');
  const orgId = await takeInviteUse(code);
  if (user.orgId === orgId) {
    await releaseInviteUse(code);
    throw new AppError('ALREADY_MEMBER');
  }
  // The branch-bound roles (secretary, cadre and the posted village) stay with the branch left behind.
  const after = powersAfter(powersOf(user), { orgId });
  await placeInBranch(userId, orgId);
  await setPowers(userId, after);
  await recordAudit({
    actorId: userId,
    action: 'member.join',
    targetType: 'user',
    targetId: userId,
    details: { orgId, from: user.orgId ?? null, dropped: after.dropped },
  });
  return meView(userId);
}

export function memberView(user: UserDoc, orgs: Map<string, { _id: string; name: string; type: string }>): Member {
  const org = user.orgId ? orgs.get(user.orgId) : undefined;
  return {
    id: user._id,
    name: user.name,
    avatarUrl: ownUploadUrl(user.avatarUrl) ?? '',
    roles: user.roles as Role[],
    org: org ? orgSummary(org as Parameters<typeof orgSummary>[0]) : null,
    postedVillageId: user.postedVillageId ?? null,
    adminOrgId: user.adminOrgId ?? null,
    contact: maskPhone(unseal(user.identity?.contact)),
  };
}

/**
 * Members of an org's subtree for secretaries (own branch) and admins (own subtree). A deliberate scan on FerretDB:
 * an admin list, not a member's hot path. Cursor = last id seen.
 */
export async function listMembers(actor: SessionUser, orgId: string, page: PageQuery): Promise<MemberPage> {
  const org = await requireOrg(orgId);
  authorize(actor, 'member.list', org);
  const filter: Record<string, unknown> = { orgPath: org._id };
  if (page.cursor) filter._id = { $gt: page.cursor };
  const users = await UserModel.find(filter)
    .sort({ _id: 1 })
    .limit(page.limit + 1)
    .lean<UserDoc[]>();
  const shown = users.slice(0, page.limit);
  const orgIds = [...new Set(shown.map((u) => u.orgId).filter((id): id is string => !!id))];
  const orgs = new Map((await Promise.all(orgIds.map(findOrg))).filter((o) => o !== null).map((o) => [o._id, o]));
  return {
    items: shown.map((u) => memberView(u, orgs)),
    nextCursor: users.length > page.limit ? shown[shown.length - 1]!._id : null,
  };
}

async function memberWithOrg(id: string): Promise<Member> {
  const user = await findUser(id);
  if (!user) throw notFound('党员');
  const org = user.orgId ? await findOrg(user.orgId) : null;
  return memberView(user, new Map(org ? [[org._id, org]] : []));
}

/** An org a change names, of the type it must be. */
async function requireOrgOf(id: string, types: string[], message: string) {
  const org = await requireOrg(id);
  if (!types.includes(org.type)) throw invalid(message);
  return org;
}

const placedOrgs = async (ids: string[]) =>
  (await Promise.all(ids.map(findOrg))).filter((o) => o !== null).map((o) => ({ _id: o._id, path: o.path }));

/**
 * Admins set roles, branch, posted village and admin scope. The actor must cover every power the member holds and
 * every power granted (policy 'member.setRoles'); a move re-decides the branch-bound roles; removing a role removes
 * its scope. Everything is checked before anything is written; every change is audited.
 */
export async function patchMember(actor: SessionUser, userId: string, body: PatchMemberBody): Promise<Member> {
  const target = await findUser(userId);
  if (!target) throw notFound('党员');
  authorize(actor, 'member.manage', target);
  const before = powersOf(target);
  if (body.orgId !== undefined) await requireOrgOf(body.orgId, ['branch'], '党员只能加入支部');
  if (body.postedVillageId)
    await requireOrgOf(body.postedVillageId, ['village', 'community'], '驻村单位必须是村或社区');
  if (body.adminOrgId) await requireOrg(body.adminOrgId);
  const after = powersAfter(before, body);
  assertScopesNamed(after);
  authorize(actor, 'member.setRoles', {
    before: await placedOrgs(powerOrgIds(before)),
    after: await placedOrgs(powerOrgIds(after)),
  });
  if (after.orgId && after.orgId !== before.orgId) await placeInBranch(userId, after.orgId);
  await setPowers(userId, after);
  await recordAudit({
    actorId: actor.id,
    action: 'member.update',
    targetType: 'user',
    targetId: userId,
    details: { ...body, dropped: after.dropped },
  });
  if (body.category) await UserModel.updateOne({ _id: userId }, { $set: { category: body.category } });
  return memberWithOrg(userId);
}

/** Admins (subtree) and secretaries (own branch) add members directly, e.g. older members without WeChat. */
export async function createMember(actor: SessionUser, body: CreateMemberBody): Promise<Member> {
  const branch = await requireOrg(body.orgId);
  authorize(actor, 'member.create', branch);
  // Roles beyond member are powers inside the new branch: only an admin over it grants them (never admin itself,
  // which needs a scope: PATCH /members/:id with roles and adminOrgId together).
  if (grantsBeyondMember(body.roles))
    authorize(actor, 'member.setRoles', { before: [], after: [branch] }, '只有本辖区管理员可以设置角色');
  assertScopesNamed({ roles: body.roles, orgId: branch._id, adminOrgId: null, postedVillageId: null });
  const id = newId();
  await UserModel.create({ _id: id, name: body.name, roles: [...new Set<Role>(['member', ...body.roles])] });
  if (body.openid) {
    try {
      await LoginModel.create({ _id: loginKey(body.openid), userId: id });
    } catch (err) {
      await UserModel.deleteOne({ _id: id });
      if (isDuplicateKey(err)) throw new AppError('CONFLICT', '该微信已绑定其他账号');
      throw err;
    }
  }
  await placeInBranch(id, branch._id);
  await recordAudit({
    actorId: actor.id,
    action: 'member.create',
    targetType: 'user',
    targetId: id,
    details: { ...body },
  });
  return memberWithOrg(id);
}
