/**
 * 认领公益岗位 and 微心愿: categories, states, limits and points, shared by the server (which enforces them) and the
 * app (which shows them). No zod here, so the app can import these values without the schemas.
 */
export const POST_CATEGORIES = [
  '医务救助',
  '法律维权',
  '民事调解',
  '交通引导',
  '环境整治',
  '治水护水',
  '政策宣讲',
  '帮困助老',
  '其他',
] as const;
export type PostCategory = (typeof POST_CATEGORIES)[number];

export const POST_STATUSES = ['open', 'closed'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];
export const POST_STATUS_LABELS: Record<PostStatus, string> = { open: '招募中', closed: '已结束' };

/** active: holds a seat; released: the member gave it back; removed: the secretary took it back. */
export const CLAIM_STATUSES = ['active', 'released', 'removed'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export const RECORD_STATUSES = ['pending', 'confirmed', 'rejected'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];
export const RECORD_STATUS_LABELS: Record<RecordStatus, string> = {
  pending: '待确认',
  confirmed: '已确认',
  rejected: '未通过',
};

/** What a member sees: `claimed` is an open wish someone holds; `fulfilled` waits for the secretary. */
export const WISH_STATUSES = ['open', 'claimed', 'fulfilled', 'confirmed', 'closed'] as const;
export type WishStatus = (typeof WISH_STATUSES)[number];
export const WISH_STATUS_LABELS: Record<WishStatus, string> = {
  open: '待认领',
  claimed: '已认领',
  fulfilled: '待确认',
  confirmed: '已圆梦',
  closed: '已关闭',
};

export const SERVICE_DECISIONS = ['confirm', 'reject'] as const;
export type ServiceDecision = (typeof SERVICE_DECISIONS)[number];

export const POST_LIMITS = {
  titleMin: 2,
  titleMax: 40,
  descriptionMax: 1000,
  skillMax: 20,
  skillsMax: 8,
  capacityMin: 1,
  capacityMax: 1000,
  hoursMin: 0.5,
  hoursMax: 12,
  /** Hours are logged in half hours, so 2 points an hour is always a whole number. */
  hoursStep: 0.5,
  resolvedMax: 99,
  noteMin: 2,
  noteMax: 500,
  photosMax: 6,
  commentMax: 200,
  /** 代为登记: a secretary records service for a member without a smartphone up to this many days back. */
  proxyDaysBack: 30,
  /** 记录服务: a member names the day served, today or up to this many days back (a week's memory, no more). */
  selfDaysBack: 7,
  proxyReasonMin: 2,
  proxyReasonMax: 200,
} as const;

export const WISH_LIMITS = {
  titleMin: 2,
  titleMax: 40,
  descriptionMax: 500,
  residentNameMax: 20,
  contactMax: 40,
  noteMin: 2,
  noteMax: 500,
  photosMax: 6,
} as const;

export function seatsLeft(post: { capacity: number; taken: number }): number {
  return Math.max(0, post.capacity - post.taken);
}
