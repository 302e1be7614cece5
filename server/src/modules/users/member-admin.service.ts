import type { MemberQuery, MemberRow, MemberRowPage, MemberStatus, Role, SetMemberStatusBody } from '@pioneer/shared';
import { AppError, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { authorize, grantsBeyondMember, powerOrgIds } from '../../policy';
import { recordAudit } from '../audit/audit.service';
import { ACTIVE_MEMBER } from '../orgs/org-tree.service';
import { countMembers, findOrg, requireOrg } from '../orgs/orgs.service';
import { setHidden } from '../settings/settings.service';
import { PendingTransferModel, TransferModel } from './transfers.model';
import { normalisePhone, unseal } from '../privacy/field-crypto';
import { UserModel, type UserDoc } from './users.model';
import { findUser, memberView, powersOf } from './users.service';

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The filter of a 党员管理 search: digits are a phone tail (3+), anything else part of the name. Phones are sealed
 * (issue 24): the filter reads the stored last four digits; a longer tail is then checked on the opened number.
 */
function searchFilter(orgId: string, q: MemberQuery): Record<string, unknown> {
  const filter: Record<string, unknown> = {
    orgPath: orgId,
    ...(q.status === 'active' ? ACTIVE_MEMBER : { status: q.status }),
  };
  if (q.role) filter.roles = q.role;
  if (q.category) filter.category = q.category;
  if (q.cursor) filter._id = { $gt: q.cursor };
  if (q.q && /^\d{3,11}$/.test(q.q)) {
    filter['identity.contactTail'] = q.q.length <= 4 ? { $regex: `${q.q}$` } : q.q.slice(-4);
  } else if (q.q) {
    filter.name = { $regex: escapeRegex(q.q) };
  }
  return filter;
}

async function pendingTo(userId: string): Promise<string | null> {
  const slot = await PendingTransferModel.findById(userId).lean();
  const t = slot ? await TransferModel.findById(slot.transferId).lean() : null;
  return t && t.state === 'pending' ? t.toName : null;
}

async function rowsOf(users: UserDoc[]): Promise<MemberRow[]> {
  const orgIds = [...new Set(users.map((u) => u.orgId).filter((id): id is string => !!id))];
  const orgs = new Map((await Promise.all(orgIds.map(findOrg))).filter((o) => o !== null).map((o) => [o._id, o]));
  return Promise.all(
    users.map(async (u) => ({
      ...memberView(u, orgs),
      status: (u.status ?? 'active') as MemberStatus,
      category: u.category || null,
      pendingTransferTo: await pendingTo(u._id),
    })),
  );
}

/**
 * 党员管理: members of an org (the path's org, or `org` inside it) for its secretary or an admin over it, searched
 * and filtered, 正常 members unless a status is asked for. A deliberate scan (an admin page); paged by id.
 */
export async function searchMembers(actor: SessionUser, orgId: string, q: MemberQuery): Promise<MemberRowPage> {
  const org = await requireOrg(q.org ?? orgId);
  authorize(actor, 'member.list', org);
  const users = await UserModel.find(searchFilter(org._id, q))
    .sort({ _id: 1 })
    .limit(q.limit + 1)
    .lean<UserDoc[]>();
  const page = users.slice(0, q.limit);
  // A tail longer than the stored four digits: the page's candidates are opened and checked (a page may come out short).
  const longTail = q.q && /^\d{5,11}$/.test(q.q) ? q.q : null;
  const shown = longTail
    ? page.filter((u) => normalisePhone(unseal(u.identity?.contact) ?? '').endsWith(longTail))
    : page;
  return { items: await rowsOf(shown), nextCursor: users.length > q.limit ? page[page.length - 1]!._id : null };
}

const placedOrgs = async (ids: string[]) =>
  (await Promise.all(ids.map(findOrg))).filter((o) => o !== null).map((o) => ({ _id: o._id, path: o.path }));

/**
 * 停止党籍 / 出党 / 去世 (and back to 正常): kept for history (ledger, audit, transfers), off lists, boards (the
 * county's hidden set, the one mechanism boards already use) and member counts. Leaving 正常 takes every role
 * beyond member, so that part needs an admin over all of the member's powers (a secretary marks plain members).
 */
export async function setMemberStatus(
  actor: SessionUser,
  userId: string,
  body: SetMemberStatusBody,
): Promise<MemberRow> {
  const target = await findUser(userId);
  if (!target) throw notFound('党员');
  authorize(actor, 'member.setStatus', { _id: target._id, orgId: target.orgId, orgPath: target.orgPath });
  const from = (target.status ?? 'active') as MemberStatus;
  if (from === body.status) return (await rowsOf([target]))[0]!;
  if (await PendingTransferModel.findById(userId).lean())
    throw new AppError('TRANSFER_PENDING', '该党员有待接收的组织关系转接，请先处理后再变更党籍状态');
  const leaving = from === 'active';
  const returning = body.status === 'active';
  const set: Record<string, unknown> = { status: body.status };
  let dropped: Role[] = [];
  if (leaving && grantsBeyondMember(target.roles)) {
    authorize(
      actor,
      'member.setRoles',
      { before: await placedOrgs(powerOrgIds(powersOf(target))), after: [] },
      '该党员担任职务，只有管理其全部职务的管理员可以变更其党籍状态',
    );
    dropped = target.roles.filter((r) => r !== 'member') as Role[];
    Object.assign(set, { roles: ['member'], adminOrgId: null, postedVillageId: null });
  }
  await UserModel.updateOne({ _id: userId }, { $set: set });
  const county = target.orgPath[0];
  if (leaving && target.orgPath.length > 0) await countMembers(target.orgPath, -1);
  if (returning && target.orgPath.length > 0) await countMembers(target.orgPath, 1);
  if (county) await setHidden(county, userId, !returning || (target.hideFromRankings ?? false));
  await recordAudit({
    actorId: actor.id,
    action: 'member.status',
    targetType: 'user',
    targetId: userId,
    details: { status: body.status, from, reason: body.reason, dropped },
  });
  return (await rowsOf([(await findUser(userId))!]))[0]!;
}
