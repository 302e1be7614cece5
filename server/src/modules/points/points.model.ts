import { Schema, model, type InferSchemaType } from 'mongoose';
import { POINT_REASONS } from '@pioneer/shared';

/**
 * The source of truth. `_id` is the idempotency key: inserting it is what pays, so a retried request, a double
 * tap or a replayed job never pays twice. Everything else in this module is derived and rebuildable from here.
 */
const LedgerSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    /** What was granted after caps; `asked` is what the feature asked for. */
    delta: { type: Number, required: true },
    asked: { type: Number, required: true },
    reason: { type: String, enum: POINT_REASONS, required: true },
    refType: { type: String, required: true },
    refId: { type: String, required: true },
    note: { type: String, default: null },
    actorId: { type: String, default: null },
    at: { type: Date, required: true },
    /** Period ids this entry counts in (`week:2026-W48`, `month:2026-11`, `year:2026`, `all`). */
    periods: { type: [String], required: true },
    /** The member's org chain when it was earned, county first: the scopes it counts in. */
    scopes: { type: [String], required: true },
    /** Set once totals, histograms, boards and the feed reflect it; reconciliation finds the rest. */
    applied: { type: Boolean, default: false },
  },
  { versionKey: false },
);
LedgerSchema.index({ userId: 1, at: -1 });
LedgerSchema.index({ applied: 1 });
export type LedgerDoc = InferSchemaType<typeof LedgerSchema> & { _id: string };
export const LedgerModel = model('Ledger', LedgerSchema, 'ledger');

/** One per (reason, cap period, member): the claims made against a summing cap, in the order they landed. */
const CapSchema = new Schema(
  {
    _id: { type: String, required: true },
    claims: { type: [{ _id: false, key: String, asked: Number }], default: [] },
  },
  { versionKey: false },
);
export const CapModel = model('PointsCap', CapSchema, 'points_caps');

/** `${periodId}|${scopeId}|${userId}`: a member's points in one scope and period. */
const TotalSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    scopeId: { type: String, required: true },
    periodId: { type: String, required: true },
    points: { type: Number, default: 0 },
    /** When the member reached this score: ties on a board are listed in this order. */
    reachedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
TotalSchema.index({ periodId: 1, scopeId: 1, points: -1, reachedAt: 1 });
export type TotalDoc = InferSchemaType<typeof TotalSchema> & { _id: string };
export const TotalModel = model('PointsTotal', TotalSchema, 'points_totals');

/**
 * `${periodId}|${scopeId}`: a score histogram of the scope's members (`h.p<points>` -> members), so my rank is
 * 1 + members above me; and the points earned in each child org (`c.<childId>`), for org rankings.
 */
const ScopeStatsSchema = new Schema(
  {
    _id: { type: String, required: true },
    h: { type: Schema.Types.Mixed, default: {} },
    c: { type: Schema.Types.Mixed, default: {} },
    members: { type: Number, default: 0 },
  },
  { versionKey: false, minimize: false },
);
export const ScopeStatsModel = model('ScopeStats', ScopeStatsSchema, 'points_scope_stats');

/** Top-N boards: `${periodId}|${scopeId}` -> `m.<userId>` rows (see board.ts). */
const BoardSchema = new Schema(
  {
    _id: { type: String, required: true },
    m: { type: Schema.Types.Mixed, default: {} },
    floor: { type: Number, default: null },
  },
  { versionKey: false, minimize: false },
);
export const BoardModel = model('PointsBoard', BoardSchema, 'points_boards');

/** `${userId}|${month}`: a member's ledger lines of one month, newest read first: the points history page. */
const FeedSchema = new Schema(
  {
    _id: { type: String, required: true },
    items: {
      type: [
        {
          _id: false,
          id: String,
          delta: Number,
          reason: String,
          at: Date,
          refType: String,
          refId: String,
          note: String,
        },
      ],
      default: [],
    },
  },
  { versionKey: false },
);
export const FeedModel = model('PointsFeed', FeedSchema, 'points_feed');
