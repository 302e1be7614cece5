import { Schema, model } from 'mongoose';

/** Who uploaded what, keyed by the storage key: for audits and for clearing out photos nothing refers to. */
const UploadSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    type: { type: String, required: true },
    bytes: { type: Number, required: true },
    at: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);
export const UploadModel = model('Upload', UploadSchema, 'uploads');
