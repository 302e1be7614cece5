import { z } from 'zod';
import { IdSchema } from './schemas/common';
import { UPLOAD_URL_RE } from './uploads';

/**
 * 学习 beyond quizzes (issue 20): articles that count only when really read. One rule set for the server (which
 * enforces it) and the app (which shows it).
 */

/** The question bank's topics (the seed bank's tags): an article is filed under one of them. */
export const STUDY_TOPICS = [
  '党章党规',
  '党史',
  '为民服务',
  '基层治理',
  '组织生活',
  '乡村振兴',
  '党员权利义务',
  '党员积分制',
  '三会一课',
] as const;
export type StudyTopic = (typeof STUDY_TOPICS)[number];

export const STUDY_RULES = {
  /** A reader takes about a second for 15 characters of Chinese. */
  charsPerSecond: 15,
  minSeconds: 30,
  maxSeconds: 180,
  /** The range an admin may set an article's minimum to by hand. */
  editableMinSeconds: 10,
  editableMaxSeconds: 600,
  titleMax: 60,
  sourceMax: 40,
  /** Articles a county keeps in its catalogue (one key document read by every 学习 tab). */
  catalogMax: 500,
} as const;

/** The reading time an article needs before it counts: from its length, clamped to 30–180 s. */
export function minReadSeconds(plainChars: number): number {
  const s = Math.ceil(plainChars / STUDY_RULES.charsPerSecond);
  return Math.min(STUDY_RULES.maxSeconds, Math.max(STUDY_RULES.minSeconds, s));
}

const articleFields = {
  title: z.string().trim().min(2, '标题至少2个字').max(STUDY_RULES.titleMax, `标题不能超过${STUDY_RULES.titleMax}字`),
  topic: z.enum(STUDY_TOPICS, { error: '请选择学习专题' }),
  cover: z.string().regex(UPLOAD_URL_RE, '封面须通过上传获得').nullable(),
  source: z.string().trim().max(STUDY_RULES.sourceMax, `来源不能超过${STUDY_RULES.sourceMax}字`),
  /** HTML; the server keeps only what its sanitizer allows. */
  body: z.string().min(1, '请填写正文').max(200_000, '正文过长'),
  /** Null: from the length. */
  minSeconds: z
    .number()
    .int('最短阅读时间须为整数秒')
    .min(STUDY_RULES.editableMinSeconds, `最短阅读时间不能少于${STUDY_RULES.editableMinSeconds}秒`)
    .max(STUDY_RULES.editableMaxSeconds, `最短阅读时间不能超过${STUDY_RULES.editableMaxSeconds}秒`)
    .nullable(),
};

export const CreateArticleBodySchema = z.object({
  org: IdSchema,
  ...articleFields,
  cover: articleFields.cover.default(null),
  source: articleFields.source.default(''),
  minSeconds: articleFields.minSeconds.default(null),
});
export type CreateArticleBody = z.infer<typeof CreateArticleBodySchema>;

/** Without defaults: PATCH must not reset what the admin left out. */
export const PatchArticleBodySchema = z.object(articleFields).partial();
export type PatchArticleBody = z.infer<typeof PatchArticleBodySchema>;

export const ArticleListQuerySchema = z.object({
  topic: z.enum(STUDY_TOPICS).optional(),
  q: z.string().trim().max(30).optional(),
  /** Only the member's 收藏. */
  fav: z.enum(['1']).optional(),
});

export const CompleteReadingBodySchema = z.object({
  /** The page saw the article's last line. */
  reachedEnd: z.boolean(),
});

export interface ArticleSummary {
  id: string;
  title: string;
  topic: StudyTopic;
  cover: string | null;
  source: string;
  orgId: string;
  orgName: string;
  chars: number;
  minSeconds: number;
  publishedAt: string;
  /** 已学: this member completed a reading of it. */
  read?: boolean;
  /** 收藏: this member keeps it in their favourites. */
  fav?: boolean;
}

export interface ArticleView extends ArticleSummary {
  body: string;
  /** Its 1 point has been paid to this member. */
  paid: boolean;
}

export interface ReadingSession {
  id: string;
  articleId: string;
  minSeconds: number;
  /** Counted reading time so far, by the server's clock (paused time excluded). */
  activeSeconds: number;
  running: boolean;
  completed: boolean;
}

export interface ReadingResult {
  session: ReadingSession;
  awarded: number;
  /** Why nothing was paid: already paid for this article, or today's cap reached. */
  unpaid: 'already_paid' | 'daily_cap' | null;
}

export interface StudyItemToday {
  done: boolean;
  points: number;
}

/** The 学习 tab's daily card: every number is read from the ledger's entries. */
export interface StudyToday {
  day: string;
  read: { count: number; cap: number | null; points: number };
  watch: { count: number; cap: number | null; points: number };
  daily: StudyItemToday;
  weekly: StudyItemToday;
  challenge: StudyItemToday;
  total: number;
}

export interface AdminArticleRow extends ArticleSummary {
  opens: number;
  completions: number;
  /** completions / opens, 0..1. */
  completionRate: number;
  /** Average counted seconds of a completed reading. */
  averageSeconds: number;
  minSecondsSet: number | null;
}
