import type { Claim, MyClaimList, PostSeats, RemoveClaimBody } from '@pioneer/shared';
import { isDuplicateKey } from '../../db/connect';
import { groupedInserts } from '../../db/grouped-inserts';
import { AppError, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { recordAudit } from '../audit/audit.service';
import { findUser } from '../users/users.service';
import { ClaimModel, MemberClaimsModel, RecordModel, type ClaimDoc, type PostDoc, type RecordDoc } from './posts.model';
import {
  assertCanManagePost,
  assertCanSeePost,
  claimIdOf,
  effectiveStatus,
  orgLookup,
  placedPost,
  postView,
  requirePost,
} from './posts.service';
import { recordView } from './records.service';
import { freeSeat, reserveSeat } from './seats';
import { claimsListed, listClaim } from './claim-lists';

export function claimView(c: ClaimDoc): Claim {
  return {
    id: c._id,
    postId: c.postId,
    userId: c.userId,
    status: c.status as Claim['status'],
    claimedAt: new Date(c.claimedAt).toISOString(),
    hours: c.hours,
    resolved: c.resolved,
  };
}

function refuseHeld(claim: Pick<ClaimDoc, 'status'> | null): void {
  if (claim?.status === 'active') throw new AppError('ALREADY_CLAIMED');
  if (claim?.status === 'removed') throw new AppError('CLAIM_REMOVED');
}

/**
 * New claims inserted in groups while one insert is in flight (issue 17, db/grouped-inserts.ts: alone at once; under
 * load one insert for the claims that gathered; a claim whose key exists is refused alone, as its own insert would be).
 */
const insertClaim = groupedInserts<ClaimDoc>(() => ClaimModel.collection as never);

/**
 * The claim document, inserted by its unique key (the driver's own insert, issue 17: every field as the schema's
 * defaults would store it, no mongoose document built and cast); a released one is re-activated by that key.
 */
async function insertOrReactivate(id: string, post: PostDoc, actor: SessionUser): Promise<ClaimDoc> {
  // The session's own read of the member (read once per request).
  const user = await findUser(actor.id);
  const fields = {
    userName: user?.name ?? '',
    memberOrgId: actor.orgId,
    claimedAt: new Date(),
    endedAt: null,
    removedBy: null,
    removeReason: null,
  };
  const claim = {
    _id: id,
    postId: post._id,
    userId: actor.id,
    status: 'active',
    ...fields,
    hours: 0,
    resolved: 0,
    records: [],
  } as ClaimDoc;
  try {
    await insertClaim(claim);
    return claim;
  } catch (err) {
    // Not a known outcome (the insert may have landed): keep the seat; the reconciliation job recounts.
    if (!isDuplicateKey(err)) throw err;
  }
  // The key exists: only a released claim turns active again, in one write whose filter says so (a key lookup with
  // a condition), so two racing taps of the same member still hold one seat.
  const again = (await ClaimModel.collection.findOneAndUpdate(
    { _id: id as never, status: 'released' },
    { $set: { status: 'active', ...fields } },
    { returnDocument: 'after' },
  )) as ClaimDoc | null;
  if (again) return again;
  await freeSeat(post._id);
  refuseHeld(await ClaimModel.findById(id).lean<ClaimDoc>());
  throw new AppError('CONFLICT');
}

/**
 * 认领: the seat first, then the claim. No transactions, so the order is the safety: a crash between the two
 * writes leaves a seat counted that nobody holds (capacity still honoured), which reconcilePosts frees.
 * A first claim is three commands (issue 17): the session, the seat, the claim; its id joins the member's list for
 * 我的认领 after the reply, grouped (claim-lists.ts). Who may see the post and whether it is open are judged on its
 * shared view before any write (its org never changes; a close within the bound is caught by the seat's own reply),
 * so a member elsewhere never moves the seat counter. A member who claimed the post before (held, removed or
 * released) is told so by the claim's insert: their seat, taken meanwhile, is given straight back.
 */
export async function claimPost(actor: SessionUser, postId: string): Promise<Claim> {
  const placed = await placedPost(postId);
  assertCanSeePost(actor, placed);
  if (effectiveStatus(placed) === 'closed') throw new AppError('POST_CLOSED');
  const id = claimIdOf(postId, actor.id);
  let post: PostDoc;
  try {
    post = await reserveSeat(postId);
  } catch (err) {
    // My own racing tap may hold the last seat: say so rather than "full".
    if (err instanceof AppError && err.code === 'POST_FULL') refuseHeld(await ClaimModel.findById(id).lean<ClaimDoc>());
    throw err;
  }
  const claim = await insertOrReactivate(id, post, actor);
  listClaim(actor.id, id);
  return claimView(claim);
}

/**
 * Ends an active claim (released by the member, removed by the secretary): the claim first, then the seat, so a
 * crash between leaves the counter high, never low. Only the caller that saw it active frees the seat.
 */
async function endClaim(
  id: string,
  postId: string,
  status: 'released' | 'removed',
  extra: Record<string, unknown> = {},
): Promise<boolean> {
  const before = await ClaimModel.findOneAndUpdate(
    { _id: id },
    { $set: { status, endedAt: new Date(), ...extra } },
    { returnDocument: 'before' },
  ).lean<ClaimDoc>();
  if (!before) return false;
  if (before.status !== 'active') {
    // Someone ended it first: put back what they wrote.
    await ClaimModel.updateOne(
      { _id: id },
      {
        $set: {
          status: before.status,
          endedAt: before.endedAt,
          removedBy: before.removedBy,
          removeReason: before.removeReason,
        },
      },
    );
    return false;
  }
  await freeSeat(postId);
  return true;
}

/** 取消认领. Repeating it is harmless; it frees one seat at most. */
export async function releaseClaim(actor: SessionUser, postId: string): Promise<void> {
  const id = claimIdOf(postId, actor.id);
  const claim = await ClaimModel.findById(id).lean<ClaimDoc>();
  if (!claim || claim.status === 'removed') throw notFound('您在该岗位的认领');
  if (claim.status === 'active') await endClaim(id, postId, 'released');
}

/** The secretary takes a seat back (audited). */
export async function removeClaim(actor: SessionUser, claimId: string, body: RemoveClaimBody): Promise<Claim> {
  const claim = await ClaimModel.findById(claimId).lean<ClaimDoc>();
  if (!claim) throw notFound('认领');
  assertCanManagePost(actor, await requirePost(claim.postId));
  if (claim.status !== 'active') throw new AppError('ILLEGAL_TRANSITION', '该认领已结束');
  const ended = await endClaim(claimId, claim.postId, 'removed', { removedBy: actor.id, removeReason: body.reason });
  if (!ended) throw new AppError('ILLEGAL_TRANSITION', '该认领已结束');
  await recordAudit({
    actorId: actor.id,
    action: 'post.claim.remove',
    targetType: 'post_claim',
    targetId: claimId,
    details: { postId: claim.postId, userId: claim.userId, reason: body.reason },
  });
  return claimView((await ClaimModel.findById(claimId).lean<ClaimDoc>())!);
}

/** 我的认领: key reads through the member's claim list; ended claims are left out. */
export async function myClaims(actor: SessionUser): Promise<MyClaimList> {
  await claimsListed(actor.id); // this process's claims of the member, listed after their replies
  const index = await MemberClaimsModel.findById(actor.id).lean();
  const claims = (
    await Promise.all((index?.claims ?? []).map((id) => ClaimModel.findById(id).lean<ClaimDoc>()))
  ).filter((c): c is ClaimDoc => c?.status === 'active' && c.userId === actor.id);
  const orgOf = orgLookup();
  const items = await Promise.all(
    claims.map(async (c) => {
      const post = await requirePost(c.postId);
      const records = (await Promise.all(c.records.map((r) => RecordModel.findById(r).lean<RecordDoc>()))).filter(
        (r): r is RecordDoc => r !== null,
      );
      records.sort((a, b) => +new Date(b.createdAt) - +new Date(a.createdAt));
      return {
        ...claimView(c),
        post: await postView(actor, post, await orgOf(post.orgId), c),
        records: records.map(recordView),
      };
    }),
  );
  items.sort((a, b) => (a.claimedAt < b.claimedAt ? 1 : -1));
  return { items };
}

/** Who holds which seat (secretary / admin). */
export async function postSeats(actor: SessionUser, postId: string): Promise<PostSeats> {
  const post = await requirePost(postId);
  assertCanManagePost(actor, post);
  // Deliberate scan on FerretDB: the claims of one post, for its secretary's seat list.
  const claims = await ClaimModel.find({ postId, status: 'active' }).sort({ claimedAt: 1 }).lean<ClaimDoc[]>();
  const orgOf = orgLookup();
  const seats = await Promise.all(
    claims.map(async (c) => ({
      claimId: c._id,
      userId: c.userId,
      name: c.userName,
      orgName: c.memberOrgId ? (await orgOf(c.memberOrgId)).name : '',
      claimedAt: new Date(c.claimedAt).toISOString(),
      hours: c.hours,
      resolved: c.resolved,
    })),
  );
  return { post: await postView(actor, post, await orgOf(post.orgId)), seats };
}
