import { Schema, model, type InferSchemaType } from 'mongoose';
import { ACTIVITY_STATUSES, ACTIVITY_TYPES, EXPECTED_SCOPES } from '@pioneer/shared';

/**
 * One activity, and its attendance summary: `signins.<userId>` and `leaves.<userId>` are $set by `_id`, so the
 * attendance lists are one key read. `expected` is the branch's members when it was created.
 */
const ActivitySchema = new Schema(
  {
    _id: { type: String, required: true },
    branchId: { type: String, required: true },
    branchName: { type: String, required: true },
    type: { type: String, enum: ACTIVITY_TYPES, required: true },
    title: { type: String, required: true },
    topic: { type: String, default: null },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    place: { type: Schema.Types.Mixed, default: null },
    statusOverride: { type: String, enum: [...ACTIVITY_STATUSES, null], default: null },
    /** Whom `expected` holds: the branch's members, or its committee for a 支委会 (EXPECTED_SCOPES). */
    expectedScope: { type: String, enum: EXPECTED_SCOPES, default: 'members' },
    /** userId -> name. */
    expected: { type: Schema.Types.Mixed, default: {} },
    /** userId -> name: members recorded at a 支委会 who are not on its committee (列席), outside its denominator. */
    guests: { type: Schema.Types.Mixed, default: {} },
    /** userId -> { at, late, method, reason?, by? } */
    signins: { type: Schema.Types.Mixed, default: {} },
    /** userId -> { reason, status, at } */
    leaves: { type: Schema.Types.Mixed, default: {} },
    minutes: { type: Schema.Types.Mixed, default: null },
    /** 取消活动 (before it starts): { at, by, reason }; kept, not deleted, so the mistake and its undoing are on record. */
    cancelled: { type: Schema.Types.Mixed, default: null },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
export type ActivityDoc = InferSchemaType<typeof ActivitySchema> & { _id: string };
export const ActivityModel = model('Activity', ActivitySchema, 'activities');

/** `${activityId}|${userId}`: inserting it is the sign-in, so a member signs in once however many scans race. */
const SigninSchema = new Schema(
  {
    _id: { type: String, required: true },
    activityId: { type: String, required: true },
    userId: { type: String, required: true },
    at: { type: Date, required: true },
    late: { type: Boolean, required: true },
    method: { type: String, enum: ['qr', 'location', 'manual'], required: true },
    reason: { type: String, default: null },
    by: { type: String, default: null },
    /**
     * Set once the attendance points are paid. Sign-in and payment are separate writes (no transactions), so a
     * crash between them leaves `false` behind for the start-up reconciler (jobs/activities-reconcile.ts).
     */
    paid: { type: Boolean, default: false },
  },
  { versionKey: false },
);
// On MongoDB the reconciler's `paid: {$ne: true}` reads this index instead of the collection.
SigninSchema.index({ paid: 1 });
export type ActivitySigninDoc = InferSchemaType<typeof SigninSchema> & { _id: string };
export const ActivitySigninModel = model('ActivitySignin', SigninSchema, 'activity_signins');

/** `${branchId}|${year}`: `items.<activityId>` = { type, title, startsAt }; lists and the record book read it by key. */
const BranchIndexSchema = new Schema(
  { _id: { type: String, required: true }, items: { type: Schema.Types.Mixed, default: {} } },
  { versionKey: false, minimize: false },
);
export const ActivityIndexModel = model('ActivityBranchIndex', BranchIndexSchema, 'activity_branch_index');

/** `${activityId}|${userId}`: wrong typed codes, so a 6-digit code cannot be guessed from home. */
const CodeTriesSchema = new Schema(
  { _id: { type: String, required: true }, n: { type: Number, default: 0 } },
  { versionKey: false },
);
export const ActivityCodeTriesModel = model('ActivityCodeTries', CodeTriesSchema, 'activity_code_tries');
