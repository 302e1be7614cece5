/**
 * The derived documents of the check-in module and how each write keeps them current. Every update here is on a
 * filter that is only `{ _id }`: a key lookup on every engine, atomic per document.
 */
import type { CheckinFlag, CheckinItem, CheckinStatus, DayCounts, PendingItem } from '@pioneer/shared';
import { payKey } from '../points/keys';
import { awardPoints } from '../points/points.service';
import { LedgerModel } from '../points/points.model';
import { onCollectionWrite } from '../../db/engine-commands';
import { AttendanceMonthModel, ReviewQueueModel, type CheckinDoc } from './checkins.model';
import type { FixWrite } from './last-fix';
import { monthLineUpdate, monthLinesLanded } from './month-lines';

export const monthDocId = (userId: string, month: string) => `${userId}|${month}`;
export const dayPaymentKey = (userId: string, day: string) => payKey('checkin', userId, day);

export interface StoredReview {
  decision: 'approve' | 'reject';
  comment: string | null;
  at: Date | string;
  byName: string;
}

/** What the month document keeps per check-in: the calendar's list, without a read of `checkins`. */
export interface StoredItem {
  at: Date | string;
  day: string;
  status: CheckinStatus;
  distanceM: number;
  withinFence: boolean;
  accuracy: number;
  flags: CheckinFlag[];
  reason: string | null;
  review: StoredReview | null;
}

export interface StoredMonth {
  days: Record<string, DayCounts>;
  items: Record<string, StoredItem>;
}

export function storedItem(
  c: Pick<
    CheckinDoc,
    'at' | 'day' | 'status' | 'distanceM' | 'withinFence' | 'accuracy' | 'flags' | 'reason' | 'review'
  >,
): StoredItem {
  return {
    at: c.at,
    day: c.day,
    status: c.status as CheckinStatus,
    distanceM: c.distanceM,
    withinFence: c.withinFence,
    accuracy: c.accuracy,
    flags: c.flags as CheckinFlag[],
    reason: c.reason ?? null,
    review: (c.review as StoredReview | null) ?? null,
  };
}

export function itemOut(id: string, s: StoredItem): CheckinItem {
  return {
    id,
    at: new Date(s.at).toISOString(),
    day: s.day,
    status: s.status,
    distanceM: s.distanceM,
    withinFence: s.withinFence,
    accuracy: s.accuracy,
    flags: s.flags ?? [],
    reason: s.reason ?? null,
    review: s.review
      ? { ...s.review, at: new Date(s.review.at).toISOString(), comment: s.review.comment ?? null }
      : null,
  };
}

/**
 * The day counts are derived from the items when read (a month holds a few dozen), not kept by $inc: so recording
 * a check-in or a decision is a plain $set of its item, and doing it twice (a retry, the start-up settle after a
 * crash) changes nothing.
 */
export function dayCounts(items: Record<string, StoredItem>): Record<string, DayCounts> {
  const days: Record<string, DayCounts> = {};
  for (const item of Object.values(items)) {
    const d = (days[item.day] ??= {});
    if (item.status === 'valid' || item.status === 'approved') d.v = (d.v ?? 0) + 1;
    if (item.status === 'pending') d.p = (d.p ?? 0) + 1;
    // A rejected check-in no longer marks its day as suspicious: the secretary has dealt with it.
    if ((item.flags ?? []).length > 0 && item.status !== 'rejected') d.f = (d.f ?? 0) + 1;
  }
  return days;
}

export async function readMonth(userId: string, month: string): Promise<StoredMonth> {
  // A valid check-in's line is written just after its reply (month-lines.ts): this process's queued ones land first.
  await monthLinesLanded(userId, month);
  // The line items only: the document also keeps the cadre's fix and spots (last-fix.ts), not the calendar's.
  const doc = await AttendanceMonthModel.findById(monthDocId(userId, month), { items: 1 }).lean();
  const items = (doc?.items ?? {}) as StoredMonth['items'];
  return { days: dayCounts(items), items };
}

