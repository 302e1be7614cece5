import type { Post } from '@pioneer/shared';
import { formatShanghai } from '@pioneer/shared/src/time';

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
