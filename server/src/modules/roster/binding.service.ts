import type { AuthResponse, BindRequest, RosterClaimReply, RosterMatch } from '@pioneer/shared';
import { maskPhone } from '@pioneer/shared';
import { isDuplicateKey } from '../../db/connect';
import { AppError, notFound } from '../../http/errors';
import type { TokenIssuer } from '../../http/auth';
import type { SessionUser } from '../../http/types';
import { authorize } from '../../policy';
import { recordAudit } from '../audit/audit.service';
import { OrgModel, type OrgDoc } from '../orgs/orgs.model';
import { orgChain, requireOrg } from '../orgs/orgs.service';
import { LoginModel, UserModel } from '../users/users.model';
import { findUser, meView } from '../users/users.service';
import { seal, unseal } from '../privacy/field-crypto';
import { RosterKeyModel, RosterLockModel, RosterRowModel, rosterKey, type RosterRowDoc } from './roster.model';

/** A phone WeChat vouched for is usable for 10 minutes (one "this is me" tap). */
const VERIFIED_MS = 10 * 60 * 1000;

/** The roster row of a phone in any county: a key read per county (a few; the county list is a scan of the small orgs collection). */
async function rosterRowOf(phone: string): Promise<RosterRowDoc | null> {
  const counties = await OrgModel.find({ type: 'county' }, { _id: 1 }).lean<OrgDoc[]>();
  for (const county of counties) {
    const row = await RosterRowModel.findById(rosterKey(county._id, phone)).lean<RosterRowDoc>();
    if (row) return row;
  }
  return null;
}

const branchLabel = async (branchId: string) =>
  (await orgChain([...(await requireOrg(branchId)).path.slice(1), branchId])).map((o) => o.name).join(' / ');

/** A person binds only while they are in no branch and hold no power (an admin's account is not a roster row). */
async function unplacedStranger(userId: string) {
  const user = await findUser(userId);
  if (!user) throw notFound('账号');
  if (user.orgId || user.roles.some((r) => r !== 'member')) throw new AppError('ALREADY_IN_BRANCH');
  return user;
}

export async function assertUnplaced(userId: string): Promise<void> {
  await unplacedStranger(userId);
}

/** weapp: the `getPhoneNumber` code, exchanged with WeChat; the match is shown for "this is me". */
export async function matchByWechatPhone(userId: string, phone: string, now = new Date()): Promise<RosterMatch> {
  await unplacedStranger(userId);
  await RosterKeyModel.updateOne(
    { _id: `phone|${userId}` },
    { $set: { data: { phone: seal(phone), at: now.getTime() } } },
    { upsert: true },
  );
  const row = await rosterRowOf(phone);
  return {
    phone: maskPhone(phone)!,
    match: row && !row.boundAt ? { name: row.name, branch: await branchLabel(row.branchId) } : null,
  };
}

/**
 * Binds a signed-in stranger to a roster row: the row's member gets the stranger's WeChat login, the empty stranger
 * account goes. Two locks by insert: one person per row (`row|`), one row per person (`person|`).
 */
async function bind(strangerId: string, row: RosterRowDoc, actorId: string): Promise<void> {
  await unplacedStranger(strangerId);
  try {
    await RosterLockModel.create({ _id: `row|${row._id}`, by: strangerId });
  } catch (err) {
    if (isDuplicateKey(err)) throw new AppError('ROSTER_ALREADY_BOUND');
    throw err;
  }
  try {
    await RosterLockModel.create({ _id: `person|${strangerId}`, by: row._id });
  } catch (err) {
    await RosterLockModel.deleteOne({ _id: `row|${row._id}` });
    if (isDuplicateKey(err)) throw new AppError('ALREADY_IN_BRANCH');
    throw err;
  }
  // Once per member in their life, so a scan of the logins is acceptable here (no key from user to login).
  const logins = await LoginModel.find({ userId: strangerId }).lean();
  await Promise.all(logins.map((l) => LoginModel.updateOne({ _id: l._id }, { $set: { userId: row.userId } })));
  await RosterRowModel.updateOne({ _id: row._id }, { $set: { boundAt: new Date() } });
  await UserModel.deleteOne({ _id: strangerId });
  // The member takes the row's 人员类别 (a row imported before the category lived on the user has it only there).
  await UserModel.updateOne({ _id: row.userId }, { $set: { category: row.category } });
  await recordAudit({
    actorId,
    action: 'roster.bind',
    targetType: 'user',
    targetId: row.userId,
    details: { phone: maskPhone(unseal(row.phone)), logins: logins.length },
  });
}

