import { Schema, model, type InferSchemaType } from 'mongoose';
import { STUDY_TOPICS } from '@pioneer/shared';

/** A video an admin published to their subtree. Read by `_id` only (the video catalogue lists them). */
const VideoSchema = new Schema(
  {
    _id: { type: String, required: true },
    title: { type: String, required: true },
    topic: { type: String, enum: STUDY_TOPICS, required: true },
    poster: { type: String, default: null },
    source: { type: String, default: '' },
    /** The stored file's key (`<yyyy-mm>/<hex>.mp4`). */
    file: { type: String, required: true },
    bytes: { type: Number, required: true },
    /** From the file's movie header, never from the client. */
    seconds: { type: Number, required: true },
    orgId: { type: String, required: true },
    orgPath: { type: [String], default: [] },
    countyId: { type: String, required: true },
    createdBy: { type: String, required: true },
    publishedAt: { type: Date, required: true },
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
  {
    id: String,
    title: String,
    topic: String,
    poster: { type: String, default: null },
    source: String,
    orgId: String,
    orgPath: [String],
    orgName: String,
    seconds: Number,
    publishedAt: Date,
  },
  { _id: false },
);
const VideoCatalogSchema = new Schema(
  { _id: { type: String, required: true }, items: { type: Map, of: VideoItemSchema, default: {} } },
  { versionKey: false },
);
export type VideoItem = InferSchemaType<typeof VideoItemSchema>;
export const VideoCatalogModel = model('StudyVideoCatalog', VideoCatalogSchema, 'study_video_catalog');

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

/** Counters per video for the console, `_id` = the video. */
const VideoStatsSchema = new Schema(
  {
    _id: { type: String, required: true },
    opens: { type: Number, default: 0 },
    completions: { type: Number, default: 0 },
    completedMs: { type: Number, default: 0 },
  },
  { versionKey: false },
);
export const VideoStatsModel = model('StudyVideoStats', VideoStatsSchema, 'study_video_stats');
