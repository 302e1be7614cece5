import { Schema, model, type InferSchemaType } from 'mongoose';
import { TRANSFER_STATES } from '@pioneer/shared';

/** 组织关系转接: one member from one branch to another inside a county, decided by the receiving side. */
const TransferSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    userName: { type: String, default: '' },
    fromOrgId: { type: String, required: true },
    fromName: { type: String, default: '' },
    /** Ancestors of the branches, county first: who runs either side is decided on these (policy). */
    fromPath: { type: [String], default: [] },
    toOrgId: { type: String, required: true },
    toName: { type: String, default: '' },
    toPath: { type: [String], default: [] },
    state: { type: String, enum: TRANSFER_STATES, default: 'pending' },
    reason: { type: String, default: '' },
    comment: { type: String, default: '' },
    startedBy: { type: String, required: true },
    startedAt: { type: Date, required: true },
    decidedBy: { type: String, default: null },
    decidedAt: { type: Date, default: null },
  },
  { versionKey: false },
);
export type TransferDoc = InferSchemaType<typeof TransferSchema> & { _id: string };
export const TransferModel = model('Transfer', TransferSchema, 'transfers');

/**
 * The member's one pending transfer, by key (`_id` = the member's id): inserting it is the lock, so two transfers
 * started at once for one member give one (a duplicate key is TRANSFER_PENDING). Removed when it is decided.
 */
const PendingTransferSchema = new Schema(
  { _id: { type: String, required: true }, transferId: { type: String, required: true } },
  { versionKey: false, timestamps: true },
);
export const PendingTransferModel = model('PendingTransfer', PendingTransferSchema, 'transfers_pending');
