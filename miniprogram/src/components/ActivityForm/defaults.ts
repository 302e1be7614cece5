import type { ActivityType } from '@pioneer/shared';
import { dayKey, formatShanghai, shanghaiInstant } from '@pioneer/shared/src/time';

/** How long each kind of meeting usually runs, in minutes: the form's end time until the secretary sets one. */
export const DURATION_MINUTES: Record<ActivityType, number> = {
  party_congress: 120,
  committee: 90,
  group: 60,
  lecture: 90,
  theme_day: 120,
  red_saturday: 180,
  life_meeting: 180,
};

export interface When {
  day: string;
  start: string;
  end: string;
}

/** The next full hour in Shanghai (a night-time publish lands tomorrow) and the type's usual length. */
export function defaultWhen(type: ActivityType, now: number = Date.now()): When {
  const next = Math.floor(now / 3_600_000) * 3_600_000 + 3_600_000;
  const start = formatShanghai(next, 'HH:mm');
  return { day: dayKey(next), start, end: endAfter(start, type) };
}

/** `start` plus the type's length, as a wall-clock time (it may fall on the next day: see crossesMidnight). */
export function endAfter(start: string, type: ActivityType): string {
  const [h, m] = start.split(':').map(Number);
  const total = (h! * 60 + m! + DURATION_MINUTES[type]) % (24 * 60);
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** An end at or before the start means the next day (a meeting from 20:00 to 次日 00:30). */
export const crossesMidnight = (start: string, end: string) => end <= start;

/** The instants the form's day and times stand for. */
export function instantsOf(w: When): { startsAt: string; endsAt: string } {
  const startsAt = shanghaiInstant(w.day, `${w.start}:00`);
  let endsAt = shanghaiInstant(w.day, `${w.end}:00`);
  if (crossesMidnight(w.start, w.end)) endsAt = new Date(endsAt.getTime() + 86_400_000);
  return { startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() };
}

/** The form's day and times for an existing activity. */
export const whenOf = (a: { startsAt: string; endsAt: string }): When => ({
  day: dayKey(a.startsAt),
  start: formatShanghai(a.startsAt, 'HH:mm'),
  end: formatShanghai(a.endsAt, 'HH:mm'),
});
