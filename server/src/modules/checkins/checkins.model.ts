import { Schema, model, type InferSchemaType } from 'mongoose';
import { CHECKIN_FLAGS, CHECKIN_STATUSES, COORD_TYPES } from '@pioneer/shared';

/**
 * One check-in: the source of truth (raw fix, converted fix, decision). Read only by `_id`; everything a page
 * shows comes from the derived per-month document below, so nothing here is ever scanned on a member's request.
 */
const CheckinSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    /** The cadre's branch when they checked in: its secretary reviews. */
    branchId: { type: String, default: null },
    villageId: { type: String, required: true },
    at: { type: Date, required: true },
    day: { type: String, required: true },
    month: { type: String, required: true },
    /** GCJ-02, as compared with the fence. */
    lat: { type: Number, required: true },
    lng: { type: Number, required: true },
    /** As the device reported them. */
    rawLat: { type: Number, required: true },
    rawLng: { type: Number, required: true },
    coordType: { type: String, enum: COORD_TYPES, required: true },
    accuracy: { type: Number, required: true },
    capturedAt: { type: Date, default: null },
    distanceM: { type: Number, required: true },
    withinFence: { type: Boolean, required: true },
    status: { type: String, enum: CHECKIN_STATUSES, required: true },
    reason: { type: String, default: null },
    flags: { type: [String], enum: CHECKIN_FLAGS, default: [] },
    review: { type: Schema.Types.Mixed, default: null },
    /**
     * False from the insert until its month list, review queue entry and day's point are written (settle in
     * checkins.service.ts): a retry with the same key, or the start-up reconciler, finishes what a crash cut off.
     * Absent on check-ins stored before the flag existed, which were settled in the same request.
     */
    settled: { type: Boolean, default: undefined },
    /**
     * Set by the retention job (privacy/retention.ts) once the check-in is older than the county's retention: the
     * coordinates and accuracy are gone, `distanceBand` (e.g. '100-500m') stays beside `distanceM` and the flags.
     */
    reduced: { type: Boolean, default: undefined },
    distanceBand: { type: String, default: undefined },
  },
  { versionKey: false },
);
export type CheckinDoc = InferSchemaType<typeof CheckinSchema> & { _id: string };
export const CheckinModel = model('Checkin', CheckinSchema, 'checkins');

/**
 * `${userId}|${YYYY-MM}`: a cadre's month, kept up to date by a $set of the item on every check-in and review.
 * `items.<checkinId>` = what the calendar lists (day counts are derived from it on read; `days` in older documents
 * is ignored). The calendar and the reports read these by key; all of it is rebuildable from `checkins`.
 */
const AttendanceMonthSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    month: { type: String, required: true },
    days: { type: Schema.Types.Mixed, default: {} },
    items: { type: Schema.Types.Mixed, default: {} },
    /**
     * The cadre's newest fix of the month, `<ISO time>|lat|lng|accuracy` (`$max`), the spots' first days
     * `seen.<lat>_<6 decimals>,<lng>_<6 decimals>` (`$min`, carried over from last month's document) and the newest day
     * of a valid check-in (`$max`): written with the check-in's month line (issue 17, H12d, checkins/last-fix.ts),
     * where they were the last-fix document's own. The retention job and closure unset them (privacy/month-fixes.ts).
     */
    fix: { type: String },
    seen: { type: Schema.Types.Mixed, default: undefined },
    validDay: { type: String },
  },
  { versionKey: false, minimize: false },
);
export type AttendanceMonthDoc = InferSchemaType<typeof AttendanceMonthSchema> & { _id: string };
export const AttendanceMonthModel = model('CheckinMonth', AttendanceMonthSchema, 'checkin_months');

/**
 * Before issue 17's H12d (the fix moved into the month documents above): read only for a cadre whose month documents
 * hold no fix, written by nothing; the retention job deletes each once its fix is older than the shortest retention.
 * `_id` = userId: the cadre's newest fix, for the speed flag. `fix` is `<ISO time>|lat|lng|accuracy` and `at` its
 * time, both moved by `$max` in the check-in's update (last-fix.ts, grouped after the reply): ISO times of one
 * format sort as they happen, so a late-arriving older fix never moves them back. Documents from before `fix`
 * carry lat/lng/accuracy beside `at`.
 */
const LastFixSchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    fix: { type: String },
    lat: { type: Number },
    lng: { type: Number },
    accuracy: { type: Number },
    /**
     * `seen.<lat>_<6 decimals>,<lng>_<6 decimals>` -> the first day the cadre reported those coordinates (the
     * same_coords flag), moved by `$min` in the same update (last-fix.ts). Each spot goes after the
     * shortest retention of any county (privacy/retention.ts), and the whole document on closure.
     */
    seen: { type: Schema.Types.Mixed, default: undefined },
    /** The newest day a valid check-in was sent (`$max`): a later one that day asks the ledger before it pays. */
    validDay: { type: String },
  },
  { versionKey: false },
);
export const LastFixModel = model('CheckinLastFix', LastFixSchema, 'checkin_last_fix');

/**
 * `${userId}|${lat6},${lng6}`: the first day a cadre reported these exact coordinates, as kept before they moved onto
 * the last-fix document (`seen`, issue 17: a command fewer per check-in). Nothing writes here now; the retention
 * run folds what an older version left onto the last-fix documents and deletes it.
 */
const CoordSeenSchema = new Schema(
  { _id: { type: String, required: true }, day: { type: String, required: true } },
  { versionKey: false },
);
export const CoordSeenModel = model('CheckinCoordSeen', CoordSeenSchema, 'checkin_coords');

/** `_id` = branchId: that branch's check-ins waiting for review (`items.<checkinId>`), the secretary's list. */
const ReviewQueueSchema = new Schema(
  { _id: { type: String, required: true }, items: { type: Schema.Types.Mixed, default: {} } },
  { versionKey: false, minimize: false },
);
export const ReviewQueueModel = model('CheckinReviewQueue', ReviewQueueSchema, 'checkin_review_queue');

/** `_id` = checkinId: inserting it is what "reviewed" means, so two racing reviews decide once. */
const ReviewSchema = new Schema(
  {
    _id: { type: String, required: true },
    by: { type: String, required: true },
    byName: { type: String, required: true },
    decision: { type: String, enum: ['approve', 'reject'], required: true },
    comment: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
export const CheckinReviewModel = model('CheckinReview', ReviewSchema, 'checkin_reviews');

/** `_id` = county id: the county's attendance rules (days present required per month). */
const SettingsSchema = new Schema(
  { _id: { type: String, required: true }, requiredDays: { type: Number, required: true } },
  { versionKey: false, timestamps: true },
);
export const CheckinSettingsModel = model('CheckinSettings', SettingsSchema, 'checkin_settings');
