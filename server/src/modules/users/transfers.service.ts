import type { DecideTransferBody, StartTransferBody, Transfer, TransferList } from '@pioneer/shared';
import { isDuplicateKey } from '../../db/connect';
import { newId } from '../../db/ids';
import { AppError, invalid, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { authorize, can, defaultCountyStart, isWithin, powersAfter } from '../../policy';
import { recordAudit } from '../audit/audit.service';
import { countyBranches } from '../orgs/org-tree.service';
import { findOrg, requireOrg } from '../orgs/orgs.service';
import { UserModel } from './users.model';
import { PendingTransferModel, TransferModel, type TransferDoc } from './transfers.model';
import { findUser, placeInBranch, powersOf, setPowers } from './users.service';

/** Pending transfers a page lists at most (a county has a handful at a time). */
const PENDING_SHOWN = 500;

export function transferView(t: TransferDoc): Transfer {
  return {
    id: t._id,
    userId: t.userId,
    userName: t.userName,
    from: { id: t.fromOrgId, name: t.fromName },
    to: { id: t.toOrgId, name: t.toName },
    state: t.state as Transfer['state'],
    reason: t.reason,
    comment: t.comment,
    startedBy: t.startedBy,
    startedAt: t.startedAt.toISOString(),
    decidedBy: t.decidedBy ?? null,
    decidedAt: t.decidedAt ? t.decidedAt.toISOString() : null,
  };
}

const toBranch = (t: TransferDoc) => ({ _id: t.toOrgId, path: t.toPath });
const fromBranch = (t: TransferDoc) => ({ _id: t.fromOrgId, path: t.fromPath });

/** Takes the member's pending slot (one document by the member's key); a slot whose transfer never got written is freed. */
async function takePendingSlot(userId: string, transferId: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await PendingTransferModel.create({ _id: userId, transferId });
      return;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const held = await PendingTransferModel.findById(userId).lean();
      const t = held ? await TransferModel.findById(held.transferId).lean() : null;
      if (t) throw new AppError('TRANSFER_PENDING', `${t.userName}已有转往${t.toName}的转接待接收，请先处理`);
      // A crash between the slot and the transfer left the slot alone: free it and try once more.
      if (held) await PendingTransferModel.deleteOne({ _id: userId, transferId: held.transferId });
    }
  }
  throw new AppError('TRANSFER_PENDING');
}

/**
 * 组织关系转接, started by the member's secretary or an admin over the member, to another branch of the same county.
 * The member stays where they are until the receiving branch's secretary (or an admin over it) accepts.
 */
export async function startTransfer(actor: SessionUser, body: StartTransferBody, now = new Date()): Promise<Transfer> {
  const member = await findUser(body.userId);
  if (!member) throw notFound('党员');
  authorize(actor, 'transfer.start', { _id: member._id, orgId: member.orgId, orgPath: member.orgPath });
  if ((member.status ?? 'active') !== 'active') throw invalid('只能转接党籍状态正常的党员');
  const [from, to] = await Promise.all([member.orgId ? findOrg(member.orgId) : null, requireOrg(body.toOrgId)]);
  if (!from) throw invalid('该党员尚未加入支部，请用邀请码加入');
  if (to.type !== 'branch') throw invalid('只能转入支部');
  if (to._id === from._id) throw invalid(`${member.name}已在${to.name}`);
  if ((to.path[0] ?? to._id) !== (from.path[0] ?? from._id)) throw invalid('只能在本县内转接组织关系');
  const id = newId();
  await takePendingSlot(member._id, id);
  const doc = await TransferModel.create({
    _id: id,
    userId: member._id,
    userName: member.name,
    fromOrgId: from._id,
    fromName: from.name,
    fromPath: from.path,
    toOrgId: to._id,
    toName: to.name,
    toPath: to.path,
    reason: body.reason,
    startedBy: actor.id,
    startedAt: now,
  });
  await UserModel.updateOne({ _id: member._id }, { $push: { transferIds: id } });
  await recordAudit({
    actorId: actor.id,
    action: 'transfer.start',
    targetType: 'user',
    targetId: member._id,
    details: { fromOrgId: from._id, toOrgId: to._id, reason: body.reason },
  });
  return transferView(doc.toObject() as TransferDoc);
}

/**
 * The accepted move itself: the member into the receiving branch, their branch-bound roles (secretary, cadre) left
 * behind (policy powersAfter), then the pending slot freed. Safe to run again after a crash: a member already in
 * the branch is not moved twice.
 */
async function applyAccepted(t: TransferDoc): Promise<string[]> {
  const member = await findUser(t.userId);
  if (!member) throw notFound('党员');
  let dropped: string[] = [];
  if (member.orgId !== t.toOrgId) {
    const after = powersAfter(powersOf(member), { orgId: t.toOrgId });
    dropped = after.dropped;
    await placeInBranch(member._id, t.toOrgId);
    await setPowers(member._id, after);
  }
  await PendingTransferModel.deleteOne({ _id: t.userId, transferId: t._id });
  return dropped;
}

