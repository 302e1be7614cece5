import { createHash } from 'node:crypto';
import { POST_LIMITS, type ProxyRecordBodyParsed, type ServiceRecord } from '@pioneer/shared';
import { isDuplicateKey } from '../../db/connect';
import { newId } from '../../db/ids';
import { AppError, forbidden, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { recordAudit } from '../audit/audit.service';
import { authorize } from '../../policy';
import { readOnce } from '../../db/engine-commands';
import { UserModel, type UserDoc } from '../users/users.model';
import { ClaimModel, RecordModel, type RecordDoc } from './posts.model';
import { claimIdOf, placedPost } from './posts.service';
import { applyDecision, recordView } from './records.service';
import { assertServedOn } from './served-on';

const userOnce = (id: string) => readOnce('users', id, () => UserModel.findById(id).lean<UserDoc>());

/** The Idempotency-Key makes the id, so a resent form records once; without one every call is a new record. */
function proxyIdFor(actorId: string, idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return newId();
  return createHash('sha256').update(`proxy|${actorId}|${idempotencyKey}`).digest('hex').slice(0, 24);
}

/**
 * 代为登记: a secretary records service at a post for a member of their branch without a smartphone (an admin:
 * anyone in their subtree). The record carries who recorded it and why, is confirmed by that secretary at once
 * (they are the one who would confirm it), pays 2 points an hour once under the daily cap of the day served, and
 * is audited. The member needs no claim on the post (they could not have made one); where they hold one, the
 * record is listed on it and its hours count there too.
 */
export async function recordForMember(
  actor: SessionUser,
  body: ProxyRecordBodyParsed,
  idempotencyKey?: string,
  now = new Date(),
): Promise<ServiceRecord> {
  // Read once per request: the audit line reads the same member (its subject) and the recorder (its actor).
  const member = await userOnce(body.userId);
  if (!member) throw notFound('党员');
  authorize(actor, 'post.proxyRecord', member);
  // The post's placement and title as a shared view (its org never changes; claims read it the same way).
  const post = await placedPost(body.postId);
  if (!(member.orgPath ?? []).includes(post.orgId)) throw forbidden('该岗位不在这名党员所在组织的范围内');
  const servedAt = assertServedOn(body.servedOn, now, POST_LIMITS.proxyDaysBack);
  const recorder = await userOnce(actor.id);

  const id = proxyIdFor(actor.id, idempotencyKey);
  const claimId = claimIdOf(post._id, member._id);
  // Confirmed by whoever recorded it: stored with its decision, so a stop before it is applied leaves what
  // reconcilePosts finishes (a pending record with its decision), and no second write adds it.
  const decision = {
    decision: 'confirm',
    by: actor.id,
    byName: recorder?.name ?? '',
    comment: `代为登记：${body.reason}`,
    at: now,
  };
  // Listed on the member's claim where there is one (no upsert: no seat is taken for them).
  await ClaimModel.updateOne({ _id: claimId }, { $addToSet: { records: id } });
  let created: RecordDoc | null = null;
  try {
    const doc = await RecordModel.create({
      _id: id,
      claimId,
      postId: post._id,
      postTitle: post.title,
      orgId: post.orgId,
      orgPath: post.orgPath,
      userId: member._id,
      userName: member.name,
      memberOrgId: member.orgId ?? null,
      memberOrgPath: member.orgPath ?? [],
      hours: body.hours,
      resolved: body.resolved,
      note: body.note,
      photoUrls: [],
      recordedBy: actor.id,
      recordedByName: recorder?.name ?? '',
      recordReason: body.reason,
      servedAt,
      decisions: [decision],
    });
    created = doc.toObject() as RecordDoc;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  // A resent form reads what the first one stored; a new record is what was just written (not read back).
  let record = created ?? (await RecordModel.findById(id).lean<RecordDoc>())!;
  if (record.recordedBy !== actor.id || record.userId !== member._id)
    throw new AppError('CONFLICT', '同一请求的内容不一致，请刷新后重试');
  if (created) {
    await recordAudit({
      actorId: actor.id,
      action: 'post.record.proxy',
      targetType: 'post_record',
      targetId: id,
      details: {
        userId: member._id,
        postId: post._id,
        hours: body.hours,
        servedOn: body.servedOn,
        reason: body.reason,
      },
    });
  }
  // Stored before its decision came with it (an earlier version): the decision is added now.
  if (record.decisions.length === 0) {
    record = (await RecordModel.findOneAndUpdate(
      { _id: id },
      { $push: { decisions: decision } },
      { returnDocument: 'after' },
    ).lean<RecordDoc>())!;
  }
  return recordView(await applyDecision(record, record.decisions[0]!));
}
