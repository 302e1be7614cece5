import { amountFor, dayKey, periodIds, ruleFor, type ActivityType, type PointReason } from '@pioneer/shared';
import { isWorkingDay } from '@pioneer/shared/src/holidays';
import { ActivityModel } from '../activities/activities.model';
import { OrgModel, type OrgDoc } from '../orgs/orgs.model';

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
      // Cadres come on most working days (a believable 在岗率, under 100%), never on a day off.
      if (m.cadre && isWorkingDay(dayKey(at)) && random() < 0.88) line(m, 'checkin', 1, `c${ref}`, at);
      if (random() < keen / 8) line(m, 'post_service', 1 + Math.floor(random() * 4), `s${ref}`, at);
      if (random() < keen / 40) line(m, 'wish_fulfilled', 1, `w${ref}`, at);
      // A branch meets every other Saturday-ish: most of its members sign in.
      if (day % 14 === 6 && random() < 0.3 + keen) line(m, 'activity_attended', 1, `a${m.scopes.at(-1)}-${day}`, at);
    });
  }
  return lines;
}

/** A branch's fortnightly meetings alternate 支委会 and 党小组会 (so most months meet the 三会一课 frequency). */
const HISTORY_TYPES: ActivityType[] = ['committee', 'group', 'committee', 'group', 'lecture', 'party_congress'];

/**
 * The history's meetings as activity documents (held and closed; kept out of each branch's lists, which are read
 * through its index), so the rebuild knows their types: the board's 三会一课 compliance has months to show.
 */
export async function demoHistoryActivities(lines: Record<string, unknown>[]): Promise<void> {
  const held = new Map<string, { branchId: string; at: Date }>();
  for (const l of lines)
    if (l.reason === 'activity_attended' && !held.has(l.refId as string))
      held.set(l.refId as string, { branchId: (l.scopes as string[]).at(-1)!, at: l.at as Date });
  const names = new Map<string, string>();
  for (const { branchId } of held.values())
    if (!names.has(branchId))
      names.set(branchId, (await OrgModel.findById(branchId, { name: 1 }).lean<OrgDoc>())?.name ?? '支部');
  const docs = [...held].map(([id, a]) => ({
    _id: id,
    branchId: a.branchId,
    branchName: names.get(a.branchId)!,
    type: HISTORY_TYPES[Math.floor(a.at.getTime() / (14 * DAY)) % HISTORY_TYPES.length]!,
    title: '支部例会',
    startsAt: a.at,
    endsAt: new Date(a.at.getTime() + 2 * 3600 * 1000),
    createdBy: 'demo',
    createdAt: a.at,
  }));
  for (let i = 0; i < docs.length; i += 50) await ActivityModel.insertMany(docs.slice(i, i + 50));
}
