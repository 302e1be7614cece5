import { Schema, model, type InferSchemaType } from 'mongoose';
import { catalogueModel, itemHead, itemPlace, lineFields, statsModel } from './published.model';

/** A video an admin published to their subtree. Read by `_id` only (the video catalogue lists them). */
const VideoSchema = new Schema(
  {
    ...itemHead,
    poster: { type: String, default: null },
    source: { type: String, default: '' },
    /** The stored file's key (`<yyyy-mm>/<hex>.mp4`). */
    file: { type: String, required: true },
    bytes: { type: Number, required: true },
    /** From the file's movie header, never from the client. */
    seconds: { type: Number, required: true },
    ...itemPlace,
  },
  { versionKey: false, timestamps: true },
);
export type VideoDoc = InferSchemaType<typeof VideoSchema> & { _id: string };
export const VideoModel = model('StudyVideo', VideoSchema, 'study_videos');

/** An uploaded file not yet (or already) published, `_id` = its key: publishing takes only files uploaded here. */
const VideoFileSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    bytes: { type: Number, required: true },
    seconds: { type: Number, required: true },
    at: { type: Date, required: true },
    videoId: { type: String, default: null },
  },
  { versionKey: false },
);
export const VideoFileModel = model('StudyVideoFile', VideoFileSchema, 'study_video_files');

/** A county's videos, `_id` = the county: every video's summary keyed by id, one key read for the 学习 tab. */
const VideoItemSchema = new Schema(
  { ...lineFields, poster: { type: String, default: null }, seconds: Number },
  { _id: false },
);
export type VideoItem = InferSchemaType<typeof VideoItemSchema>;
export const VideoCatalogModel = catalogueModel('StudyVideoCatalog', 'study_video_catalog', VideoItemSchema);

/**
 * One watching of a video, random `_id`, read and written by key. `watchedMs` is what the server's clock has
 * credited; `lastBeatAt` the last accepted beat while playing (null while paused); time between beats counts only
 * up to the real time elapsed and at most VIDEO_RULES.maxBeatSeconds.
 */
const WatchSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    videoId: { type: String, required: true },
    seconds: { type: Number, required: true },
    startedAt: { type: Date, required: true },
    watchedMs: { type: Number, default: 0 },
    lastBeatAt: { type: Date, default: null },
    position: { type: Number, default: 0 },
    completedAt: { type: Date, default: null },
  },
  { versionKey: false },
);
export type WatchDoc = InferSchemaType<typeof WatchSchema> & { _id: string };
export const WatchModel = model('StudyWatch', WatchSchema, 'study_watches');

export const VideoStatsModel = statsModel('StudyVideoStats', 'study_video_stats');
