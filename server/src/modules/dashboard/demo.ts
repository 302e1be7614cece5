import { amountFor, periodIds, ruleFor, type PointReason } from '@pioneer/shared';

const DAY = 24 * 3600 * 1000;

export interface DemoMember {
  userId: string;
  /** The branch's chain, county first, the branch last. */
  scopes: string[];
  cadre: boolean;
}

/**
 * Ten months of history before the demo's three weeks, as ledger lines (rebuilt into the points views and the
 * 数据看板 counters like the rest of the demo): daily quizzes, branch activities every fortnight, service hours,
 * wishes and cadres' present days, with members taking part a little more each month so the trend lines rise.
 */
export function demoHistory(members: DemoMember[], now: Date, random: () => number) {
  const lines: Record<string, unknown>[] = [];
  const line = (m: DemoMember, reason: PointReason, units: number, refId: string, at: Date) => {
    const asked = amountFor(ruleFor(reason), units);
    lines.push({
      _id: `demo-h|${reason}|${refId}|${m.userId}`,
      userId: m.userId,
      delta: asked,
      asked,
      reason,
      refType: 'demo',
      refId,
      at,
      periods: periodIds(at),
      scopes: m.scopes,
      applied: false,
    });
  };
  // Some members take part most days, some hardly ever: not everyone is active every month.
  const zeal = members.map(() => 0.05 + random() * 0.95);
  for (let day = 300; day >= 21; day--) {
    const at = new Date(now.getTime() - day * DAY - 2 * 3600 * 1000);
    members.forEach((m, i) => {
      const keen = (0.04 + (0.3 * (300 - day)) / 280) * zeal[i]!;
      const ref = `${i}-${day}`;
      if (random() < keen) line(m, 'daily_quiz', 2 + Math.floor(random() * 4), `q${ref}`, at);
      if (m.cadre && random() < 0.75) line(m, 'checkin', 1, `c${ref}`, at);
      if (random() < keen / 8) line(m, 'post_service', 1 + Math.floor(random() * 4), `s${ref}`, at);
      if (random() < keen / 40) line(m, 'wish_fulfilled', 1, `w${ref}`, at);
      // A branch meets every other Saturday-ish: most of its members sign in.
      if (day % 14 === 6 && random() < 0.3 + keen) line(m, 'activity_attended', 1, `a${m.scopes.at(-1)}-${day}`, at);
    });
  }
  return lines;
}
