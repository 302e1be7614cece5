import type { Logger } from 'pino';
import { distanceBand } from '@pioneer/shared/src/privacy';
import { AttendanceMonthModel, CheckinModel, CoordSeenModel, LastFixModel } from '../checkins/checkins.model';
import { monthDocId } from '../checkins/records';
import { OrgModel } from '../orgs/orgs.model';
import { dayKey, monthKey } from '@pioneer/shared';
import { countyPrivacy } from './consent.service';
import { seenField } from '../checkins/last-fix';
import { dropOldMonthFixes } from './month-fixes';

export const RETENTION_BATCH = 500;
export const RETENTION_MAX_BATCHES = 20;
const WRITE_CHUNK = 50;
const DAY_MS = 24 * 3600 * 1000;

export interface RetentionResult {
  reduced: number;
  lastFixes: number;
  coords: number;
}

/**
 * Reduces one batch of a county's check-ins older than its retention: the fix (GCJ-02 and raw coordinates,
 * accuracy) goes; the day, inside/outside, distance, a distance band and the flags stay, which is all the calendar
 * and the reports read (they read the month documents, which never held a coordinate). Found by a filtered scan,
 * bounded by `limit`: a daily job, not a request path. Already reduced check-ins are not matched again.
 */
async function reduceBatch(villageIds: string[], cutoff: Date, batch: number): Promise<number> {
  const old = await CheckinModel.find(
    { villageId: { $in: villageIds }, at: { $lt: cutoff }, reduced: { $ne: true } },
    { _id: 1, distanceM: 1 },
  )
    .limit(batch)
    .lean<{ _id: string; distanceM: number }[]>();
  if (old.length === 0) return 0;
  // Written WRITE_CHUNK at a time: one bulk of 100+ updates stalls the embedded engine (every later command waits;
  // measured with 10,000 old check-ins), 50 do not.
  for (let i = 0; i < old.length; i += WRITE_CHUNK) {
    await CheckinModel.collection.bulkWrite(
      old.slice(i, i + WRITE_CHUNK).map((c) => ({
        updateOne: {
          filter: { _id: c._id } as never,
          update: {
            $unset: { lat: '', lng: '', rawLat: '', rawLng: '', accuracy: '' },
            $set: { reduced: true, distanceBand: distanceBand(c.distanceM) },
          },
        },
      })),
      { ordered: false },
    );
  }
  return old.length;
}

async function reduceCounty(
  countyId: string,
  now: Date,
  batch: number,
  maxBatches: number,
): Promise<{ reduced: number; days: number }> {
  const { retentionDays } = await countyPrivacy(countyId);
  const villages = await OrgModel.find({ type: 'village', path: countyId }, { _id: 1 }).lean();
  if (villages.length === 0) return { reduced: 0, days: retentionDays };
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  let reduced = 0;
  for (let round = 0; round < maxBatches; round++) {
    const n = await reduceBatch(
      villages.map((v) => v._id),
      cutoff,
      batch,
    );
    reduced += n;
    if (n < batch) break;
  }
  return { reduced, days: retentionDays };
}

/**
 * The daily retention run: every county's old fixes reduced (at most `maxBatches` x `batch` each; the rest waits a
 * day), then the per-cadre keys that hold a coordinate (the last fix for the speed flag, the same-coordinates
 * keys) older than the shortest retention of any county. Running it twice changes nothing the second time.
 */
export async function runRetention(
  now = new Date(),
  batch = RETENTION_BATCH,
  maxBatches = RETENTION_MAX_BATCHES,
): Promise<RetentionResult> {
  const counties = await OrgModel.find({ type: 'county' }, { _id: 1 }).lean();
  let reduced = 0;
  let shortest = Infinity;
  for (const c of counties) {
    const r = await reduceCounty(c._id, now, batch, maxBatches);
    reduced += r.reduced;
    shortest = Math.min(shortest, r.days);
  }
  if (!Number.isFinite(shortest)) return { reduced, lastFixes: 0, coords: 0 };
  const cutoff = new Date(now.getTime() - shortest * DAY_MS);
  const keys = await dropOldKeys(cutoff, batch, maxBatches);
  const inMonths = await dropOldMonthFixes(cutoff, batch, maxBatches, now);
  await foldSeenCoords(now, batch, maxBatches);
  return { reduced, lastFixes: keys.lastFixes + inMonths.lastFixes, coords: keys.coords + inMonths.coords };
}

type FixKeys = { _id: string; seen?: Record<string, string> };

