import type { Post } from '@pioneer/shared';
import { POST_LIMITS } from '@pioneer/shared/src/posts';
import { dayKey, formatShanghai, shanghaiInstant } from '@pioneer/shared/src/time';

/** 2 -> "2", 1.5 -> "1.5". */
export function formatHours(hours: number): string {
  return Number.isInteger(hours) ? String(hours) : hours.toFixed(1);
}

/** `11月25日` for a post's start or end. */
export function formatDay(iso: string): string {
  return formatShanghai(iso, 'M月D日');
}

/** The post's time window in words, or null when it has none. */
export function postWindow(post: Pick<Post, 'startsAt' | 'endsAt'>): string | null {
  if (post.startsAt && post.endsAt) return `${formatDay(post.startsAt)} 至 ${formatDay(post.endsAt)}`;
  if (post.startsAt) return `${formatDay(post.startsAt)} 起`;
  if (post.endsAt) return `截至 ${formatDay(post.endsAt)}`;
  return null;
}

/** A list of skills as typed (commas of either width, 、 or spaces). */
export function splitList(text: string): string[] {
  return Array.from(
    new Set(
      text
        .split(/[,，、\s]+/)
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  );
}

const DAY_MS = 86_400_000;
const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'] as const;

/** `11月27日 周五` for a Shanghai day (`YYYY-MM-DD`). */
export function dayLabel(day: string): string {
  const at = shanghaiInstant(day, '12:00:00');
  return `${formatShanghai(at, 'M月D日')} 周${WEEKDAYS[new Date(Date.UTC(...ymd(day))).getUTCDay()]}`;
}

function ymd(day: string): [number, number, number] {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return [y, m - 1, d];
}

/** The days a member may name as served: today and up to POST_LIMITS.selfDaysBack back (the server's rule). */
export function servedDayChoices(now: number = Date.now()): { value: string; label: string }[] {
  return Array.from({ length: POST_LIMITS.selfDaysBack + 1 }, (_, i) => {
    const day = dayKey(now - i * DAY_MS);
    const near = ['今天', '昨天', '前天'][i];
    return { value: day, label: near ?? formatShanghai(shanghaiInstant(day, '12:00:00'), 'M月D日') };
  });
}
