import type { Claim, MyClaimList, PostSeats, RemoveClaimBody } from '@pioneer/shared';
import { isDuplicateKey } from '../../db/connect';
import { AppError, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { recordAudit } from '../audit/audit.service';
import { findUser } from '../users/users.service';
import {
  ClaimModel,
  MemberClaimsModel,
  PostModel,
  RecordModel,
  type ClaimDoc,
  type PostDoc,
  type RecordDoc,
} from './posts.model';
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

async function freeSeat(postId: string): Promise<void> {
  await PostModel.updateOne({ _id: postId }, { $inc: { taken: -1 } });
}

/**
 * Takes one seat: `$inc` on `{ _id }` and look at the count it produced. Over capacity (or closed meanwhile) ->
 * give it straight back and refuse. Every reservation in flight counts against capacity, so the seats granted can
 * never exceed it; 200 racing claims on 10 seats give exactly 10.
 */
async function reserveSeat(postId: string): Promise<PostDoc> {
  const after = await PostModel.findOneAndUpdate(
    { _id: postId },
    { $inc: { taken: 1 } },
    { returnDocument: 'after' },
  ).lean<PostDoc>();
  if (!after) throw notFound('岗位');
  if (after.taken > after.capacity) {
    await freeSeat(postId);
    throw new AppError('POST_FULL');
  }
  if (effectiveStatus(after) === 'closed') {
    await freeSeat(postId);
    throw new AppError('POST_CLOSED');
  }
  return after;
}

function refuseHeld(claim: Pick<ClaimDoc, 'status'> | null): void {
  if (claim?.status === 'active') throw new AppError('ALREADY_CLAIMED');
  if (claim?.status === 'removed') throw new AppError('CLAIM_REMOVED');
}

/** The claim document, inserted by its unique key; a released one is re-activated by that key. */
async function insertOrReactivate(id: string, post: PostDoc, actor: SessionUser): Promise<ClaimDoc> {
  // The session's own read of the member (read once per request).
  const user = await findUser(actor.id);
  const now = new Date();
  const fields = {
    userName: user?.name ?? '',
    memberOrgId: actor.orgId,
    claimedAt: now,
    endedAt: null,
    removedBy: null,
    removeReason: null,
  };
  try {
    const created = await ClaimModel.create({
      _id: id,
      postId: post._id,
      userId: actor.id,
      status: 'active',
      ...fields,
    });
    return created.toObject() as ClaimDoc;
  } catch (err) {
    // Not a known outcome (the insert may have landed): keep the seat; the reconciliation job recounts.
    if (!isDuplicateKey(err)) throw err;
  }
  // The key exists. One write on `{ _id }` that reports the state before it decides: only a released claim
  // turns active here, so two racing taps of the same member still hold one seat.
  const before = await ClaimModel.findOneAndUpdate(
    { _id: id },
    { $set: { status: 'active' } },
    { returnDocument: 'before' },
  ).lean<ClaimDoc>();
  if (before?.status === 'released') {
    const after = await ClaimModel.findOneAndUpdate(
      { _id: id },
      { $set: fields },
      { returnDocument: 'after' },
    ).lean<ClaimDoc>();
    return after!;
  }
  await freeSeat(post._id);
  if (before?.status === 'removed') await ClaimModel.updateOne({ _id: id }, { $set: { status: 'removed' } });
  refuseHeld(before);
  throw new AppError('CONFLICT');
}

/**
 * 认领: the seat first, then the claim. No transactions, so the order is the safety: a crash between the two
 * writes leaves a seat counted that nobody holds (capacity still honoured), which reconcilePosts frees.
 * A first claim is four commands (issue 17): the session, the member's claim list, the seat, the claim. Who may see
 * the post and whether it is open are judged on its shared view before any write (its org never changes; a close
 * within the bound is caught by the seat's own reply), so a member elsewhere never moves the seat counter.
 */
export async function claimPost(actor: SessionUser, postId: string): Promise<Claim> {
  const placed = await placedPost(postId);
  assertCanSeePost(actor, placed);
  if (effectiveStatus(placed) === 'closed') throw new AppError('POST_CLOSED');
  const id = claimIdOf(postId, actor.id);
  // Listed for 我的认领 before it exists: a dangling id there is skipped on read, a missing one would be lost. The
  // list as it was says whether this member ever claimed the post: only then is the claim read before the seat.
  const before = await MemberClaimsModel.findOneAndUpdate(
    { _id: actor.id },
    { $addToSet: { claims: id } },
    { upsert: true, returnDocument: 'before' },
  ).lean();
  if (before?.claims.includes(id)) refuseHeld(await ClaimModel.findById(id).lean<ClaimDoc>());
  let post: PostDoc;
  try {
    post = await reserveSeat(postId);
  } catch (err) {
    // My own racing tap may hold the last seat: say so rather than "full".
    if (err instanceof AppError && err.code === 'POST_FULL') refuseHeld(await ClaimModel.findById(id).lean<ClaimDoc>());
    throw err;
  }
  return claimView(await insertOrReactivate(id, post, actor));
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
