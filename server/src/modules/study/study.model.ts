import { Schema, model, type InferSchemaType } from 'mongoose';
import { catalogueModel, itemHead, itemPlace, lineFields, statsModel } from './published.model';

/** An article an admin published to their subtree. Read by `_id` only (the catalogue lists them). */
const ArticleSchema = new Schema(
  {
    ...itemHead,
    cover: { type: String, default: null },
    source: { type: String, default: '' },
    /** Sanitized HTML (uploads/rich-text.ts). */
    body: { type: String, required: true },
    /** Characters of the plain text: the default minimum reading time comes from it. */
    chars: { type: Number, required: true },
    /** The admin's own minimum, or null for the one from the length. */
    minSecondsSet: { type: Number, default: null },
    ...itemPlace,
  },
  { versionKey: false, timestamps: true },
);
export type ArticleDoc = InferSchemaType<typeof ArticleSchema> & { _id: string };
export const ArticleModel = model('StudyArticle', ArticleSchema, 'study_articles');

/** A line of a county's article catalogue (no body): the 学习 tab's list is one key read, not a scan. */
const CatalogItemSchema = new Schema(
  {
    ...lineFields,
    cover: { type: String, default: null },
    chars: Number,
    minSeconds: Number,
    minSecondsSet: { type: Number, default: null },
  },
  { _id: false },
);
export type CatalogItem = InferSchemaType<typeof CatalogItemSchema>;
/** Bounded by STUDY_RULES.catalogMax. */
export const CatalogModel = catalogueModel('StudyCatalog', 'study_catalog', CatalogItemSchema);

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

export const ArticleStatsModel = statsModel('StudyStats', 'study_stats');