/**
 * The old last-fix documents (before H12d) that hold a coordinate older than `cutoff`: one not moved since goes whole
 * (with the spots it holds), and in the others each spot first seen before it (`seen.<lat>,<lng>`, last-fix.ts).
 * `coords` counts spots. Documents are walked by `_id` in batches; a daily job, not a request path.
 */
async function dropOldKeys(cutoff: Date, batch: number, maxBatches: number): Promise<Omit<RetentionResult, 'reduced'>> {
  const cutoffDay = dayKey(cutoff.getTime());
  let lastFixes = 0;
  let coords = 0;
  let after = '';
  for (let round = 0; round < maxBatches; round++) {
    const docs = await LastFixModel.find({ _id: { $gt: after } }, { at: 1, seen: 1 })
      .sort({ _id: 1 })
      .limit(batch)
      .lean<(FixKeys & { at: Date })[]>();
    if (docs.length === 0) break;
    after = docs[docs.length - 1]!._id;
    const gone = docs.filter((d) => d.at < cutoff);
    if (gone.length > 0)
      lastFixes += (await LastFixModel.deleteMany({ _id: { $in: gone.map((d) => d._id) } })).deletedCount;
    coords += gone.reduce((n, d) => n + Object.keys(d.seen ?? {}).length, 0);
    const pruned = docs
      .filter((d) => d.at >= cutoff)
      .map((d) => ({ _id: d._id, old: Object.entries(d.seen ?? {}).filter(([, day]) => day < cutoffDay) }))
      .filter((d) => d.old.length > 0);
    coords += pruned.reduce((n, d) => n + d.old.length, 0);
    for (let i = 0; i < pruned.length; i += WRITE_CHUNK) {
      await LastFixModel.collection.bulkWrite(
        pruned.slice(i, i + WRITE_CHUNK).map((d) => ({
          updateOne: {
            filter: { _id: d._id } as never,
            update: { $unset: Object.fromEntries(d.old.map(([k]) => [`seen.${k}`, ''])) },
          },
        })),
        { ordered: false },
      );
    }
    if (docs.length < batch) break;
  }
  // Spots kept apart by an older version: the old ones go here, the rest are folded below.
  const old = await CoordSeenModel.find({ day: { $lt: cutoffDay } }, { _id: 1 }).lean();
  if (old.length > 0) coords += (await CoordSeenModel.deleteMany({ _id: { $in: old.map((s) => s._id) } })).deletedCount;
  return { lastFixes, coords };
}

/**
 * Moves the spots stored apart before (`checkin_coords`, `${userId}|${lat},${lng}` -> first day) onto their cadre's
 * month document of `now`, where a check-in reads them since H12d (last-fix.ts; `$min`: the earliest day stays), then
 * deletes them: once after the upgrade, nothing later (a check-in no longer writes there). Until it has run, a spot
 * seen only before the upgrade is not flagged.
 */
async function foldSeenCoords(now: Date, batch: number, maxBatches: number): Promise<void> {
  const month = monthKey(now);
  for (let round = 0; round < maxBatches; round++) {
    const spots = await CoordSeenModel.find({}, { _id: 1, day: 1 }).limit(batch).lean();
    if (spots.length === 0) return;
    for (let i = 0; i < spots.length; i += WRITE_CHUNK) {
      await AttendanceMonthModel.collection.bulkWrite(
        spots.slice(i, i + WRITE_CHUNK).map((s) => {
          const [userId, coords] = s._id.split('|');
          return {
            updateOne: {
              filter: { _id: monthDocId(userId!, month) } as never,
              update: {
                $min: { [`seen.${seenField(coords!)}`]: s.day },
                $setOnInsert: { userId, month, items: {}, days: {} },
              },
              upsert: true,
            },
          };
        }),
        { ordered: false },
      );
    }
    await CoordSeenModel.deleteMany({ _id: { $in: spots.map((s) => s._id) } });
    if (spots.length < batch) return;
  }
}

/** Now, then daily (main.ts); the timer does not hold the process open. */
export function scheduleRetention(logger: Logger): NodeJS.Timeout {
  const run = () =>
    runRetention()
      .then((r) => r.reduced + r.lastFixes + r.coords > 0 && logger.info(r, 'retention: old location fixes reduced'))
      .catch((err: unknown) => logger.warn({ err }, 'retention run failed; it runs again tomorrow'));
  void run();
  const timer = setInterval(() => void run(), DAY_MS);
  timer.unref();
  return timer;
}
