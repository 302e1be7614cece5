import type { PointReason } from '@pioneer/shared';

/**
 * Every `_id` of the points collections, built and parsed here only (FerretDB serves key reads, so these formats are
 * the storage layout: changing one orphans what is stored).
 */

/** A member's own totals, independent of the org they are in now: what "my points" shows. */
export const SELF_SCOPE = 'self';

/** `${periodId}|${scopeId}|${userId}`: a member's points in one scope and period. */
export const totalId = (periodId: string, scopeId: string, userId: string) => `${periodId}|${scopeId}|${userId}`;

/** `${periodId}|${scopeId}`: a scope's histogram and its top board. */
export const scopeKey = (periodId: string, scopeId: string) => `${periodId}|${scopeId}`;

/**
 * `floors|${countyId}`: the floors of every trimmed board of a county (board.ts), kept with the boards. No period id
 * is `floors`, so it never names a board.
 */
export const floorsId = (countyId: string) => `floors|${countyId}`;

export function parseScopeKey(key: string): { periodId: string; scopeId: string } {
  const [periodId, scopeId] = key.split('|') as [string, string];
  return { periodId, scopeId };
}

/** `${reason}|${capPeriodKey}|${userId}`: the claims on one member's cap of one reason in one cap period. */
export const capId = (reason: string, capPeriodKey: string, userId: string) => `${reason}|${capPeriodKey}|${userId}`;

/** `${userId}|${month}`: a member's ledger lines of one month (the points history page). */
export const feedId = (userId: string, month: string) => `${userId}|${month}`;

type PaidReason = Exclude<PointReason, 'manual_adjustment'>;

/**
 * The payment key (the ledger entry's `_id`) of each rule: what one payment is, so it pays once. `of` is the period
 * or the thing paid for, as the comment says. These are stored ids: a format never changes.
 */
const PAY_KEYS: Record<PaidReason, (userId: string, of: string) => string> = {
  /** of: the Shanghai day */
  daily_quiz: (u, day) => `quiz|daily|${u}|${day}`,
  /** of: the ISO week */
  weekly_quiz: (u, week) => `quiz|weekly|${u}|${week}`,
  /** of: the topic tag */
  topic_quiz: (u, topic) => `quiz|topic|${u}|${topic}`,
  /** of: the Shanghai day */
  challenge_quiz: (u, day) => `quiz|challenge|${u}|${day}`,
  /** of: the Shanghai day */
  checkin: (u, day) => `checkin|${u}|${day}`,
  /** of: the year */
  commitment_approved: (u, year) => `commitment|approved|${u}|${year}`,
  /** of: the year */
  commitment_evaluated: (u, year) => `commitment|evaluated|${u}|${year}`,
  /** of: the service record */
  post_service: (_u, recordId) => `record|${recordId}`,
  /** of: the wish */
  wish_fulfilled: (_u, wishId) => `wish|${wishId}`,
  /** of: the activity */
  activity_attended: (u, activityId) => `activity|${activityId}|${u}`,
  /** of: the year */
  review_grade: (u, year) => `review|grade|${u}|${year}`,
  /** of: the study article */
  study_read: (u, articleId) => `study|read|${articleId}|${u}`,
  /** of: the study video */
  study_watch: (u, videoId) => `study|watch|${videoId}|${u}`,
  /** of: the task's receiver (`${taskId}|${receiverId}`): one acceptance pays once */
  task_accepted: (_u, assignmentId) => `task|${assignmentId}`,
};

export const payKey = (reason: PaidReason, userId: string, of: string | number) => PAY_KEYS[reason](userId, String(of));
