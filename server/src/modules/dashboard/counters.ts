import { AsyncResource } from 'node:async_hooks';
import type { AnyBulkWriteOperation } from 'mongoose';
import { dashboardSlots, type DashboardCounter, type PointReason } from '@pioneer/shared';
import { isDuplicateKey } from '../../db/connect';
import { groupCommit, type KeyedStatement } from '../../db/group-commit';
import { flushWithGroupedMarks } from '../../db/grouped-marks';
import { DashboardCountersModel, DashboardMarkModel, countersId, withCounterDefaults } from './dashboard.model';
import {
  activityTypeOf,
  cadreMark,
  countHeldType,
  lastHeldMaxes,
  metCounts,
  type Maxes,
  type SlotCounts,
} from './branch-counters';
import { cadHome, writesSelf } from './leaf-counters';

/**
 * The live side of the 数据看板 counters (issue 18). Every feature pays through `awardPoints`, which writes a ledger
 * entry per event exactly once (its `_id` is the idempotency key) and then calls `countAward` once for it: so a
 * daily quiz, a sign-in, confirmed service hours, a fulfilled wish or a cadre's present day is counted once, under
 * the member's org chain at the time (the ledger's `scopes`), in the month, quarter and year of the event.
 * The counters are written after the award's reply (`countAwardAfterReply`): a crash between the ledger entry and
 * these writes leaves a count short; `npm run dashboard:rebuild` recomputes everything from the ledger and the quiz
 * results and service records it refers to.
 */

/** What the dashboard needs of a ledger entry. */
export interface AwardEvent {
  userId: string;
  reason: PointReason | string;
  refId: string;
  delta: number;
  at: Date;
  scopes: readonly string[];
}

type Counts = Partial<Record<DashboardCounter, number>>;

/** The counters an event moves whatever was counted before (the count-once ones come from markers). */
export function baseCounts(reason: string, units: number): Counts {
  switch (reason) {
    case 'daily_quiz':
      return { quizN: 1, quizScore: units };
    case 'activity_attended':
      return { attend: 1 };
    case 'post_service':
      return { hours: units };
    case 'wish_fulfilled':
      return { wishes: 1 };
    case 'checkin':
      return { cadreDays: 1 };
    default:
      return {};
  }
}

/** Earned points by doing something (an adjustment by a secretary is not the member being active). */
export const makesActive = (e: Pick<AwardEvent, 'reason' | 'delta'>) => e.delta > 0 && e.reason !== 'manual_adjustment';

export const activeMark = (year: number, slot: string, userId: string) => `active|${year}|${slot}|${userId}`;
export const heldMark = (activityId: string) => `held|${activityId}`;

/**
 * The `$inc` of each counter document for one event: the org and every ancestor (`self`, and `kids.<next>` for the
 * child on the way down), this year's documents only. Shared by the live path and the rebuild. Issue 17: next year's
 * document is not written (the `prev` copy of December, Q4 and the year was ~2 of an award's ~4.3 statements, the
 * village's and branch's never grouped): the board reads last year's own document in the same command instead
 * (dashboard.model.ts readCountersYears). Below the township an org's `self` is not written: its parent's
 * `kids.<org>` holds the same and is what its board reads (leaf-counters.ts).
 */
export function incrementsOf(
  scopes: readonly string[],
  year: number,
  perSlot: { slot: string; counts: Counts }[],
): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  const add = (id: string, path: string, n: number) => {
    const inc = out.get(id) ?? {};
    inc[path] = (inc[path] ?? 0) + n;
    out.set(id, inc);
  };
  scopes.forEach((orgId, i) => {
    const child = scopes[i + 1];
    for (const { slot, counts } of perSlot) {
      for (const [counter, n] of Object.entries(counts)) {
        if (!n) continue;
        if (writesSelf(i)) add(countersId(orgId, year), `self.${slot}.${counter}`, n);
        if (child) add(countersId(orgId, year), `kids.${child}.${slot}.${counter}`, n);
      }
    }
  });
  return out;
}

