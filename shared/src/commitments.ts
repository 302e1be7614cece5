/** 亮承诺 constants without zod, so the app can import them from `@pioneer/shared/src/commitments`. */
/** 亮承诺: one commitment per member per year, 1–5 items of at most 200 characters. */
export const COMMITMENT_LIMITS = {
  itemsMin: 1,
  itemsMax: 5,
  itemMax: 200,
  commentMax: 300,
  progressMax: 500,
  photosMax: 6,
  wallPageMax: 50,
} as const;

export const COMMITMENT_STATUSES = ['draft', 'submitted', 'approved', 'returned'] as const;
export const COMMITMENT_RATINGS = ['excellent', 'good', 'fair', 'poor'] as const;
export type CommitmentStatus = (typeof COMMITMENT_STATUSES)[number];
export type CommitmentRating = (typeof COMMITMENT_RATINGS)[number];

/** 评诺 pays this share of the rule's value (优秀) by rating: the units of a `commitment_evaluated` award. */
export const RATING_SHARE: Record<CommitmentRating, number> = { excellent: 1, good: 0.6, fair: 0.3, poor: 0 };
export const RATING_LABELS: Record<CommitmentRating, string> = {
  excellent: '优秀',
  good: '良好',
  fair: '一般',
  poor: '较差',
};
export const STATUS_LABELS: Record<CommitmentStatus, string> = {
  draft: '草稿',
  submitted: '待审核',
  approved: '已通过',
  returned: '已退回',
};
