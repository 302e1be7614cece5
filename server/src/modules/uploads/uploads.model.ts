import { Schema, model } from 'mongoose';

/**
 * Who uploaded what, keyed by the storage key: for audits and for clearing out photos nothing refers to.
 * `state` is 'pending' from the upload until a write that uses it succeeds ('used'); the daily sweep deletes
 * pending uploads older than a day, file and document. Uploads stored before states existed have none and are
 * never swept (they may be in use).
 */
const UploadSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    type: { type: String, required: true },
    bytes: { type: Number, required: true },
    at: { type: Date, default: () => new Date() },
    state: { type: String, enum: ['pending', 'used'], default: null },
  },
  { versionKey: false },
);
UploadSchema.index({ state: 1, at: 1 });
export const UploadModel = model('Upload', UploadSchema, 'uploads');

/**
 * `${userId}|${day}` (Shanghai day): what a member uploaded that day, counted with one atomic $inc before the file
 * is stored, so racing uploads cannot pass the quota together. `day` lets the sweep drop past days.
 */
const UploadQuotaSchema = new Schema(
  {
    _id: { type: String, required: true },
    day: { type: String, required: true },
    files: { type: Number, default: 0 },
    bytes: { type: Number, default: 0 },
  },
  { versionKey: false },
);
export const UploadQuotaModel = model('UploadQuota', UploadQuotaSchema, 'upload_quota');