/** A new check-in: listed in its month (its day counted from the list), with its fix when it has one. Idempotent. */
export async function recordInMonth(c: CheckinDoc, keep?: FixWrite): Promise<void> {
  // Through the driver's collection: mongoose's cast would drop the fix fields (the schema lists them, but strict
  // casting of `$max`/`$min` on dotted paths under a Mixed field is not worth its CPU here).
  await AttendanceMonthModel.collection.updateOne(
    { _id: monthDocId(c.userId, c.month) as never },
    monthLineUpdate(c, keep, { days: {} }),
    { upsert: true },
  );
}

/** A decision on a pending check-in: it moves from pending to present (approve) or out of the counts (reject). */
export async function recordDecision(c: CheckinDoc, review: StoredReview): Promise<void> {
  const approved = review.decision === 'approve';
  await AttendanceMonthModel.updateOne(
    { _id: monthDocId(c.userId, c.month) },
    { $set: { [`items.${c._id}.status`]: approved ? 'approved' : 'rejected', [`items.${c._id}.review`]: review } },
  );
}

export async function enqueueForReview(branchId: string, id: string, item: Omit<PendingItem, 'id'>): Promise<void> {
  await ReviewQueueModel.updateOne({ _id: branchId }, { $set: { [`items.${id}`]: item } }, { upsert: true });
}

export async function dequeue(branchId: string, id: string): Promise<void> {
  await ReviewQueueModel.updateOne({ _id: branchId }, { $unset: { [`items.${id}`]: '' } });
}

export async function readQueue(branchId: string): Promise<PendingItem[]> {
  const doc = await ReviewQueueModel.findById(branchId).lean();
  return Object.entries((doc?.items ?? {}) as Record<string, Omit<PendingItem, 'id'>>).map(([id, item]) => ({
    ...item,
    id,
  }));
}

/**
 * Days this process knows are paid, day -> members (issue 17): the ledger holds their keys, and an entry is never
 * removed, so a cadre's further check-ins that day send no award at all (an award of a paid key is the ledger's
 * insert and read, and its journal line set and cleared again). The last few days only (a check-in is filed
 * at most 72 h late); forgotten when the ledger is dropped or written other than by key (a test's clean-up).
 */
const paidDays = new Map<string, Set<string>>();
const PAID_DAYS_KEPT = 5;

function rememberPaid(userId: string, day: string): void {
  let members = paidDays.get(day);
  if (!members) {
    paidDays.set(day, (members = new Set()));
    const days = [...paidDays.keys()].sort();
    for (const old of days.slice(0, Math.max(0, days.length - PAID_DAYS_KEPT))) paidDays.delete(old);
  }
  members.add(userId);
}
onCollectionWrite('ledger', (ids) => {
  if (!Array.isArray(ids)) paidDays.clear();
});

/** The day's key is in the ledger: one key read of its `_id`. */
const dayPaid = async (key: string) =>
  (await LedgerModel.collection.findOne({ _id: key as never }, { projection: { _id: 1 } })) !== null;

/**
 * The day's points: one present day (the rule in force prices it), whichever check-in (valid, or approved later) gets
 * there first. The key is the day, so repeats and races pay once; `at` is the check-in's time, so the daily cap counts
 * the right day. A day this process saw paid pays nothing without a command; `dayTaken` (a valid check-in of the day
 * came first, last-fix.ts) reads the key before paying rather than after (one read instead of the award's three).
 */
export async function payForDay(
  userId: string,
  day: string,
  checkinId: string,
  at: Date,
  dayTaken = false,
): Promise<number> {
  if (paidDays.get(day)?.has(userId)) return 0;
  if (dayTaken && (await dayPaid(dayPaymentKey(userId, day)))) {
    rememberPaid(userId, day);
    return 0;
  }
  const result = await awardPoints({
    userId,
    reason: 'checkin',
    units: 1,
    refType: 'checkin',
    refId: checkinId,
    idempotencyKey: dayPaymentKey(userId, day),
    // Only this key pays a check-in for the member's day: a per-day cap needs no cap document (issue 17).
    onlyKeyPer: 'day',
    at,
  });
  rememberPaid(userId, day); // the key is in the ledger now, paid now or before
  return result.duplicate ? 0 : result.awarded;
}
