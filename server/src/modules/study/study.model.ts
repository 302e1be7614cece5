import { Schema, model, type InferSchemaType } from 'mongoose';
import { STUDY_TOPICS } from '@pioneer/shared';

/** An article an admin published to their subtree. Read by `_id` only (the catalogue lists them). */
const ArticleSchema = new Schema(
  {
    _id: { type: String, required: true },
    title: { type: String, required: true },
    topic: { type: String, enum: STUDY_TOPICS, required: true },
    cover: { type: String, default: null },
    source: { type: String, default: '' },
    /** Sanitized HTML (uploads/rich-text.ts). */
    body: { type: String, required: true },
    /** Characters of the plain text: the default minimum reading time comes from it. */
    chars: { type: Number, required: true },
    /** The admin's own minimum, or null for the one from the length. */
    minSecondsSet: { type: Number, default: null },
    orgId: { type: String, required: true },
    /** Ancestors of the org (not the org itself). */
    orgPath: { type: [String], default: [] },
    countyId: { type: String, required: true },
    createdBy: { type: String, required: true },
    publishedAt: { type: Date, required: true },
  },
  { versionKey: false, timestamps: true },
);
export type ArticleDoc = InferSchemaType<typeof ArticleSchema> & { _id: string };
export const ArticleModel = model('StudyArticle', ArticleSchema, 'study_articles');

/**
 * A county's catalogue, `_id` = the county: every article's summary (no body) in one document, so the 学习 tab's
 * list is one key read, not a scan of the articles. Bounded by STUDY_RULES.catalogMax.
 */
const CatalogItemSchema = new Schema(
  {
    id: String,
    title: String,
    topic: String,
    cover: { type: String, default: null },
    source: String,
    orgId: String,
    orgPath: [String],
    orgName: String,
    chars: Number,
    minSeconds: Number,
    minSecondsSet: { type: Number, default: null },
    publishedAt: Date,
  },
  { _id: false },
);
const CatalogSchema = new Schema(
  // Keyed by article id: publishing or editing one line is a `$set` of `items.<id>`, atomic on the key.
  { _id: { type: String, required: true }, items: { type: Map, of: CatalogItemSchema, default: {} } },
  { versionKey: false },
);
export type CatalogItem = InferSchemaType<typeof CatalogItemSchema>;
export const CatalogModel = model('StudyCatalog', CatalogSchema, 'study_catalog');

/**
 * One opening of an article by a member: a random `_id`, read and written by key. Time counts only while running,
 * by the server's clock: `activeMs` is what was counted up to `runningSince` (null while paused).
 */
const SessionSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    articleId: { type: String, required: true },
    minSeconds: { type: Number, required: true },
    startedAt: { type: Date, required: true },
    activeMs: { type: Number, default: 0 },
    runningSince: { type: Date, default: null },
    completedAt: { type: Date, default: null },
  },
  { versionKey: false },
);
export type SessionDoc = InferSchemaType<typeof SessionSchema> & { _id: string };
export const ReadingSessionModel = model('StudySession', SessionSchema, 'study_sessions');

/** A member's 已学 articles, watched videos and 收藏 (article or video ids), `_id` = the member. */
const ReaderSchema = new Schema(
  {
    _id: { type: String, required: true },
    read: { type: [String], default: [] },
    watched: { type: [String], default: [] },
    favs: { type: [String], default: [] },
  },
  { versionKey: false },
);
export const ReaderModel = model('StudyReader', ReaderSchema, 'study_readers');

/**
 * A member's paid readings of one Shanghai day, `_id` = `${userId}|${day}`: `count` is the slot counter (one
 * `$inc`, given back when over the cap) and `keys` the ledger entries, which the daily card reads by key.
 */
const ReadDaySchema = new Schema(
  {
    _id: { type: String, required: true },
    count: { type: Number, default: 0 },
    keys: { type: [String], default: [] },
  },
  { versionKey: false },
);
export const ReadDayModel = model('StudyReadDay', ReadDaySchema, 'study_read_days');

/** Counters per article for the console, `_id` = the article: moved by `$inc` on the key. */
const StatsSchema = new Schema(
  {
    _id: { type: String, required: true },
    opens: { type: Number, default: 0 },
    completions: { type: Number, default: 0 },
    completedMs: { type: Number, default: 0 },
  },
  { versionKey: false },
);
export const ArticleStatsModel = model('StudyStats', StatsSchema, 'study_stats');
