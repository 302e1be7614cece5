import { Schema, model, type InferSchemaType } from 'mongoose';
import { ORG_TYPES } from '@pioneer/shared';

const FenceSchema = new Schema({ lat: Number, lng: Number, radiusM: Number }, { _id: false });

const OrgSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    type: { type: String, enum: ORG_TYPES, required: true },
    parentId: { type: String, default: null },
    /** Ancestor ids, county first, not including this org: "everyone under T" is `path: T`. */
    path: { type: [String], default: [], index: true },
    fence: { type: FenceSchema, default: null },
    /** Members in this org's whole subtree, kept by $inc on join, move and create: the denominator of averages. */
    memberCount: { type: Number, default: 0 },
    /** Set when an admin dissolves the (empty) org: kept so history still reads its name, gone from the tree. */
    dissolvedAt: { type: Date, default: null },
  },
  { versionKey: false, timestamps: true },
);
OrgSchema.index({ parentId: 1 });

export type OrgDoc = InferSchemaType<typeof OrgSchema> & { _id: string };
export const OrgModel = model('Org', OrgSchema);

const InviteSchema = new Schema(
  {
    /** The code members type in. */
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    maxUses: { type: Number, required: true },
    uses: { type: Number, default: 0 },
    createdBy: { type: String, required: true },
    /** Revoked by the branch's secretary or an admin: refused from then on, kept in the list. */
    revokedAt: { type: Date, default: null },
  },
  { versionKey: false, timestamps: true },
);
export type InviteDoc = InferSchemaType<typeof InviteSchema> & { _id: string };
export const InviteModel = model('Invite', InviteSchema);
