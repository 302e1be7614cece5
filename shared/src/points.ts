/** 党员积分制管理: the default rules table. One place, read by the server (to enforce) and the app (to show). */

export const POINT_REASONS = [
  'daily_quiz',
  'weekly_quiz',
  'topic_quiz',
  'challenge_quiz',
  'checkin',
  'commitment_approved',
  'commitment_evaluated',
  'post_service',
  'wish_fulfilled',
  'activity_attended',
  'manual_adjustment',
] as const;
export type PointReason = (typeof POINT_REASONS)[number];

export type CapPeriod = 'day' | 'week' | 'year';

export interface PointRule {
  reason: PointReason;
  label: string;
  /** How the points are earned, in members' words. */
  earns: string;
  /** At most this many points per member per cap period; null means no summing cap. */
  cap: { per: CapPeriod; max: number } | null;
  enabled: boolean;
}

export const DEFAULT_POINT_RULES: readonly PointRule[] = [
  { reason: 'daily_quiz', label: '每日答题', earns: '每答对1题得1分，仅当天首次提交计分', cap: { per: 'day', max: 5 }, enabled: true },
  { reason: 'weekly_quiz', label: '每周答题', earns: '每答对1题得1分，每周一次', cap: { per: 'week', max: 10 }, enabled: true },
  { reason: 'topic_quiz', label: '专项答题', earns: '每答对1题得1分，每个专题一次', cap: null, enabled: true },
  { reason: 'challenge_quiz', label: '挑战答题', earns: '连续答对5题及以上得3分', cap: { per: 'day', max: 3 }, enabled: true },
  { reason: 'checkin', label: '驻村打卡', earns: '在村内打卡得1分', cap: { per: 'day', max: 1 }, enabled: true },
  { reason: 'commitment_approved', label: '承诺审核通过', earns: '年度承诺审核通过得2分', cap: { per: 'year', max: 2 }, enabled: true },
  { reason: 'commitment_evaluated', label: '年终评诺', earns: '优秀10分、良好6分、一般3分、较差0分', cap: { per: 'year', max: 10 }, enabled: true },
  { reason: 'post_service', label: '公益岗位服务', earns: '服务每小时得2分，经书记确认', cap: { per: 'day', max: 8 }, enabled: true },
  { reason: 'wish_fulfilled', label: '微心愿圆梦', earns: '完成微心愿并经确认得5分', cap: null, enabled: true },
  { reason: 'activity_attended', label: '参加组织生活', earns: '参加三会一课、主题党日、红色星期六得3分', cap: null, enabled: true },
  { reason: 'manual_adjustment', label: '书记调整', earns: '书记或管理员填写理由后调整', cap: null, enabled: true },
];

export const POINT_REASON_LABELS: Record<PointReason, string> = Object.fromEntries(
  DEFAULT_POINT_RULES.map((r) => [r.reason, r.label]),
) as Record<PointReason, string>;

export function ruleFor(reason: PointReason, rules: readonly PointRule[] = DEFAULT_POINT_RULES): PointRule {
  const rule = rules.find((r) => r.reason === reason);
  if (!rule) throw new Error(`no points rule for ${reason}`);
  return rule;
}

export interface CapClaim {
  /** The idempotency key of the award that asked. */
  key: string;
  /** Points it asked for. */
  asked: number;
}

/**
 * How many points the award `key` is granted under a summing cap, given every claim made in the cap period in
 * the order the database recorded them. Deterministic, so a retried award recomputes the same grant; a repeated
 * claim of the same key counts only once.
 */
export function grantFromClaims(claims: readonly CapClaim[], key: string, max: number): number {
  let used = 0;
  const seen = new Set<string>();
  for (const claim of claims) {
    if (seen.has(claim.key)) continue;
    seen.add(claim.key);
    const grant = Math.max(0, Math.min(claim.asked, max - used));
    if (claim.key === key) return grant;
    used += grant;
  }
  return 0;
}
