import { createHash } from 'node:crypto';
import { readOnce } from '../../db/engine-commands';
import {
  POST_LIMITS,
  dayKey,
  type CreateRecordBodyParsed,
  type RecordListQueryParsed,
  type RecordPage,
  type ServiceDecision,
  type ServiceRecord,
} from '@pioneer/shared';
import { isDuplicateKey } from '../../db/connect';
import { newId } from '../../db/ids';
import { AppError, forbidden, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { recordAudit } from '../audit/audit.service';
import { authorize, managedFilter } from '../../policy';
import { payKey } from '../points/keys';
import { awardPoints } from '../points/points.service';
import { bumpTodo, bumpTodoLater } from '../todo/todo.store';
import { groupedIncrements } from '../../db/grouped-marks';
import { UserModel } from '../users/users.model';
import { ClaimModel, PostModel, RecordModel, type ClaimDoc, type RecordDoc } from './posts.model';
import { findPage, placedPost } from './posts.service';
import { assertServedOn } from './served-on';

type Decision = RecordDoc['decisions'][number];

export function recordView(r: RecordDoc): ServiceRecord {
  const first = r.decisions[0];
  return {
    id: r._id,
    claimId: r.claimId,
    postId: r.postId,
    postTitle: r.postTitle,
    userId: r.userId,
    userName: r.userName,
    hours: r.hours,
    resolved: r.resolved,
    note: r.note,
    photoUrls: r.photoUrls,
    status: r.status as ServiceRecord['status'],
    createdAt: new Date(r.createdAt).toISOString(),
    servedOn: dayKey(r.servedAt ?? r.createdAt),
    review:
      first && r.status !== 'pending'
        ? {
            decision: first.decision as ServiceDecision,
            comment: first.comment ?? null,
            at: new Date(first.at).toISOString(),
            byName: first.byName,
          }
        : null,
    pointsAwarded: r.pointsAwarded ?? null,
    recordedBy: r.recordedBy
      ? { name: r.recordedByName ?? '', reason: r.recordReason ?? '', servedOn: dayKey(r.servedAt ?? r.createdAt) }
      : null,
  };
}

async function requireRecord(id: string): Promise<RecordDoc> {
  const record = await RecordModel.findById(id).lean<RecordDoc>();
  if (!record) throw notFound('服务记录');
  return record;
}

/** A client's Idempotency-Key becomes the record's id, so a retried or double-tapped submit logs once. */
function recordIdFor(userId: string, idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return newId();
  return createHash('sha256').update(`${userId}|${idempotencyKey}`).digest('hex').slice(0, 24);
}

/** 记录服务 on my active claim, for today or a day of the last week (POST_LIMITS.selfDaysBack). */
export async function logService(
  actor: SessionUser,
  claimId: string,
  body: CreateRecordBodyParsed,
  idempotencyKey?: string,
  now = new Date(),
): Promise<ServiceRecord> {
  const servedAt = body.servedOn ? assertServedOn(body.servedOn, now, POST_LIMITS.selfDaysBack) : null;
  const claim = await ClaimModel.findById(claimId).lean<ClaimDoc>();
  if (!claim || claim.userId !== actor.id) throw notFound('认领');
  if (claim.status !== 'active') throw new AppError('ILLEGAL_TRANSITION', '请先认领该岗位再记录服务');
  // The post's placement and title as a shared view (as the claim read them); the member once per request.
  const [post, user] = await Promise.all([
    placedPost(claim.postId),
    readOnce('users', actor.id, () => UserModel.findById(actor.id).lean()),
  ]);
  const id = recordIdFor(actor.id, idempotencyKey);
  // Listed on the claim first: a dangling id is skipped on read, a missing one would hide the record.
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
      userId: actor.id,
      userName: user?.name ?? '',
      memberOrgId: user?.orgId ?? null,
      memberOrgPath: user?.orgPath ?? [],
      hours: body.hours,
      resolved: body.resolved,
      note: body.note,
      photoUrls: body.photoUrls,
      servedAt,
    });
    created = doc.toObject() as RecordDoc;
    await bumpTodo('records', [post.orgId, user?.orgId], 1);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  // A resent submit reads the stored record; a new one is what was just written (not read back).
  const record = created ?? (await requireRecord(id));
  if (record.userId !== actor.id) throw new AppError('CONFLICT');
  return recordView(record);
}

/** The post's secretary (or an admin over it), or the member's own secretary; never the member themself. */
function assertCanReview(actor: SessionUser, r: RecordDoc): void {
  const post = { _id: r.orgId, path: r.orgPath.filter((id) => id !== r.orgId) };
  authorize(actor, 'record.review', {
    post,
    member: { _id: r.userId, orgId: r.memberOrgId, orgPath: r.memberOrgPath },
  });
}

