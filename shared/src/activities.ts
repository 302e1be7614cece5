/** Branch activities (三会一课 · 主题党日 · 红色星期六): types, rules and the required frequencies. */
export const ACTIVITY_TYPES = ['party_congress', 'committee', 'group', 'lecture', 'theme_day', 'red_saturday'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export const ACTIVITY_TYPE_LABELS: Record<ActivityType, string> = {
  party_congress: '支部党员大会',
  committee: '支委会',
  group: '党小组会',
  lecture: '党课',
  theme_day: '主题党日',
  red_saturday: '红色星期六',
};

export const ACTIVITY_STATUSES = ['planned', 'open', 'closed'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];
export const ACTIVITY_STATUS_LABELS: Record<ActivityStatus, string> = {
  planned: '未开始',
  open: '签到中',
  closed: '已结束',
};

export const ACTIVITY_RULES = {
  /** The QR token rotates every slot; a token is accepted for its slot and the next one. */
  qrSlotSeconds: 30,
  qrValidSeconds: 60,
  /** Signing in after startsAt + this is marked late. */
  lateAfterMinutes: 15,
  /** Sign-in opens this long before startsAt (unless the secretary opens it by hand). */
  opensBeforeMinutes: 30,
  /** Wrong typed codes a member may try per activity before only the QR is accepted. */
  codeTriesMax: 10,
  titleMax: 60,
  topicMax: 200,
  reasonMax: 200,
  minutesMax: 5000,
  photosMax: 9,
  idleDaysDefault: 30,
} as const;

export const ACTIVITY_FREQUENCY_VALUES = ['none', 'monthly', 'quarterly'] as const;
export type Frequency = (typeof ACTIVITY_FREQUENCY_VALUES)[number];
export const FREQUENCY_LABELS: Record<Frequency, string> = { none: '不要求', monthly: '每月', quarterly: '每季度' };

/**
 * 三会一课 required frequencies ("定频次"): the defaults. A county's admin may override every type
 * (`GET/PUT /activities/frequencies`); the record book counts against the county's values.
 */
export const ACTIVITY_FREQUENCIES: Readonly<Record<ActivityType, Frequency>> = {
  party_congress: 'quarterly',
  committee: 'monthly',
  group: 'monthly',
  lecture: 'quarterly',
  theme_day: 'none',
  red_saturday: 'none',
};

/** How many of a type a quarter requires. */
export function requiredPerQuarter(freq: Frequency | undefined): number {
  return freq === 'monthly' ? 3 : freq === 'quarterly' ? 1 : 0;
}

/** planned / open / closed from the clock, unless the secretary set it. */
export function activityStatusAt(
  a: { startsAt: string | Date; endsAt: string | Date; statusOverride?: ActivityStatus | null },
  now: Date | number = Date.now(),
): ActivityStatus {
  if (a.statusOverride) return a.statusOverride;
  const t = typeof now === 'number' ? now : now.getTime();
  const opens = new Date(a.startsAt).getTime() - ACTIVITY_RULES.opensBeforeMinutes * 60_000;
  if (t < opens) return 'planned';
  if (t > new Date(a.endsAt).getTime()) return 'closed';
  return 'open';
}
