/** Branch activities (三会一课 · 主题党日 · 红色星期六): types, rules and the required frequencies. */
export const ACTIVITY_TYPES = [
  'party_congress',
  'committee',
  'group',
  'lecture',
  'theme_day',
  'red_saturday',
  'life_meeting',
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export const ACTIVITY_TYPE_LABELS: Record<ActivityType, string> = {
  party_congress: '支部党员大会',
  committee: '支委会',
  group: '党小组会',
  lecture: '党课',
  theme_day: '主题党日',
  red_saturday: '红色星期六',
  /** 组织生活会 (issue 21): yearly, with 对照检查 and 谈心谈话 before it and a 问题清单 after it. */
  life_meeting: '组织生活会',
};

/**
 * Who an activity expects: the branch's members, or for a 支委会 its committee (issue 15: 支委会 attendance was
 * measured against every member, 实到 1/13). Members carry no committee flag; the committee is who holds the
 * secretary role or whose 职务 (identity.dutyTitle, from the roster or the 亮身份 card) names a 书记 or 委员 post
 * (支部书记, 副书记, 组织委员, 宣传委员, 纪检委员, 支部委员).
 */
export const EXPECTED_SCOPES = ['members', 'committee'] as const;
export type ExpectedScope = (typeof EXPECTED_SCOPES)[number];
export const EXPECTED_SCOPE_LABELS: Record<ExpectedScope, string> = { members: '全体党员', committee: '支委委员' };
export const expectedScopeOf = (type: ActivityType): ExpectedScope => (type === 'committee' ? 'committee' : 'members');
const COMMITTEE_DUTY_RE = /书记|委员|支委/;
/** 驻村第一书记 is a cadre sent to the village, not a member of the branch committee. */
const NOT_COMMITTEE_RE = /第一书记|驻村/;
export function isCommitteeMember(m: { roles?: readonly string[] | null; dutyTitle?: string | null }): boolean {
  const duty = m.dutyTitle ?? '';
  return (m.roles ?? []).includes('secretary') || (COMMITTEE_DUTY_RE.test(duty) && !NOT_COMMITTEE_RE.test(duty));
}

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
  life_meeting: 'none',
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