/**
 * Carries out the first decision. Safe to run any number of times, by any caller, after any crash: the award is
 * keyed `record|<id>` (pays once; the daily cap of 8 is applied by awardPoints for the day the service was logged),
 * the status and what was paid are one write (issue 17: a command fewer), the same every time, and only the one
 * write that saw `pending` moves the review queue's counter and adds the hours to the post and claim totals (which
 * reconcilePosts can also rebuild from the records). A crash before that write leaves the record pending with its
 * decision, which the next review of it or reconcilePosts finishes.
 */
export async function applyDecision(r: RecordDoc, first: Decision): Promise<RecordDoc> {
  const status = first.decision === 'confirm' ? 'confirmed' : 'rejected';
  const set: { status: string; pointsAwarded?: number } = { status };
  if (status === 'confirmed') {
    const award = await awardPoints({
      userId: r.userId,
      reason: 'post_service',
      units: r.hours,
      refType: 'post_record',
      refId: r._id,
      idempotencyKey: payKey('post_service', r.userId, r._id),
      // The day served: the day it was logged, or the day a secretary's 代为登记 names.
      at: new Date(r.servedAt ?? r.createdAt),
      actorId: first.by,
    });
    set.pointsAwarded = award.awarded;
  }
  const before = await RecordModel.findOneAndUpdate(
    { _id: r._id },
    { $set: set },
    { returnDocument: 'before' },
  ).lean<RecordDoc>();
  if (before?.status === 'pending') leftPending(r, status === 'confirmed');
  // What was written, not read back (issue 17: a command fewer).
  return { ...(before ?? r), ...set } as RecordDoc;
}

/**
 * What a post's and a claim's totals gain from confirmed records, grouped off the request's path (issue 17): every
 * 10 ms one write for all the confirmations of the window. reconcilePosts recounts both from the records.
 */
const postTotals = groupedIncrements('post-totals', () => PostModel, false);
const claimTotals = groupedIncrements('claim-totals', () => ClaimModel, false);

/**
 * The one write that took a record out of `pending`: the queue's counter and, when confirmed, the totals, all
 * grouped off the request's path (issue 17: 3 commands fewer per confirm); the start-up repairs recount them.
 */
function leftPending(r: RecordDoc, confirmed: boolean): void {
  // A 代为登记 record never waited: counted neither way.
  if (!r.recordedBy) bumpTodoLater('records', [r.orgId, r.memberOrgId], -1);
  if (confirmed) addToTotals(r);
}

function addToTotals(r: Pick<RecordDoc, 'postId' | 'claimId' | 'hours' | 'resolved'>): void {
  postTotals.add(r.postId, { serviceHours: r.hours, resolved: r.resolved });
  claimTotals.add(r.claimId, { hours: r.hours, resolved: r.resolved });
}

/**
 * 确认 / 驳回. The decision is `$push`ed onto the record (one atomic write on `{ _id }`); the first one in the
 * array wins, so ten racing confirms pay once and a racing reject loses cleanly with ILLEGAL_TRANSITION.
 */
export async function decideRecord(
  actor: SessionUser,
  id: string,
  decision: ServiceDecision,
  comment?: string,
): Promise<ServiceRecord> {
  let record = await requireRecord(id);
  assertCanReview(actor, record);
  if (record.decisions.length === 0) {
    const reviewer = await readOnce('users', actor.id, () => UserModel.findById(actor.id).lean());
    const entry = { decision, by: actor.id, byName: reviewer?.name ?? '', comment: comment ?? null, at: new Date() };
    record = (await RecordModel.findOneAndUpdate(
      { _id: id },
      { $push: { decisions: entry } },
      { returnDocument: 'after' },
    ).lean<RecordDoc>())!;
    if (record.decisions[0]!.by === actor.id && record.decisions.length === 1) {
      await recordAudit({
        actorId: actor.id,
        action: `post.record.${decision}`,
        targetType: 'post_record',
        targetId: id,
        details: { userId: record.userId, hours: record.hours, comment: comment ?? null },
      });
    }
  }
  const first = record.decisions[0]!;
  const done = await applyDecision(record, first);
  if (first.decision !== decision)
    throw new AppError('ILLEGAL_TRANSITION', first.decision === 'confirm' ? '该记录已确认' : '该记录已驳回');
  return recordView(done);
}

/** Records awaiting (or past) review that the caller may review: scoped by post org and by member branch. */
export async function listRecords(actor: SessionUser, query: RecordListQueryParsed): Promise<RecordPage> {
  // Placed twice: by the post's org and by the member's branch (the member's own secretary reviews too).
  const scope = managedFilter<RecordDoc>(actor, [
    { org: 'orgId', path: 'orgPath' },
    { org: 'memberOrgId', path: 'memberOrgPath' },
  ]);
  if (!scope) throw forbidden('只有书记或管理员可以确认服务记录');
  // A scan on FerretDB (the secretary's review queue, opened a few times a day); one page leaves the database.
  const page = await findPage<RecordDoc>(
    () => RecordModel.find({ status: query.status, userId: { $ne: actor.id }, ...scope }),
    { createdAt: -1, _id: -1 },
    query,
  );
  return { items: page.items.map(recordView), nextCursor: page.nextCursor };
}
