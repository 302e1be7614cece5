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
    // No `applied` flag (issue 17, H12b): an entry is finished when its member's feed holds it (applied-marks.ts).
    // Entries written before may carry one; nothing reads it.
  },
  { versionKey: false },
);
LedgerSchema.index({ userId: 1, at: -1 });
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

/**
 * One document per member (`_id` = userId) with every total of theirs: `t.<periodId>|<scopeId>` -> points and
 * `r.<periodId>|<scopeId>` -> when they reached it (ms; ties on a board are listed in that order). Scope `self` is
 * their own total, whatever org they are in now. An award is one `findOneAndUpdate` on it, which returns every
 * "before" the histograms need. It holds only the periods an award can still move: the award drops those gone by in
 * the same update (totals-window.ts), `points:rebuild` writes none; nothing reads them.
 */
const MemberTotalsSchema = new Schema(
  {
    _id: { type: String, required: true },
    t: { type: Schema.Types.Mixed, default: {} },
    r: { type: Schema.Types.Mixed, default: {} },
    /** Awards applied to it, counted by the same update: orders the member's board rows (board.ts). */
    v: { type: Number, default: 0 },
    /**
     * `d.<marker>` -> 1: the 数据看板's count-once markers of this member (dashboard/counters.ts `memberMarksOf`), set by
     * the award's same update, whose before-image says which it won. Rebuilt from the ledger by both rebuilds.
     */
    d: { type: Schema.Types.Mixed },
    /**
     * `p.<entry>` -> 1: the awards whose totals this document holds but whose scopes, boards and feed may not yet
     * (set by the award's same update, cleared once they do: applied-marks.ts). Recovery repairs their views.
     */
    p: { type: Schema.Types.Mixed },
  },
  { versionKey: false, minimize: false },
);
export interface MemberTotalsDoc {
  _id: string;
  t?: Record<string, number>;
  r?: Record<string, number>;
  v?: number;
  d?: Record<string, 1>;
  p?: Record<string, 1>;
}
export const MemberTotalsModel = model('PointsMemberTotals', MemberTotalsSchema, 'points_member_totals');

/**
 * One document per scope (`_id` = orgId) with every period's numbers: `h.<periodId>.p<points>` -> members (a score
 * histogram, so my rank is 1 + members above me), `n.<periodId>` -> members counted, and `c.<periodId>.<childId>` ->
 * points earned in each child org (org rankings). An award moves all its periods with one statement per scope, all
 * scopes in one bulk write (apply.ts moveInScopes).
 */
const ScopeStatsSchema = new Schema(
  {
    _id: { type: String, required: true },
    h: { type: Schema.Types.Mixed, default: {} },
    c: { type: Schema.Types.Mixed, default: {} },
    n: { type: Schema.Types.Mixed, default: {} },
  },
  { versionKey: false, minimize: false },
);
export interface ScopeStatsDoc {
  _id: string;
  h?: Record<string, Record<string, number>>;
  c?: Record<string, Record<string, number>>;
  n?: Record<string, number>;
}
export const ScopeStatsModel = model('PointsScope', ScopeStatsSchema, 'points_scopes');

/**
 * The collections of older layouts, which rebuild drops: a document per total and per period of a scope (before issue
 * 17), and the feeds in a collection of their own (before they moved in with the scope documents, below).
 */
export const RETIRED_COLLECTIONS = ['points_totals', 'points_scope_stats', 'points_feed', 'points_boards'];

/**
 * Top-N boards: a scope's block `${scopeId}#${i}` -> `r.<periodId>.<userId>` rows, `f.<periodId>` floors; the older
 * layouts' `m.<userId>` rows and `floor` (see board-blocks.ts).
 */
const BoardSchema = new Schema(
  {
    _id: { type: String, required: true },
    r: { type: Schema.Types.Mixed },
    f: { type: Schema.Types.Mixed },
    m: { type: Schema.Types.Mixed },
    floor: { type: Number },
  },
  { versionKey: false, minimize: false },
);
// In the scopes' collection (issue 17): an award's rows ride in the same bulk write as its scopes and feed line, one
// command less. points:rebuild drops the old points_boards.
export const BoardModel = model('PointsBoard', BoardSchema, 'points_scopes');

/**
 * `${userId}|${month}`: a member's ledger lines of one month, newest read first: the points history page. Stored in
 * the scope documents' collection (`_id`s never meet: a scope's is an org id, a feed's has a `|`), so an award's
 * feed line and its scope moves are one bulk write (apply.ts); both are read by key only.
 */
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
export const FeedModel = model('PointsFeed', FeedSchema, 'points_scopes');
