import {
  ACTIVITY_TYPES,
  dashboardSlots,
  meetsFrequency,
  type ActivityType,
  type DashboardCounter,
  type FrequencyTable,
} from '@pioneer/shared';
import { ActivityModel } from '../activities/activities.model';
import { frequenciesOf } from '../activities/frequencies.service';
import { heldActivity } from '../activities/activity-view';
import { isDuplicateKey } from '../../db/connect';
import { sharedValue } from '../../db/shared-view';
import { DashboardCountersModel, heldTypesId } from './dashboard.model';

/**
 * The board's branch facts (issue 18), kept as events happen beside the plain counters:
 * - 三会一课: the types of activity a branch held per slot (`held.<slot>.<type>` on `<branch>|<year>|held`); the
 *   event that makes the branch meet its county's required frequency counts `met` once for the branch and every
 *   ancestor (the `$inc` returns the counts after it, so exactly one event sees the step from "not met" to "met");
 * - idle branches: the last activity per branch and month (`lh.<branch>.<mm>`, a `$max` in every ancestor's
 *   document), so "no activity in the 30 days before the period's end" is read from the org's documents of this
 *   year and last (one command: last November–December are within 30 days of January's end);
 * (cadres' 应出勤 is not counted here: it is owed by every cadre posted, checked in or not — `cadreAttendance` reads
 * the postings from the subtree documents and each cadre's present days, `cad.<slot>.<userId>`.)
 */

export type SlotCounts = Record<string, Partial<Record<DashboardCounter, number>>>;
export type HeldTypes = Record<string, Partial<Record<ActivityType, number>>>;
/** `$max` paths per counters document. */
export type Maxes = Map<string, Record<string, number>>;

export const cadreMark = (year: number, monthSlot: string, userId: string) => `cadre|${year}|${monthSlot}|${userId}`;

/** The slots where this activity's held counts took the branch from not meeting its frequency to meeting it. */
export function metSlots(after: HeldTypes, type: ActivityType, table: FrequencyTable, slots: readonly string[]) {
  return slots.filter((slot) => {
    const now = after[slot] ?? {};
    const before = { ...now, [type]: (now[type] ?? 0) - 1 };
    return meetsFrequency(now, table, slot) && !meetsFrequency(before, table, slot);
  });
}

/** The last-activity `$max`es of an activity held at `at` in `branchId`, for each org of its chain. */
export function lastHeldMaxes(scopes: readonly string[], branchId: string, at: Date): Maxes {
  const { year, slots } = dashboardSlots(at);
  const month = slots[0].slice(1);
  const out: Maxes = new Map();
  for (const orgId of scopes) out.set(`${orgId}|${year}`, { [`lh.${branchId}.${month}`]: at.getTime() });
  return out;
}

export const metCounts = (slots: string[]): SlotCounts => Object.fromEntries(slots.map((s) => [s, { met: 1 }]));

/**
 * The activity's type, if it is one of ours (the storm and the demo pay for activities that have no document). A
 * sign-in has just checked the activity on its shared view: a type never changes, so that view answers (issue 17).
 */
export async function activityTypeOf(activityId: string): Promise<ActivityType | null> {
  const a =
    (await heldActivity(activityId)) ??
    (await ActivityModel.findById(activityId, { type: 1 }).lean<{ type?: string }>());
  return a && (ACTIVITY_TYPES as readonly string[]).includes(a.type ?? '') ? (a.type as ActivityType) : null;
}

/**
 * A county's 三会一课 table, read at most once a second per process (a shared view): a change an admin makes counts
 * from the next second on.
 */
const countyFrequencies = sharedValue(async (countyId: string) => (await frequenciesOf(countyId)).table, 1000);

/** Live: counts the activity's type for its branch and returns the slots where the branch now first meets. */
export async function countHeldType(branchId: string, countyId: string, type: ActivityType, at: Date) {
  const { year, slots } = dashboardSlots(at);
  const inc = () =>
    DashboardCountersModel.findOneAndUpdate(
      { _id: heldTypesId(branchId, year) },
      { $inc: Object.fromEntries(slots.map((s) => [`held.${s}.${type}`, 1])) },
      { upsert: true, returnDocument: 'after' },
    ).lean<{ held?: HeldTypes }>();
  // Two first upserts of one document at once: the loser's insert is a duplicate; its `$inc` then finds the document.
  const counted = inc().catch((err: unknown) => {
    if (isDuplicateKey(err)) return inc();
    throw err;
  });
  const [table, doc] = await Promise.all([countyFrequencies.get(countyId), counted]);
  return metSlots(doc?.held ?? {}, type, table, slots);
}
