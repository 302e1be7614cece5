import { coordKey, type LatLng } from '@pioneer/shared';
import { groupedQueue } from '../../db/grouped-marks';
import { keyReads } from '../../db/key-reads';
import { pendingKeys } from '../../db/pending-keys';
import { LastFixModel } from './checkins.model';

const EVERY_MS = 10;
const RETRY_MS = 1000;
/** Updates per bulk write (one bulk of 100+ updates stalled the embedded engine before its patch). */
const CHUNK = 50;

export interface LastFix {
  at: Date;
  lat: number;
  lng: number;
  accuracy: number;
}

/** What the check-in learns from the cadre's last-fix document in one key read. */
export interface FixHistory {
  /** The fix held before this one (the speed flag's reference), if any. */
  last: LastFix | null;
  /** These six-decimal coordinates were first reported on an earlier day (the same_coords flag). */
  seenEarlier: boolean;
  /**
   * A valid check-in of this day came first (`validDay`): its day may be paid already, so this one asks the ledger
   * before it pays (records.ts payForDay). A hint only: that check-in may not have been stored.
   */
  dayTaken: boolean;
}

const fixText = (f: LastFix) => `${new Date(f.at).toISOString()}|${f.lat}|${f.lng}|${f.accuracy}`;

function fixOf(text: string): LastFix {
  const [at, lat, lng, accuracy] = text.split('|');
  return { at: new Date(at!), lat: Number(lat), lng: Number(lng), accuracy: Number(accuracy) };
}

type StoredFix = {
  at: Date;
  fix?: string | null;
  lat?: number | null;
  lng?: number | null;
  accuracy?: number | null;
  seen?: Record<string, string>;
  validDay?: string;
};

/** The fix a stored document holds: `fix`, or the fields of a document from before it. */
function storedFix(doc: StoredFix): LastFix | null {
  if (doc.fix) return fixOf(doc.fix);
  if (typeof doc.lat !== 'number' || typeof doc.lng !== 'number') return null;
  return { at: doc.at, lat: doc.lat, lng: doc.lng, accuracy: doc.accuracy ?? 0 };
}

/**
 * The field of `seen` that holds the first day these six-decimal coordinates were reported: `coordKey` with its
 * dots made underscores (a dot is a path in a field name).
 */
export const seenField = (coords: string) => coords.replaceAll('.', '_');

/** A cadre's last-fix document by key, gathered with other check-ins' reads under load (db/key-reads.ts). */
const reads = keyReads<StoredFix & { _id: string }>(() => LastFixModel.collection as never);

interface FixUpdate {
  userId: string;
  max: Record<string, unknown>;
  min: Record<string, string>;
}

/** Cadres with an update queued or being written. */
const pending = pendingKeys();

/**
 * The updates, one ordered bulk write per window (`$max`/`$min`: the same result whatever order or how many times they
 * land, so a retry after a failure, or a write that landed in part, is harmless).
 */
const updates = groupedQueue<FixUpdate>(
  'checkin-last-fix',
  async (items) => {
    for (let i = 0; i < items.length; i += CHUNK)
      await LastFixModel.collection.bulkWrite(
        items.slice(i, i + CHUNK).map(({ userId, max, min }) => ({
          updateOne: { filter: { _id: userId }, update: { $max: max, $min: min }, upsert: true },
        })) as never,
        { ordered: true },
      );
    pending.done(items.map((u) => u.userId));
  },
  EVERY_MS,
  RETRY_MS,
);

/**
 * What the cadre's last-fix document holds before this fix, and this fix kept in it: as the newest unless a newer one
 * is there (a late-arriving older request never moves the reference back), with the day these coordinates were first
 * seen (`$min`: the earliest day wins, whatever order the fixes arrive in) and, for a valid check-in, its day.
 * Issue 17 (H8e): a key read (gathered with others under load) and the update written after the reply, grouped, where
 * it was one findOneAndUpdate per check-in: this process's next check-in of the cadre writes the queue first, so it
 * reads every fix before it; a crash within the window (~10 ms) loses the update (the next fix is judged against the
 * one before: a speed or same-spot flag may be missed), as the reply was already sent. Two check-ins of one cadre at
 * the same moment are both judged against the fix before them (the findOneAndUpdate judged the second by the first).
 */
export async function swapLastFix(userId: string, fix: LastFix, day: string, valid: boolean): Promise<FixHistory> {
  if (pending.has(userId)) await updates.flush();
  // The whole document comes back: every spot of the retention period, a few hundred short fields at most.
  const before = await reads.read(userId);
  const last = before ? storedFix(before) : null;
  const field = seenField(coordKey(fix as LatLng));
  // A document from before `fix` whose fix is newer than this one: it stays the reference (ISO times sort as they
  // happen, so the larger text is the newer fix).
  const legacy = last && !before?.fix ? fixText(last) : '';
  const text = legacy > fixText(fix) ? legacy : fixText(fix);
  pending.add(userId);
  updates.add({
    userId,
    max: { at: fix.at, fix: text, ...(valid ? { validDay: day } : {}) },
    min: { [`seen.${field}`]: day },
  });
  const firstDay = before?.seen?.[field];
  return { last, seenEarlier: !!firstDay && firstDay < day, dayTaken: before?.validDay === day };
}

/** Tests only: holds the last-fix reads back, as if one were in flight, so the check-ins after them gather. */
export const holdLastFixReads = () => reads.hold();
