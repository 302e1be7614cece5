import type { OrgQuery, PendingList, ReviewBody, ReviewResult } from '@pioneer/shared';
import { isDuplicateKey } from '../../db/connect';
import { AppError, forbidden, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { recordAudit } from '../audit/audit.service';
import { tellCheckinReviewed } from '../notify/reviewed';
import { authorize, defaultManagedOrgId } from '../../policy';
import { OrgModel, type OrgDoc } from '../orgs/orgs.model';
import { requireOrg } from '../orgs/orgs.service';
import { findUser } from '../users/users.service';
import { CheckinModel, CheckinReviewModel, type CheckinDoc } from './checkins.model';
import { dequeue, itemOut, payForDay, readQueue, recordDecision, storedItem, type StoredReview } from './records';

/** The org a secretary or admin means when they name none: their branch, or the root of their subtree. */
export async function defaultOrgFor(actor: SessionUser, orgId: string | undefined): Promise<OrgDoc> {
  const id = orgId ?? defaultManagedOrgId(actor);
  if (!id) throw forbidden('只有支部书记或管理员可以查看');
  const org = await requireOrg(id);
  authorize(actor, 'queue.read', org);
  return org;
}

/** Branches under an org (or the org itself when it is one). A deliberate scan: the org tree is small. */
export async function branchesUnder(org: OrgDoc): Promise<OrgDoc[]> {
  if (org.type === 'branch') return [org];
  return OrgModel.find({ path: org._id, type: 'branch' }).lean<OrgDoc[]>();
}

/** 外勤 waiting for a decision: a key read per branch queue, oldest first. */
export async function pendingCheckins(actor: SessionUser, query: OrgQuery): Promise<PendingList> {
  const org = await defaultOrgFor(actor, query.org);
  const branches = await branchesUnder(org);
  const queues = await Promise.all(branches.map((b) => readQueue(b._id)));
  const items = queues.flat().sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return { items, nextCursor: null };
}

/**
 * The branch secretary (or an admin over the cadre) approves or rejects a pending check-in, once. Approval makes
 * the day present and pays its point unless the day already paid. Audited.
 */
export async function reviewCheckin(
  actor: SessionUser,
  checkinId: string,
  body: ReviewBody,
  now = new Date(),
): Promise<ReviewResult> {
  const checkin = await CheckinModel.findById(checkinId).lean<CheckinDoc>();
  if (!checkin) throw notFound('打卡记录');
  const cadre = await findUser(checkin.userId);
  if (!cadre) throw notFound('驻村干部');
  authorize(actor, 'checkin.review', {
    _id: cadre._id,
    orgId: checkin.branchId ?? cadre.orgId,
    orgPath: cadre.orgPath,
  });
  if (checkin.status !== 'pending') throw new AppError('ILLEGAL_TRANSITION', '这条打卡已经审核过了');

  const reviewer = await findUser(actor.id);
  const review: StoredReview = {
    decision: body.decision,
    comment: body.comment ?? null,
    at: now,
    byName: reviewer?.name ?? '',
  };
  try {
    await CheckinReviewModel.create({ _id: checkinId, by: actor.id, ...review });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    throw new AppError('ILLEGAL_TRANSITION', '这条打卡已经审核过了');
  }
  const status = body.decision === 'approve' ? 'approved' : 'rejected';
  await CheckinModel.updateOne({ _id: checkinId }, { $set: { status, review } });
  await Promise.all([recordDecision(checkin, review), checkin.branchId ? dequeue(checkin.branchId, checkinId) : null]);
  // Paid at the capture time (an offline check-in counts on the day it was taken, like its `day`).
  const paid =
    status === 'approved'
      ? await payForDay(
          checkin.userId,
          checkin.day,
          checkinId,
          checkin.capturedAt && checkin.capturedAt < checkin.at ? checkin.capturedAt : checkin.at,
        )
      : 0;
  await recordAudit({
    actorId: actor.id,
    action: `checkin.${body.decision}`,
    targetType: 'checkin',
    targetId: checkinId,
    details: { userId: checkin.userId, day: checkin.day, comment: review.comment, pointsAwarded: paid },
  });
  // 消息 (and 订阅消息 when on): issue 19's "a check-in reviewed".
  await tellCheckinReviewed(checkin.userId, checkinId, checkin.day, status === 'approved', review.comment, now);
  return { ...itemOut(checkinId, storedItem({ ...checkin, status, review })), pointsAwarded: paid };
}
