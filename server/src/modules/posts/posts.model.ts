import { Schema, model, type InferSchemaType } from 'mongoose';
import { CLAIM_STATUSES, POST_CATEGORIES, POST_STATUSES, RECORD_STATUSES, SERVICE_DECISIONS } from '@pioneer/shared';

/**
 * A public-welfare post (公益岗位). `taken` is the seat counter: moved only by `$inc` on a filter that is just
 * `{ _id }` (atomic through the engine's write proxy), so capacity holds whatever the concurrency. It can run
 * ahead of the active claims (a reservation in flight, or a crash between the two writes), never behind;
 * jobs/posts-reconcile.ts sets it back to the active count at start-up.
 */
const PostSchema = new Schema(
  {
    _id: { type: String, required: true },
    title: { type: String, required: true },
    category: { type: String, enum: POST_CATEGORIES, required: true },
    description: { type: String, default: '' },
    skills: { type: [String], default: [] },
    capacity: { type: Number, required: true },
    taken: { type: Number, default: 0 },
    orgId: { type: String, required: true },
    /** The org's ancestors and the org itself: "posts an admin runs" is `orgPath: adminOrgId`. */
    orgPath: { type: [String], default: [] },
    startsAt: { type: Date, default: null },
    endsAt: { type: Date, default: null },
    status: { type: String, enum: POST_STATUSES, default: 'open' },
    /** Confirmed service on this post, added once per confirmed record; rebuildable from the records. */
    serviceHours: { type: Number, default: 0 },
    resolved: { type: Number, default: 0 },
    createdBy: { type: String, required: true },
  },
  { versionKey: false, timestamps: true },
);
PostSchema.index({ orgId: 1 });
export type PostDoc = InferSchemaType<typeof PostSchema> & { _id: string };
export const PostModel = model('Post', PostSchema, 'posts');

/**
 * One member's claim on one post, `_id` = `${postId}_${userId}`: the unique key makes "one claim per member per
 * post" an insert, and a released claim is re-activated by that key rather than duplicated.
 */
const ClaimSchema = new Schema(
  {
    _id: { type: String, required: true },
    postId: { type: String, required: true },
    userId: { type: String, required: true },
    userName: { type: String, default: '' },
    memberOrgId: { type: String, default: null },
    status: { type: String, enum: CLAIM_STATUSES, required: true },
    claimedAt: { type: Date, required: true },
    endedAt: { type: Date, default: null },
    removedBy: { type: String, default: null },
    removeReason: { type: String, default: null },
    /** Confirmed hours and problems solved on this claim (rebuildable from the records). */
    hours: { type: Number, default: 0 },
    resolved: { type: Number, default: 0 },
    /** Ids of the service records logged on it, so 我的认领 reads them by key. */
    records: { type: [String], default: [] },
  },
  { versionKey: false },
);
ClaimSchema.index({ postId: 1 });
export type ClaimDoc = InferSchemaType<typeof ClaimSchema> & { _id: string };
export const ClaimModel = model('PostClaim', ClaimSchema, 'post_claims');

/** `_id` = userId: the ids of every claim the member ever made, so 我的认领 is key reads, not a scan of claims. */
const MemberClaimsSchema = new Schema(
  { _id: { type: String, required: true }, claims: { type: [String], default: [] } },
  { versionKey: false },
);
export const MemberClaimsModel = model('PostMemberClaims', MemberClaimsSchema, 'post_member_claims');

/** A reviewer's decision: each of a service record's `decisions`, and a wish's `review` (wishes.model.ts). */
export const DecisionSchema = new Schema(
  {
    decision: { type: String, enum: SERVICE_DECISIONS, required: true },
    by: { type: String, required: true },
    byName: { type: String, default: '' },
    comment: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { _id: false },
);

/**
 * A service record on a claim. Reviews are appended to `decisions` with `$push` on `{ _id }` (one atomic write):
 * the FIRST decision is the one that counts, so racing confirm/reject calls agree without a conditional filter
 * (which would scan this growing collection on the embedded engine).
 */
const RecordSchema = new Schema(
  {
    _id: { type: String, required: true },
    claimId: { type: String, required: true },
    postId: { type: String, required: true },
    postTitle: { type: String, default: '' },
    orgId: { type: String, required: true },
    orgPath: { type: [String], default: [] },
    userId: { type: String, required: true },
    userName: { type: String, default: '' },
    memberOrgId: { type: String, default: null },
    memberOrgPath: { type: [String], default: [] },
    hours: { type: Number, required: true },
    resolved: { type: Number, default: 0 },
    note: { type: String, default: '' },
    photoUrls: { type: [String], default: [] },
    status: { type: String, enum: RECORD_STATUSES, default: 'pending' },
    decisions: { type: [DecisionSchema], default: [] },
    pointsAwarded: { type: Number, default: null },
    /** 代为登记: the secretary who recorded it for the member, why, and the day served (paid on that day). */
    recordedBy: { type: String, default: null },
    recordedByName: { type: String, default: null },
    recordReason: { type: String, default: null },
    servedAt: { type: Date, default: null },
  },
  { versionKey: false, timestamps: true },
);
RecordSchema.index({ postId: 1 });
export type RecordDoc = InferSchemaType<typeof RecordSchema> & { _id: string; createdAt: Date };
export const RecordModel = model('PostRecord', RecordSchema, 'post_records');