export async function bindByWechatPhone(tokens: TokenIssuer, userId: string, now = new Date()): Promise<AuthResponse> {
  const verified = await RosterKeyModel.findById(`phone|${userId}`).lean<{ data: { phone?: string; at?: number } }>();
  const phone = unseal(verified?.data.phone);
  if (!phone || now.getTime() - (verified?.data.at ?? 0) > VERIFIED_MS)
    throw new AppError('VALIDATION_FAILED', '请先点击“微信手机号”验证手机号');
  const row = await rosterRowOf(phone);
  if (!row) throw new AppError('ROSTER_NOT_FOUND');
  await bind(userId, row, userId);
  await RosterKeyModel.deleteOne({ _id: `phone|${userId}` });
  return { token: tokens.sign(row.userId), user: await meView(row.userId) };
}

export const queueKey = (branchId: string) => `bindq|${branchId}`;

/**
 * H5: no SMS here, so a typed phone proves nothing; with the name as the roster has it, it becomes a request the
 * branch secretary (who knows their members) confirms. A wrong phone or name gets the same answer.
 */
export async function claimByTypedPhone(
  userId: string,
  phone: string,
  name: string,
  now = new Date(),
): Promise<RosterClaimReply> {
  const user = await unplacedStranger(userId);
  const row = await rosterRowOf(phone);
  if (!row || row.name !== name || row.boundAt)
    throw new AppError('ROSTER_NOT_FOUND', '名册中没有找到这个手机号和姓名，请核对，或用邀请码加入');
  const request = { name, phone: seal(phone), rosterId: row._id, wechatName: user.name, at: now.toISOString() };
  await RosterKeyModel.updateOne(
    { _id: queueKey(row.branchId) },
    { $set: { [`data.${userId}`]: request } },
    { upsert: true },
  );
  return { status: 'pending', branch: await branchLabel(row.branchId) };
}

type Queue = Record<string, { name: string; phone: string; rosterId: string; at: string }>;
const readQueue = async (branchId: string): Promise<Queue> =>
  (await RosterKeyModel.findById(queueKey(branchId)).lean<{ data: Queue }>())?.data ?? {};

export async function listBindRequests(actor: SessionUser, branchId: string): Promise<BindRequest[]> {
  authorize(actor, 'roster.confirmBind', await requireOrg(branchId));
  const queue = await readQueue(branchId);
  return Object.entries(queue)
    .map(([id, r]) => ({ id, name: r.name, phone: maskPhone(unseal(r.phone)), branchId, requestedAt: r.at }))
    .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
}

/** The secretary confirms (binds) or refuses a request; either way it leaves the queue. */
export async function decideBindRequest(
  actor: SessionUser,
  branchId: string,
  requestId: string,
  accept: boolean,
): Promise<BindRequest[]> {
  authorize(actor, 'roster.confirmBind', await requireOrg(branchId));
  const request = (await readQueue(branchId))[requestId];
  if (!request) throw notFound('绑定申请');
  if (accept) {
    const row = await RosterRowModel.findById(request.rosterId).lean<RosterRowDoc>();
    if (!row || row.branchId !== branchId) throw new AppError('CONFLICT', '名册已变更，该申请已失效');
    try {
      await bind(requestId, row, actor.id);
    } finally {
      await RosterKeyModel.updateOne({ _id: queueKey(branchId) }, { $unset: { [`data.${requestId}`]: '' } });
    }
  } else {
    await RosterKeyModel.updateOne({ _id: queueKey(branchId) }, { $unset: { [`data.${requestId}`]: '' } });
    await recordAudit({
      actorId: actor.id,
      action: 'roster.bindRefused',
      targetType: 'user',
      targetId: requestId,
      details: { rosterId: request.rosterId },
    });
  }
  return listBindRequests(actor, branchId);
}
