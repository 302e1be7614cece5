import type { CapPeriod, PointReason, PointRule } from '@pioneer/shared';

/** What one unit of a rule is, so the change reads "每日答题 每题分值 1 → 2" rather than a field name. */
const UNIT: Partial<Record<PointReason, string>> = {
  daily_quiz: '每题',
  weekly_quiz: '每题',
  topic_quiz: '每题',
  challenge_quiz: '每次',
  checkin: '每天',
  post_service: '每小时',
};
const CAP_WORDS: Record<CapPeriod, string> = { day: '每日上限', week: '每周上限', year: '每年上限' };

const capText = (cap: PointRule['cap']) => (cap ? `${CAP_WORDS[cap.per]} ${cap.max}` : '不限');

/**
 * The edits between the rules in force before and after a change, in words for the 操作记录 (issue 15: the
 * entry said what changed only as JSON). Rules are matched by reason; an unchanged rule says nothing.
 */
export function describeRuleChanges(before: readonly PointRule[], after: readonly PointRule[]): string[] {
  const out: string[] = [];
  for (const next of after) {
    const prev = before.find((r) => r.reason === next.reason);
    if (!prev) continue;
    const name = next.label;
    if (prev.enabled !== next.enabled) out.push(`${name} ${next.enabled ? '启用' : '停用'}`);
    if (prev.value !== next.value) out.push(`${name} ${UNIT[next.reason] ?? '每次'}分值 ${prev.value} → ${next.value}`);
    const prevCap = capText(prev.cap);
    const nextCap = capText(next.cap);
    if (prevCap === nextCap) continue;
    if (prev.cap && next.cap && prev.cap.per === next.cap.per)
      out.push(`${name} ${CAP_WORDS[next.cap.per]} ${prev.cap.max} → ${next.cap.max}`);
    else out.push(`${name} 上限 ${prevCap} → ${nextCap}`);
  }
  return out;
}
