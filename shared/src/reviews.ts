/** 民主评议党员 (issue 21): the four grades, their labels and what each pays under the `review_grade` rule. */
export const REVIEW_GRADES = ['excellent', 'qualified', 'basic', 'unqualified'] as const;
export type ReviewGrade = (typeof REVIEW_GRADES)[number];

export const REVIEW_GRADE_LABELS: Record<ReviewGrade, string> = {
  excellent: '优秀',
  qualified: '合格',
  basic: '基本合格',
  unqualified: '不合格',
};

/** Share of the rule's value a final grade pays (优秀 the value, 合格 60%, 基本合格 30%, 不合格 nothing). */
export const REVIEW_GRADE_SHARE: Record<ReviewGrade, number> = {
  excellent: 1,
  qualified: 0.6,
  basic: 0.3,
  unqualified: 0,
};

/** Results are shown only when at least this many members voted: fewer ballots could be traced to their voters. */
export const REVIEW_MIN_VOTERS = 5;
/** 优秀 at most this share of the round's members unless the county sets another. */
export const REVIEW_DEFAULT_EXCELLENT_SHARE = 0.3;
export const REVIEW_COMMENT_MAX = 200;
export const REVIEW_REASON_MAX = 300;

/** A grade that needs the township: 不合格 is set by the branch and confirmed (or sent back) above it. */
export type ReviewGradeStatus = 'final' | 'pending';

/** How many 优秀 a round of `members` may have under `share`. */
export const excellentCap = (members: number, share: number) => Math.floor(members * share + 1e-9);

/** 整改清单 (issue 21 item 1): 待整改 -> 已整改 (with evidence) -> 已销号. */
export const RECTIFY_STATUSES = ['open', 'done', 'closed'] as const;
export type RectifyStatus = (typeof RECTIFY_STATUSES)[number];
export const RECTIFY_STATUS_LABELS: Record<RectifyStatus, string> = {
  open: '待整改',
  done: '已整改',
  closed: '已销号',
};
/** A member's item is closed by the secretary; a branch-level item by the township (an admin above the branch). */
export type RectifyLevel = 'member' | 'branch';
export const RECTIFY_TEXT_MAX = 300;
