import { Schema, model, type InferSchemaType } from 'mongoose';
import { DecisionSchema } from '../posts/posts.model';

/** What is stored; a member sees `claimed` for an open wish with a claimant (see wishStatus). */
export const WISH_STAGES = ['open', 'fulfilled', 'confirmed', 'closed'] as const;

const FulfilmentSchema = new Schema(
  {
    note: { type: String, required: true },
    photoUrls: { type: [String], default: [] },
    at: { type: Date, required: true },
  },
  { _id: false },
);

/**
 * 微心愿: a resident's small need, entered by the secretary. Wishes are entered by hand (a few hundred per county),
 * so their state changes are conditional single-document updates (`{ _id, stage, claimantId }`): atomic through the
 * engine's write proxy, and the scan such a filter costs on FerretDB is small and deliberate.
 */
const WishSchema = new Schema(
  {
    _id: { type: String, required: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    /** In full; members see it masked. */
    residentName: { type: String, required: true },
    /** In full; never sent to members. */
    residentContact: { type: String, default: null },
    orgId: { type: String, required: true },
    /** The org's ancestors and the org itself. */
    orgPath: { type: [String], default: [] },
    stage: { type: String, enum: WISH_STAGES, default: 'open' },
    claimantId: { type: String, default: null },
    claimantName: { type: String, default: null },
    claimedAt: { type: Date, default: null },
    fulfilment: { type: FulfilmentSchema, default: null },
    review: { type: DecisionSchema, default: null },
    pointsAwarded: { type: Number, default: null },
    createdBy: { type: String, required: true },
  },
  { versionKey: false, timestamps: true },
);
WishSchema.index({ orgId: 1 });
export type WishDoc = InferSchemaType<typeof WishSchema> & { _id: string; createdAt: Date };
export const WishModel = model('Wish', WishSchema, 'wishes');
