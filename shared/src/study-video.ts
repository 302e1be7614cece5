import { z } from 'zod';
import { IdSchema } from './schemas/common';
import { UPLOAD_URL_RE } from './uploads';
import { STUDY_TOPICS, type StudyTopic } from './study';

/**
 * 学习视频 (issue 20): MP4/H.264 uploaded by county admins, streamed with HTTP Range, watched in heartbeats on the
 * server's clock, paid (`study_watch`) at 80% of the duration really watched.
 */
export const VIDEO_RULES = {
  maxBytes: 200 * 1024 * 1024,
  field: 'file',
  /**
   * How long the console waits for a video upload: 200 MB at ~2 Mbit/s (a slow village line) takes ~14 min. The
   * server's request timeout (server/src/http/http-server.ts) is longer, so it never cuts the upload first.
   */
  uploadTimeoutMs: 15 * 60_000,
  /** The share of the duration the server's clock must show watched before the video pays. */
  watchShare: 0.8,
  /** The page beats this often while playing. */
  beatSeconds: 5,
  /** A beat credits at most this much (a phone locked without a visibility event stops counting here). */
  maxBeatSeconds: 15,
  /** Beats closer together than this are refused: a client sending them faster than real time gains nothing. */
  minBeatMs: 1000,
  /** Videos shorter than this are refused (nothing to watch), longer than this too (an upload mistake). */
  minSeconds: 3,
  maxSeconds: 3 * 3600,
} as const;

/** `<yyyy-mm>/<32 hex>.mp4`: a stored video file, named by the server. */
export const VIDEO_FILE_RE = /^\d{4}-\d{2}\/[a-f0-9]{32}\.mp4$/;

export const CreateVideoBodySchema = z.object({
  org: IdSchema,
  title: z.string().trim().min(2, '标题至少2个字').max(60, '标题不能超过60字'),
  topic: z.enum(STUDY_TOPICS, { error: '请选择学习专题' }),
  /** The upload's answer (POST /study/admin/videos/files). */
  file: z.string().regex(VIDEO_FILE_RE, '请先上传视频文件'),
  poster: z.string().regex(UPLOAD_URL_RE, '封面须通过上传获得').nullable().default(null),
  source: z.string().trim().max(40, '来源不能超过40字').default(''),
});
export type CreateVideoBody = z.infer<typeof CreateVideoBodySchema>;

export const WatchBeatBodySchema = z.object({
  /** The player's position, seconds (kept for resuming; the credited time is the server's clock). */
  position: z.number().min(0).max(VIDEO_RULES.maxSeconds),
});

export const StudyMonthQuerySchema = z.object({
  org: IdSchema.optional(),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM'),
});

export interface VideoFileReply {
  file: string;
  seconds: number;
  bytes: number;
}

export interface VideoSummary {
  id: string;
  title: string;
  topic: StudyTopic;
  poster: string | null;
  source: string;
  orgId: string;
  orgName: string;
  seconds: number;
  publishedAt: string;
  /** 已学: this member completed watching it. */
  watched?: boolean;
  fav?: boolean;
}

export interface VideoView extends VideoSummary {
  /** Where the player streams it: carries a short-lived token, since <video> cannot send a bearer header. */
  src: string;
  paid: boolean;
}

export interface WatchSession {
  id: string;
  videoId: string;
  seconds: number;
  /** Seconds the server's clock has counted as watched. */
  watchedSeconds: number;
  /** What must be counted before it pays. */
  needSeconds: number;
  running: boolean;
  completed: boolean;
  position: number;
}

export interface WatchResult {
  session: WatchSession;
  awarded: number;
  unpaid: 'already_paid' | 'daily_cap' | null;
}

export interface StudyLedgerRow {
  userId: string;
  name: string;
  branch: string;
  articles: number;
  videos: number;
  quizzes: number;
  points: number;
  /** Study time the server credited this month (reading + watching), in minutes to one decimal. */
  studyMinutes: number;
  readMinutes: number;
  watchMinutes: number;
}

export interface AdminVideoRow extends VideoSummary {
  opens: number;
  completions: number;
  completionRate: number;
  /** Average counted seconds of a completed watching. */
  averageSeconds: number;
}