/** Accept or reject (the receiving side). The first decision wins (one conditional update by `_id`). */
export async function decideTransfer(
  actor: SessionUser,
  id: string,
  accept: boolean,
  body: DecideTransferBody,
  now = new Date(),
): Promise<Transfer> {
  const t = await TransferModel.findById(id).lean<TransferDoc>();
  if (!t) throw notFound('转接');
  authorize(actor, 'transfer.decide', toBranch(t));
  const state = accept ? 'accepted' : 'rejected';
  const won = await TransferModel.findOneAndUpdate(
    { _id: id, state: 'pending' },
    { $set: { state, decidedBy: actor.id, decidedAt: now, comment: body.comment } },
    { returnDocument: 'after' },
  ).lean<TransferDoc>();
  if (!won) {
    const current = (await TransferModel.findById(id).lean<TransferDoc>())!;
    // An accept sent again (a retry after a crash or a lost reply) finishes the move; anything else is too late.
    if (accept && current.state === 'accepted') {
      await applyAccepted(current);
      return transferView(current);
    }
    throw new AppError(
      'ILLEGAL_TRANSITION',
      `该转接已${current.state === 'accepted' ? '接收' : '处理'}，不能再${accept ? '接收' : '退回'}`,
    );
  }
  const dropped = accept ? await applyAccepted(won) : [];
  if (!accept) await PendingTransferModel.deleteOne({ _id: t.userId, transferId: t._id });
  await recordAudit({
    actorId: actor.id,
    action: accept ? 'transfer.accept' : 'transfer.reject',
    targetType: 'user',
    targetId: t.userId,
    details: { fromOrgId: t.fromOrgId, toOrgId: t.toOrgId, comment: body.comment, dropped },
  });
  return transferView(won);
}

const STATE_WORDS: Record<string, string> = { accepted: '已被接收', rejected: '已被退回', cancelled: '已撤回' };

/**
 * Withdraw (撤回) a pending transfer: the sending side only. One conditional update by `_id`, so a withdraw racing an
 * accept gives one of them; a second withdraw, or one after the decision, is refused.
 */
export async function withdrawTransfer(actor: SessionUser, id: string, now = new Date()): Promise<Transfer> {
  const t = await TransferModel.findById(id).lean<TransferDoc>();
  if (!t) throw notFound('转接');
  authorize(actor, 'transfer.withdraw', fromBranch(t));
  const won = await TransferModel.findOneAndUpdate(
    { _id: id, state: 'pending' },
    { $set: { state: 'cancelled', decidedBy: actor.id, decidedAt: now } },
    { returnDocument: 'after' },
  ).lean<TransferDoc>();
  if (!won) {
    const current = (await TransferModel.findById(id).lean<TransferDoc>())!;
    throw new AppError('ILLEGAL_TRANSITION', `该转接${STATE_WORDS[current.state] ?? '已处理'}，不能撤回`);
  }
  await PendingTransferModel.deleteOne({ _id: t.userId, transferId: t._id });
  await recordAudit({
    actorId: actor.id,
    action: 'transfer.cancel',
    targetType: 'user',
    targetId: t.userId,
    details: { fromOrgId: t.fromOrgId, toOrgId: t.toOrgId },
  });
  return transferView(won);
}

/**
 * Pending transfers around an org its secretary or admin runs: arriving (to accept or reject) and leaving. Reads the
 * small collection of pending slots (a scan, but only of transfers not yet decided) and each transfer by key.
 */
export async function listTransfers(actor: SessionUser, orgId: string): Promise<TransferList> {
  const org = await requireOrg(orgId);
  authorize(actor, 'org.run', org);
  const slots = await PendingTransferModel.find({}).limit(PENDING_SHOWN).lean();
  const docs = (await Promise.all(slots.map((s) => TransferModel.findById(s.transferId).lean<TransferDoc>()))).filter(
    (t): t is TransferDoc => !!t && t.state === 'pending',
  );
  const incoming = docs.filter((t) => isWithin(toBranch(t), org._id) && can(actor, 'transfer.decide', toBranch(t)));
  const outgoing = docs.filter((t) => isWithin(fromBranch(t), org._id));
  return { incoming: incoming.map(transferView), outgoing: outgoing.map(transferView) };
}

/** A member's transfers, newest first (the history kept on the member): their secretary or an admin over them. */
export async function memberTransfers(actor: SessionUser, userId: string): Promise<{ items: Transfer[] }> {
  const member = await findUser(userId);
  if (!member) throw notFound('党员');
  authorize(actor, 'member.manage', member);
  const ids = [...(member.transferIds ?? [])].reverse().slice(0, 50);
  const docs = await Promise.all(ids.map((id) => TransferModel.findById(id).lean<TransferDoc>()));
  return { items: docs.filter((t): t is TransferDoc => !!t).map(transferView) };
}

/** Where a transfer may go: the branches of the actor's county (names and their parent), for the picker. */
export async function transferTargets(
  actor: SessionUser,
): Promise<{ items: Array<{ id: string; name: string; parentName: string }> }> {
  const county = defaultCountyStart(actor);
  if (!county) return { items: [] };
  return { items: (await countyBranches(county)).map(({ id, name, parentName }) => ({ id, name, parentName })) };
}
