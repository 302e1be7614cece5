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
  'review_grade',
  'task_accepted',
  'study_read',
  'study_watch',
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
  /**
   * Points per time (per right answer, per hour of service; 优秀 for 年终评诺); `{v}` in `earns` is this value. A
   * county may change it from a day on: an award pays units x the value in force on the event's day (`amountFor`).
   * Null where the amount is the actor's (adjustments).
   */
  value: number | null;
}

export const DEFAULT_POINT_RULES: readonly PointRule[] = [
  {
    reason: 'daily_quiz',
    label: '每日答题',
    earns: '每答对1题得{v}分，仅当天首次提交计分',
    cap: { per: 'day', max: 5 },
    enabled: true,
    value: 1,
  },
  {
    reason: 'weekly_quiz',
    label: '每周答题',
    earns: '每答对1题得{v}分，每周一次',
    cap: { per: 'week', max: 10 },
    enabled: true,
    value: 1,
  },
  {
    reason: 'topic_quiz',
    label: '专项答题',
    earns: '每答对1题得{v}分，每个专题一次',
    cap: null,
    enabled: true,
    value: 1,
  },
  {
    reason: 'challenge_quiz',
    label: '挑战答题',
    earns: '连续答对5题及以上得{v}分',
    cap: { per: 'day', max: 3 },
    enabled: true,
    value: 3,
  },
  {
    reason: 'checkin',
    label: '驻村打卡',
    earns: '在村内打卡得{v}分',
    cap: { per: 'day', max: 1 },
    enabled: true,
    value: 1,
  },
  {
    reason: 'commitment_approved',
    label: '承诺审核通过',
    earns: '年度承诺审核通过得{v}分',
    cap: { per: 'year', max: 2 },
    enabled: true,
    value: 2,
  },
  {
    reason: 'commitment_evaluated',
    label: '年终评诺',
    earns: '优秀{v}分，良好、一般按比例（默认6分、3分），较差0分',
    cap: { per: 'year', max: 10 },
    enabled: true,
    value: 10,
  },
  {
    reason: 'post_service',
    label: '公益岗位服务',
    earns: '服务每小时得{v}分，经书记确认',
    cap: { per: 'day', max: 8 },
    enabled: true,
    value: 2,
  },
  {
    reason: 'wish_fulfilled',
    label: '微心愿圆梦',
    earns: '完成微心愿并经确认得{v}分',
    cap: null,
    enabled: true,
    value: 5,
  },
  {
    reason: 'activity_attended',
    label: '参加组织生活',
    earns: '参加三会一课、主题党日、红色星期六得{v}分',
    cap: null,
    enabled: true,
    value: 3,
  },
  {
    reason: 'review_grade',
    label: '民主评议',
    earns: '年度民主评议评定为优秀得{v}分，合格、基本合格按比例（默认6分、3分），不合格0分',
    cap: { per: 'year', max: 10 },
    enabled: true,
    value: 10,
  },
  {
    reason: 'task_accepted',
    label: '督办任务验收',
    earns: '督办任务经验收通过，按任务设定的分值每分得{v}分',
    cap: { per: 'week', max: 40 },
    enabled: true,
    value: 1,
  },
  {
    reason: 'study_read',
    label: '阅读文章',
    earns: '读完一篇文章得{v}分，每篇一次',
    cap: { per: 'day', max: 6 },
    enabled: true,
    value: 1,
  },
  {
    reason: 'study_watch',
    label: '观看视频',
    earns: '看完一个视频（实际观看不少于80%）得{v}分，每个一次',
    cap: { per: 'day', max: 6 },
    enabled: true,
    value: 1,
  },
  {
    reason: 'manual_adjustment',
    label: '书记调整',
    earns: '书记或管理员填写理由后调整',
    cap: null,
    enabled: true,
    value: null,
  },
];

export const POINT_REASON_LABELS: Record<PointReason, string> = Object.fromEntries(
  DEFAULT_POINT_RULES.map((r) => [r.reason, r.label]),
) as Record<PointReason, string>;

/** The rule's `earns` with its value in force written in. */
export const earnsText = (rule: Pick<PointRule, 'earns' | 'value'>) =>
  rule.earns.replaceAll('{v}', String(rule.value ?? ''));

/**
 * What an award pays under a rule: a feature says what happened in the rule's units (right answers, hours served,
 * 1 for a present day, an approval, a wish or an attendance, a rating's share), the rule in force says how much a
 * unit is worth. A rule without a value (adjustments) pays the units as given.
 */
export function amountFor(rule: Pick<PointRule, 'value'>, units: number): number {
  return rule.value === null ? units : Math.round(units * rule.value);
}

/** Units for an amount stated at the default value (the shape of a fixed-amount caller: `points: 5` for a wish is 1 wish). */
export function unitsAtDefault(reason: PointReason, points: number): number {
  const base = DEFAULT_POINT_RULES.find((r) => r.reason === reason)?.value;
  return base ? points / base : points;
}

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
