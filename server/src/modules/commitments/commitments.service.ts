import {
  STATUS_LABELS,
  yearKey,
  type EvaluateBody,
  type MyCommitment,
  type ProgressBody,
  type PutCommitmentBody,
  type ReviewCommitmentBody,
} from '@pioneer/shared';
import { CasConflict } from '../../db/cas';
import { newId } from '../../db/ids';
import { AppError, forbidden, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { recordAudit } from '../audit/audit.service';
import { tellCommitmentReviewed } from '../notify/reviewed';
import { authorize } from '../../policy';
import { UserModel, type UserDoc } from '../users/users.model';
import { commitmentId, commitments, commitmentView, type CommitmentDoc } from './commitments.store';
import { settle, settled } from './effects';

export const currentYear = (at = new Date()) => Number(yearKey(at));

const illegal = (message: string) => new AppError('ILLEGAL_TRANSITION', message);

/** Runs a CAS transition; a lost race that stays lost becomes a clean 409. */
async function move(id: string, decide: (doc: CommitmentDoc | null) => Partial<CommitmentDoc>) {
  try {
    return await commitments.transition(id, decide);
  } catch (err) {
    if (err instanceof CasConflict) throw new AppError('CONFLICT', '有人同时在操作这份承诺，请刷新后重试');
    throw err;
  }
}

async function loadOwn(actor: SessionUser, id: string): Promise<CommitmentDoc> {
  const doc = await commitments.read(id);
  if (!doc) throw notFound('承诺');
  authorize(actor, 'commitment.own', doc);
  return doc;
}

/** A commitment someone else decides: never its owner; a secretary's own goes to an admin over the branch. */
async function loadManaged(
  actor: SessionUser,
  id: string,
  action: 'commitment.review' | 'commitment.evaluate',
): Promise<{ doc: CommitmentDoc; member: UserDoc }> {
  const doc = await commitments.read(id);
  if (!doc) throw notFound('承诺');
  const member = await UserModel.findById(doc.userId).lean<UserDoc>();
  if (!member) throw notFound('党员');
  authorize(actor, action, member);
  return { doc, member };
}

export async function myCommitment(actor: SessionUser, year = currentYear()): Promise<MyCommitment> {
  const doc = await settled(await commitments.read(commitmentId(actor.id, year)));
  return { year, commitment: doc ? commitmentView(doc) : null };
}

/** Writes the items of this (or next) year's commitment: only while it is a draft or was returned. */
export async function putMine(actor: SessionUser, body: PutCommitmentBody): Promise<MyCommitment> {
  const now = new Date();
  if (Math.abs(body.year - currentYear(now)) > 1) throw illegal('只能填写今年（或明年）的承诺');
  if (!actor.orgId) throw forbidden('请先加入党支部');
  const id = commitmentId(actor.id, body.year);
  const items = body.items.map((i) => ({ text: i.text }));
  const { after } = await move(id, (doc) => {
    if (!doc) {
      return {
        userId: actor.id,
        year: body.year,
        orgId: actor.orgId!,
        orgPath: actor.orgPath,
        status: 'draft',
        items,
        reviewComment: null,
        reviewerId: null,
        submittedAt: null,
        reviewedAt: null,
        approvedAt: null,
        progress: [],
        evaluation: null,
        createdAt: now,
        updatedAt: now,
      };
    }
    if (doc.status !== 'draft' && doc.status !== 'returned')
      throw illegal(`承诺${STATUS_LABELS[doc.status]}，不能再修改`);
    return { items, updatedAt: now };
  });
  await settle(after);
  return { year: body.year, commitment: commitmentView(after) };
}

export async function submit(actor: SessionUser, id: string) {
  await loadOwn(actor, id);
  const now = new Date();
  const { after } = await move(id, (doc) => {
    if (doc!.status !== 'draft' && doc!.status !== 'returned')
      throw illegal(`承诺${STATUS_LABELS[doc!.status]}，不能重复提交`);
    return { status: 'submitted', submittedAt: now, updatedAt: now };
  });
  await settle(after);
  return commitmentView(after);
}

export async function review(actor: SessionUser, id: string, body: ReviewCommitmentBody) {
  await loadManaged(actor, id, 'commitment.review');
  const now = new Date();
  const approve = body.decision === 'approve';
  const { after } = await move(id, (doc) => {
    if (doc!.status !== 'submitted') throw illegal(`承诺${STATUS_LABELS[doc!.status]}，只有待审核的承诺才能审核`);
    return {
      status: approve ? 'approved' : 'returned',
      reviewComment: body.comment ?? null,
      reviewerId: actor.id,
      reviewedAt: now,
      ...(approve ? { approvedAt: now } : {}),
      updatedAt: now,
    };
  });
  await settle(after);
  await recordAudit({
    actorId: actor.id,
    action: `commitment.${body.decision}`,
    targetType: 'commitment',
    targetId: id,
    details: { comment: body.comment ?? null },
  });
  // 消息 (and 订阅消息 when on): issue 19's "a commitment reviewed".
  await tellCommitmentReviewed(String(after.userId), id, approve, body.comment ?? null, now);
  return commitmentView(after);
}

export async function addProgress(actor: SessionUser, id: string, body: ProgressBody) {
  await loadOwn(actor, id);
  const now = new Date();
  const record = { id: newId(), text: body.text, photoUrls: body.photoUrls, at: now };
  const { after } = await move(id, (doc) => {
    if (doc!.status !== 'approved') throw illegal('承诺审核通过后才能记录践诺情况');
    if (doc!.evaluation) throw illegal('年终评诺已完成，不能再添加践诺记录');
    return { progress: [...(doc!.progress ?? []), record], updatedAt: now };
  });
  await settle(after);
  return commitmentView(after);
}

export async function evaluate(actor: SessionUser, id: string, body: EvaluateBody) {
  await loadManaged(actor, id, 'commitment.evaluate');
  const now = new Date();
  const { after } = await move(id, (doc) => {
    if (doc!.status !== 'approved') throw illegal('承诺审核通过后才能评诺');
    if (doc!.evaluation) throw illegal('该承诺已评诺，不能重复评价');
    return {
      evaluation: { rating: body.rating, comment: body.comment ?? null, at: now, by: actor.id },
      updatedAt: now,
    };
  });
  await settle(after);
  await recordAudit({
    actorId: actor.id,
    action: 'commitment.evaluate',
    targetType: 'commitment',
    targetId: id,
    details: { rating: body.rating },
  });
  return commitmentView(after);
}
