import { Schema, model } from 'mongoose';

/** Who did what to whom, for admin actions: role changes, point adjustments, reviews, 补录. Append-only. */
const AuditSchema = new Schema(
  {
    at: { type: Date, default: () => new Date() },
    actorId: { type: String, required: true },
    action: { type: String, required: true },
    targetType: { type: String, required: true },
    targetId: { type: String, required: true },
    details: { type: Schema.Types.Mixed, default: {} },
  },
  { versionKey: false },
);
AuditSchema.index({ targetType: 1, targetId: 1 });

export const AuditModel = model('Audit', AuditSchema);
