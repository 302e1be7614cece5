import type { Activity } from '@pioneer/shared';
import { ACTIVITY_STATUS_LABELS, ACTIVITY_TYPE_LABELS } from '@pioneer/shared/src/activities';
import { dayKey, formatShanghai, shanghaiInstant } from '@pioneer/shared/src/time';

export const ACTIVITY_PAGES = {
  list: '/pages/activities/index',
  detail: (id: string) => `/pages/activity/index?id=${encodeURIComponent(id)}`,
  manage: (id: string) => `/console/activity-manage/index?id=${encodeURIComponent(id)}`,
  /** The weapp's QR full screen: a page without WeChat's navigation bar (`navigationStyle: 'custom'`). */
  qr: (id: string) => `/console/activity-qr/index?id=${encodeURIComponent(id)}`,
  records: '/console/activity-records/index',
} as const;

export const typeLabel = (a: Pick<Activity, 'type'>) => ACTIVITY_TYPE_LABELS[a.type];
/** The type as a tag, or null when the title already says it ("主题党日 · 主题党日：…" read it twice). */
export const typeTag = (a: Pick<Activity, 'type' | 'title'>) => (a.title.includes(typeLabel(a)) ? null : typeLabel(a));
/** `主题党日 · 学习…`, or the title alone when it names its type. */
export function titleWithType(a: Pick<Activity, 'type' | 'title'>): string {
  const tag = typeTag(a);
  return tag ? `${tag} · ${a.title}` : a.title;
}
export const statusLabel = (a: Pick<Activity, 'status'>) => ACTIVITY_STATUS_LABELS[a.status];

/** `11月28日 09:00–11:00`, Shanghai time; an end on the next day is `次日 00:30`, a later one names its date. */
export function activityWhen(a: Pick<Activity, 'startsAt' | 'endsAt'>): string {
  const [from, to] = [dayKey(a.startsAt), dayKey(a.endsAt)];
  const end =
    to === from
      ? formatShanghai(a.endsAt, 'HH:mm')
      : to === dayKey(shanghaiInstant(from, '12:00:00').getTime() + 86_400_000)
        ? `次日 ${formatShanghai(a.endsAt, 'HH:mm')}`
        : formatShanghai(a.endsAt, 'M月D日 HH:mm');
  return `${formatShanghai(a.startsAt, 'M月D日 HH:mm')}–${end}`;
}

export const LEAVE_LABELS = { pending: '请假待批准', approved: '请假已批准', refused: '请假未批准' } as const;
