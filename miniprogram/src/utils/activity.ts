import type { Activity } from '@pioneer/shared';
import { ACTIVITY_STATUS_LABELS, ACTIVITY_TYPE_LABELS } from '@pioneer/shared/src/activities';
import { formatShanghai } from '@pioneer/shared/src/time';

export const ACTIVITY_PAGES = {
  list: '/pages/activities/index',
  detail: (id: string) => `/pages/activity/index?id=${encodeURIComponent(id)}`,
  manage: (id: string) => `/console/activity-manage/index?id=${encodeURIComponent(id)}`,
  records: '/console/activity-records/index',
} as const;

export const typeLabel = (a: Pick<Activity, 'type'>) => ACTIVITY_TYPE_LABELS[a.type];
export const statusLabel = (a: Pick<Activity, 'status'>) => ACTIVITY_STATUS_LABELS[a.status];

/** `11月28日 09:00–11:00`, Shanghai time. */
export function activityWhen(a: Pick<Activity, 'startsAt' | 'endsAt'>): string {
  return `${formatShanghai(a.startsAt, 'M月D日 HH:mm')}–${formatShanghai(a.endsAt, 'HH:mm')}`;
}

export const LEAVE_LABELS = { pending: '请假待批准', approved: '请假已批准', refused: '请假未批准' } as const;