/** Inserts the markers at once; returns those that were new (a duplicate means counted before). */
export async function insertMarks(ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  try {
    // String ids: the driver's types assume ObjectIds.
    await DashboardMarkModel.collection.insertMany(ids.map((_id) => ({ _id })) as never[], { ordered: false });
    return new Set(ids);
  } catch (err) {
    const errors = (err as { writeErrors?: { index: number; code?: number }[] }).writeErrors;
    if (!errors || !isDuplicateKey(err)) throw err;
    const list = Array.isArray(errors) ? errors : [errors];
    if (list.some((e) => e.code !== undefined && e.code !== 11000)) throw err;
    const lost = new Set(list.map((e) => e.index));
    return new Set(ids.filter((_, i) => !lost.has(i)));
  }
}

/** The bulk operations of `$inc`s and `$max`es, one upsert per document (shared by the live path and the rebuild). */
export function updateOps(
  incs: Map<string, Record<string, number>>,
  maxes: Maxes = new Map(),
): AnyBulkWriteOperation[] {
  const ids = new Set([...incs.keys(), ...maxes.keys()]);
  return [...ids].map((_id) => {
    const inc = incs.get(_id);
    const max = maxes.get(_id);
    return {
      updateOne: {
        filter: { _id },
        update: { ...(inc ? { $inc: inc } : {}), ...(max ? { $max: max } : {}) },
        upsert: true,
      },
    };
  });
}

/**
 * The live events' writes, committed in groups (db/group-commit.ts): every event of a county moves the county's and
 * its township's documents, so under load concurrent events share one write, their `$inc`s summed and `$max`es the
 * higher. An event alone writes at once.
 */
const counterWrites = groupCommit(() => ({
  // The driver's collection, with the schema's defaults mongoose's cast added (dashboard.model.ts withCounterDefaults).
  bulkWrite: (ops: never[], options: { ordered: boolean }) =>
    DashboardCountersModel.collection.bulkWrite(
      (ops as KeyedStatement[]).map(({ updateOne }) => ({
        updateOne: { ...updateOne, update: withCounterDefaults(updateOne.update) },
      })) as never[],
      options,
    ),
}));

/** `$inc`s (and `$max`es) as one bulk write: one engine command per event, whatever the depth of the tree. */
export async function applyIncrements(incs: Map<string, Record<string, number>>, maxes?: Maxes): Promise<void> {
  await counterWrites.write(updateOps(incs, maxes) as KeyedStatement[]);
}

/** Tests only: holds the counters' writes back so the events after it gather in one write. */
export const holdCounterWrites = () => counterWrites.hold();

/**
 * The member's own count-once markers an event asks for: active in its month, quarter and year; a cadre's month.
 * They live on the member's points totals document, which every award updates anyway: that update's before-image
 * says which are new (points/apply.ts), so they cost no command of their own.
 */
export function memberMarksOf(e: Pick<AwardEvent, 'userId' | 'reason' | 'delta' | 'at'>): string[] {
  const { year, slots } = dashboardSlots(e.at);
  const marks = makesActive(e) ? slots.map((s) => activeMark(year, s, e.userId)) : [];
  if (e.reason === 'checkin') marks.push(cadreMark(year, slots[0], e.userId));
  return marks;
}

/** The markers not of one member (an activity held), in their own collection. */
const sharedMarksOf = (e: AwardEvent) => (e.reason === 'activity_attended' ? [heldMark(e.refId)] : []);

/** Every count-once marker an event asks for (the rebuild's replay). */
export const marksOf = (e: AwardEvent) => [...memberMarksOf(e), ...sharedMarksOf(e)];

/** What a won marker adds beyond the plain counters: `met`, `cadreReq` (per slot) and the last-activity `$max`es. */
export interface BranchExtras {
  counts: SlotCounts;
  maxes: Maxes;
}

/** Live: the extras of an event, reading the activity's type, the county's tables and the held counts only when won. */
async function liveExtras(e: AwardEvent, won: (mark: string) => boolean): Promise<BranchExtras> {
  const branchId = e.scopes.at(-1);
  const countyId = e.scopes[0];
  if (!branchId || !countyId) return { counts: {}, maxes: new Map() };
  // Every sign-in moves the branch's last activity (a `$max`: the same whichever order they land in).
  if (e.reason === 'activity_attended') {
    const type = won(heldMark(e.refId)) ? await activityTypeOf(e.refId) : null;
    const met = type ? await countHeldType(branchId, countyId, type, e.at) : [];
    return { counts: metCounts(met), maxes: lastHeldMaxes(e.scopes, branchId, e.at) };
  }
  return { counts: {}, maxes: new Map() };
}

