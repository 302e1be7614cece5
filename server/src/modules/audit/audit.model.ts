import { Schema, model } from 'mongoose';

/**
 * Who did what to whom, for admin actions: role changes, point adjustments, reviews, 补录. Append-only; the
 * source of truth the per-org feeds below are derived from.
 */
const AuditSchema = new Schema(
  {
    at: { type: Date, default: () => new Date() },
    actorId: { type: String, required: true },
    action: { type: String, required: true },
    targetType: { type: String, required: true },
    targetId: { type: String, required: true },
    details: { type: Schema.Types.Mixed, default: {} },
    /** Names as they were at the time, so the log reads the same after a rename. */
    actorName: { type: String, default: '' },
    targetLabel: { type: String, default: '' },
    /** Every org whose log shows this entry: the actor's and the target's org chains. */
    scopes: { type: [String], default: [] },
    /** False until the entry is in every feed of its scopes (filed off the request's path; start-up refiles). */
    filed: { type: Boolean },
  },
  { versionKey: false },
);
AuditSchema.index({ targetType: 1, targetId: 1 });
export const AuditModel = model('Audit', AuditSchema);

/**
 * `${orgId}`: how many entries each of the org's feeds has had (`n.all`, `n.<group>`). An `$inc` here hands the
 * next entry its sequence number; the number says which page it goes to.
 */
const AuditHeadSchema = new Schema(
  { _id: { type: String, required: true }, n: { type: Schema.Types.Mixed, default: {} } },
  { versionKey: false, minimize: false },
);
export const AuditHeadModel = model('AuditHead', AuditHeadSchema, 'audit_heads');

/** Entries per feed page: pages stay small documents however long a county's log grows. */
export const AUDIT_PAGE_SIZE = 50;

/**
 * `${orgId}|${feed}|${page}`: entries `(page * 50, page * 50 + 50]` of one feed (`all` or a group), so reading
 * a log newest first is a couple of `_id` lookups on every engine (FerretDB scans any other filter).
 */
const AuditFeedPageSchema = new Schema(
  {
    _id: { type: String, required: true },
    items: {
      type: [
        {
          _id: false,
          seq: Number,
          id: String,
          at: Date,
          actorId: String,
          actorName: String,
          action: String,
          targetType: String,
          targetId: String,
          targetLabel: String,
          summary: { type: String, default: null },
          reason: { type: String, default: null },
        },
      ],
      default: [],
    },
  },
  { versionKey: false },
);
export const AuditFeedPageModel = model('AuditFeedPage', AuditFeedPageSchema, 'audit_feed_pages');
