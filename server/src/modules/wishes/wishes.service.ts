import {
  WISH_STATUSES,
  maskName,
  maskPhone,
  type CreateWishBodyParsed,
  type FulfilWishBodyParsed,
  type OrgSummary,
  type PatchWishBody,
  type ServiceDecision,
  type Wish,
  type WishListQueryParsed,
  type WishPage,
  type WishStatus,
} from '@pioneer/shared';
import type { QueryFilter } from 'mongoose';
import { newId } from '../../db/ids';
import { AppError, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { recordAudit } from '../audit/audit.service';
import { authorize, can } from '../../policy';
import { orgSummary, requireOrg } from '../orgs/orgs.service';
import { payKey } from '../points/keys';
import { awardPoints } from '../points/points.service';
import { findPage, managedFilter, orgLookup, visibleFilter } from '../posts/posts.service';
import { bumpTodo } from '../todo/todo.store';
import { UserModel } from '../users/users.model';
import { sealOrNull, unseal } from '../privacy/field-crypto';
import { WishModel, type WishDoc } from './wishes.model';

type Placed = Pick<WishDoc, 'orgId' | 'orgPath'>;

export function wishStatus(w: Pick<WishDoc, 'stage' | 'claimantId'>): WishStatus {
  if (w.stage === 'open') return w.claimantId ? 'claimed' : 'open';
  return w.stage as WishStatus;
}

const canManageWish = (actor: SessionUser, w: Placed) => can(actor, 'wish.manage', w);

function assertCanSee(actor: SessionUser, w: Placed): void {
  authorize(actor, 'wish.view', w);
}

function assertCanManage(actor: SessionUser, w: Placed): void {
  authorize(actor, 'wish.manage', w);
}

async function requireWish(id: string): Promise<WishDoc> {
  const wish = await WishModel.findById(id).lean<WishDoc>();
  if (!wish) throw notFound('心愿');
  return wish;
}

/**
 * The one place a wish leaves the server: the resident's name masked and contact dropped unless the caller runs it;
 * even then the contact is masked (139****8888): the full number is GET /wishes/:id/contact, an audit line (issue 24).
 */
export function wishView(actor: SessionUser, w: WishDoc, org: OrgSummary): Wish {
  const manager = canManageWish(actor, w);
  return {
    id: w._id,
    title: w.title,
    description: w.description,
    residentName: manager ? w.residentName : maskName(w.residentName),
    residentContact: manager ? maskPhone(unseal(w.residentContact)) : null,
    org,
    status: wishStatus(w),
    claimant: w.claimantId ? { id: w.claimantId, name: w.claimantName ?? '' } : null,
    mine: w.claimantId === actor.id,
    fulfilment: w.fulfilment
      ? { note: w.fulfilment.note, photoUrls: w.fulfilment.photoUrls, at: new Date(w.fulfilment.at).toISOString() }
      : null,
    review: w.review
      ? {
          decision: w.review.decision as ServiceDecision,
          comment: w.review.comment ?? null,
          at: new Date(w.review.at).toISOString(),
          byName: w.review.byName,
        }
      : null,
    pointsAwarded: w.pointsAwarded ?? null,
    canManage: manager,
    createdAt: new Date(w.createdAt).toISOString(),
  };
}

const viewOf = async (actor: SessionUser, w: WishDoc) => wishView(actor, w, await orgLookup()(w.orgId));

export async function createWish(actor: SessionUser, body: CreateWishBodyParsed): Promise<Wish> {
  const org = await requireOrg(body.orgId);
  authorize(actor, 'org.run', org, '只能为本支部（管理员：本辖区）登记微心愿');
  const doc = await WishModel.create({
    _id: newId(),
    title: body.title,
    description: body.description,
    residentName: body.residentName,
    residentContact: sealOrNull(body.residentContact),
    orgId: org._id,
    orgPath: [...org.path, org._id],
    createdBy: actor.id,
  });
  return wishView(actor, doc.toObject() as WishDoc, orgSummary(org));
}

export async function patchWish(actor: SessionUser, id: string, body: PatchWishBody): Promise<Wish> {
  const wish = await requireWish(id);
  assertCanManage(actor, wish);
  const { status, ...text } = body;
  const set: Record<string, unknown> = { ...text };
  // The edit page sends back what it was shown: the masked contact means "unchanged", not a new number.
  if (text.residentContact !== undefined && text.residentContact === maskPhone(unseal(wish.residentContact)))
    delete set.residentContact;
  else if (text.residentContact !== undefined) set.residentContact = sealOrNull(text.residentContact);
  if (status) set.stage = status;
  // Deliberate scan (small collection): only an open or closed wish may change; a fulfilled one waits for review.
  const updated = await WishModel.findOneAndUpdate(
    { _id: id, stage: { $in: ['open', 'closed'] } },
    { $set: set },
    { returnDocument: 'after' },
  ).lean<WishDoc>();
  if (!updated) throw new AppError('ILLEGAL_TRANSITION', '已完成的心愿不能再修改');
  return viewOf(actor, updated);
}

export async function getWish(actor: SessionUser, id: string): Promise<Wish> {
  const wish = await requireWish(id);
  assertCanSee(actor, wish);
  return viewOf(actor, wish);
}

/** `wishStatus` as a query. */
function wishStatusFilter(status: WishStatus): QueryFilter<WishDoc> {
  if (status === 'open') return { stage: 'open', claimantId: null };
  if (status === 'claimed') return { stage: 'open', claimantId: { $ne: null } };
  return { stage: status };
}

/**
 * What a member can still take up comes first (WISH_STATUSES order), newest first within each state. The cursor
 * `s:offset` is a position inside state s; a page reads at most one query per state (5), each limited to what the
 * page still needs plus one, so no call loads every visible wish.
 */
export async function listWishes(actor: SessionUser, query: WishListQueryParsed): Promise<WishPage> {
  // 我的认领: the wishes I claimed (the claim is mine, so no visibility filter is needed).
  const scope = (
    query.mine ? { claimantId: actor.id } : query.managed ? managedFilter(actor) : await visibleFilter(actor, query.org)
  ) as QueryFilter<WishDoc>;
  const [fromState, fromOffset] = query.cursor ? (query.cursor.split(':').map(Number) as [number, number]) : [0, 0];
  const states = query.status ? [WISH_STATUSES.indexOf(query.status)] : WISH_STATUSES.map((_, i) => i);
  const found: WishDoc[] = [];
  let nextCursor: string | null = null;
  for (const si of states.filter((i) => i >= fromState)) {
    const need = query.limit - found.length;
    const filter = { $and: [scope, wishStatusFilter(WISH_STATUSES[si]!)] };
    const page = await findPage<WishDoc>(
      () => WishModel.find(filter),
      { createdAt: -1, _id: -1 },
      { limit: Math.max(need, 1), cursor: si === fromState ? String(fromOffset) : undefined },
    );
    if (need === 0) {
      if (page.items.length > 0) nextCursor = `${si}:0`;
      break;
    }
    found.push(...page.items);
    if (page.nextCursor !== null) {
      nextCursor = `${si}:${page.nextCursor}`;
      break;
    }
  }
  const orgOf = orgLookup();
  return { items: await Promise.all(found.map(async (w) => wishView(actor, w, await orgOf(w.orgId)))), nextCursor };
}

/** 认领心愿: one conditional write decides; a racing second claim finds it taken. */
export async function claimWish(actor: SessionUser, id: string): Promise<Wish> {
  const wish = await requireWish(id);
  assertCanSee(actor, wish);
  const user = await UserModel.findById(actor.id).lean();
  const won = await WishModel.findOneAndUpdate(
    { _id: id, stage: 'open', claimantId: null },
    { $set: { claimantId: actor.id, claimantName: user?.name ?? '', claimedAt: new Date() } },
    { returnDocument: 'after' },
  ).lean<WishDoc>();
  if (won) return viewOf(actor, won);
  const now = await requireWish(id);
  if (now.claimantId === actor.id) return viewOf(actor, now); // a double tap
  if (now.stage === 'closed') throw new AppError('ILLEGAL_TRANSITION', '该心愿已关闭');
  throw new AppError('WISH_TAKEN');
}

/** Gives an unfulfilled wish back to the list. */
export async function releaseWish(actor: SessionUser, id: string): Promise<void> {
  const released = await WishModel.findOneAndUpdate(
    { _id: id, stage: 'open', claimantId: actor.id },
    { $set: { claimantId: null, claimantName: null, claimedAt: null } },
  ).lean<WishDoc>();
  if (released) return;
  const now = await requireWish(id);
  if (now.claimantId !== actor.id) throw notFound('您对该心愿的认领');
  throw new AppError('ILLEGAL_TRANSITION', '心愿已提交完成，不能取消认领');
}

/** 标记完成 with a note and photos, by the claimant; a repeat while it waits for review is answered the same. */
export async function fulfilWish(actor: SessionUser, id: string, body: FulfilWishBodyParsed): Promise<Wish> {
  const fulfilment = { note: body.note, photoUrls: body.photoUrls, at: new Date() };
  const done = await WishModel.findOneAndUpdate(
    { _id: id, stage: 'open', claimantId: actor.id },
    { $set: { stage: 'fulfilled', fulfilment } },
    { returnDocument: 'after' },
  ).lean<WishDoc>();
  if (done) {
    await bumpTodo('wishes', [done.orgId], 1);
    return viewOf(actor, done);
  }
  const now = await requireWish(id);
  authorize(actor, 'wish.fulfil', { claimantId: now.claimantId ?? null });
  if (now.stage === 'fulfilled') return viewOf(actor, now);
  throw new AppError('ILLEGAL_TRANSITION');
}

async function payWish(w: WishDoc): Promise<WishDoc> {
  const award = await awardPoints({
    userId: w.claimantId!,
    reason: 'wish_fulfilled',
    units: 1,
    refType: 'wish',
    refId: w._id,
    idempotencyKey: payKey('wish_fulfilled', w.claimantId!, w._id),
    at: w.fulfilment ? new Date(w.fulfilment.at) : new Date(),
    actorId: w.review?.by,
  });
  return (await WishModel.findOneAndUpdate(
    { _id: w._id },
    { $set: { pointsAwarded: award.awarded } },
    { returnDocument: 'after' },
  ).lean<WishDoc>())!;
}

/**
 * 确认 (pays 5 points once, keyed `wish|<id>`) or 退回 (back to the claimant to do or prove more). The stage
 * change is one conditional write, so a confirm and a return cannot both win; a repeated confirm re-runs the
 * idempotent payment, which also finishes one a crash interrupted.
 */
export async function reviewWish(
  actor: SessionUser,
  id: string,
  decision: ServiceDecision,
  comment?: string,
): Promise<Wish> {
  const wish = await requireWish(id);
  // The claimant is paid on confirmation: never by their own decision.
  authorize(actor, 'wish.review', { orgId: wish.orgId, orgPath: wish.orgPath, beneficiaryId: wish.claimantId ?? '' });
  const reviewer = await UserModel.findById(actor.id).lean();
  const review = { decision, by: actor.id, byName: reviewer?.name ?? '', comment: comment ?? null, at: new Date() };
  const set = decision === 'confirm' ? { stage: 'confirmed', review } : { stage: 'open', review };
  const won = await WishModel.findOneAndUpdate(
    { _id: id, stage: 'fulfilled' },
    { $set: set },
    { returnDocument: 'after' },
  ).lean<WishDoc>();
  if (won) {
    await bumpTodo('wishes', [won.orgId], -1);
    await recordAudit({
      actorId: actor.id,
      action: `wish.${decision}`,
      targetType: 'wish',
      targetId: id,
      details: { claimantId: won.claimantId, comment: comment ?? null },
    });
    return viewOf(actor, decision === 'confirm' ? await payWish(won) : won);
  }
  const now = await requireWish(id);
  if (decision === 'confirm' && now.stage === 'confirmed') return viewOf(actor, await payWish(now));
  throw new AppError('ILLEGAL_TRANSITION', now.stage === 'confirmed' ? '该心愿已确认' : '该心愿尚未提交完成情况');
}

/** Start-up repair: confirmed wishes whose payment a crash interrupted. Deliberate scan of a small collection. */
export async function payConfirmedWishes(): Promise<number> {
  const unpaid = await WishModel.find({ stage: 'confirmed', pointsAwarded: null }).lean<WishDoc[]>();
  for (const w of unpaid) await payWish(w);
  return unpaid.length;
}