/**
 * A cadre's present day also counts under their own id (`cad.<slot>.<userId>` in each org's document of the year,
 * the last org of a chain of 3 or more in its parent's `lcad.<org>`, leaf-counters.ts):
 * the board caps each cadre's days at what they owed (`cadreAttendance`); last December's, Q4's and year's days are
 * read from last year's document.
 */
function cadreDayIncrements(
  e: AwardEvent,
  year: number,
  slots: readonly string[],
  into: Map<string, Record<string, number>>,
) {
  const add = (id: string, path: string) => {
    const inc = into.get(id) ?? {};
    inc[path] = (inc[path] ?? 0) + 1;
    into.set(id, inc);
  };
  e.scopes.forEach((_, i) => {
    const home = cadHome(e.scopes, i, year);
    for (const slot of slots) add(home.id, `${home.prefix}${slot}.${e.userId}`);
  });
  return into;
}

/**
 * An event's `$inc`s, given the markers it won (and the extras those brought). The one definition the live path and
 * the rebuild share.
 */
export function eventIncrements(e: AwardEvent, units: number, won: (mark: string) => boolean, extra: SlotCounts = {}) {
  const { year, slots } = dashboardSlots(e.at);
  const base = baseCounts(e.reason, units);
  const held = e.reason === 'activity_attended' && won(heldMark(e.refId)) ? 1 : 0;
  const perSlot = slots.map((slot) => ({
    slot,
    counts: { ...base, ...extra[slot], active: makesActive(e) && won(activeMark(year, slot, e.userId)) ? 1 : 0, held },
  }));
  const incs = incrementsOf(e.scopes, year, perSlot);
  return e.reason === 'checkin' ? cadreDayIncrements(e, year, slots, incs) : incs;
}

/**
 * Counts one new ledger entry on the dashboard (called once per entry by `awardPoints`, with the member's markers it
 * won on their totals document): one engine command, on a sign-in one more (the activity's held marker), and up to
 * three more once per activity (its type, the county's frequencies, the held counts) or once per cadre and month
 * (the county's required days).
 */
export async function countAward(e: AwardEvent, units: number, memberWon: ReadonlySet<string>): Promise<void> {
  const won = await insertMarks(sharedMarksOf(e));
  const has = (m: string) => memberWon.has(m) || won.has(m);
  const extra = await liveExtras(e, has);
  await applyIncrements(eventIncrements(e, units, has, extra.counts), extra.maxes);
}

/**
 * Issue 17: an award's counters are written after its reply, not awaited on it (~3-6 ms and a command of every paying
 * write alone; the writes commit in groups, db/group-commit.ts, so under load many awards share one). Who counts once
 * is still decided on the request, by the member's markers in the award's atomic totals update. This process's
 * dashboard reads wait for its counting first (`flushCounters`), so its own writes are never missing from its own
 * reads; another process's board shows them within the shared-view bound, as its `asOf` says. Run outside every
 * request's scope: a reply's X-Engine-Commands does not count what is written after it.
 *
 * The trade: a crash (or a failed write) after the reply leaves those awards uncounted until
 * `npm run dashboard:rebuild` (the same gap a crash between the ledger entry and the counters always had, now the
 * length of a counters write and the ones gathered behind it rather than the award's last milliseconds).
 */
const afterReply = new AsyncResource('dashboard-counters');
const counting = new Set<Promise<void>>();

/** Counts one new ledger entry after the caller's reply (`countAward`, in the background). */
export function countAwardAfterReply(e: AwardEvent, units: number, memberWon: ReadonlySet<string>): void {
  // A failure is dropped (a write that landed in part must not land twice): dashboard:rebuild repairs it.
  const counted = afterReply.runInAsyncScope(() => countAward(e, units, memberWon)).catch(() => undefined);
  counting.add(counted);
  void counted.finally(() => counting.delete(counted));
}

/** Waits until every award this process has counted after its reply is written (dashboard reads, rebuild, shutdown). */
export async function flushCounters(): Promise<void> {
  while (counting.size > 0) await Promise.all(counting);
}
flushWithGroupedMarks(flushCounters);
