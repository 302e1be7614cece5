import { coordKey, type LatLng } from '@pioneer/shared';
import { LastFixModel } from './checkins.model';

export interface LastFix {
  at: Date;
  lat: number;
  lng: number;
  accuracy: number;
}

/** What the check-in learns from the cadre's last-fix document in one command. */
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

/**
 * Keeps this fix as the cadre's newest unless a newer one is there (a late-arriving older request never moves the
 * reference back), records the day these coordinates were first seen (`$min`: the earliest day wins, whatever
 * order the fixes arrive in) and returns what the document held before: one findOneAndUpdate (issue 17), where the
 * coordinates' first day was an insert of its own (`checkin_coords`, folded in by retention.ts).
 */
export async function swapLastFix(userId: string, fix: LastFix, day: string, valid: boolean): Promise<FixHistory> {
  const field = `seen.${seenField(coordKey(fix as LatLng))}`;
  // The driver's own call (issue 17): every value here is already what is stored, so mongoose's casting of the update
  // and of the reply was Node CPU spent for nothing.
  const before = (await LastFixModel.collection.findOneAndUpdate(
    { _id: userId as never },
    { $max: { at: fix.at, fix: fixText(fix), ...(valid ? { validDay: day } : {}) }, $min: { [field]: day } },
    // The whole document comes back (FerretDB takes no projection here): every spot of the retention period, a few
    // hundred short fields at most.
    { upsert: true, returnDocument: 'before' },
  )) as StoredFix | null;
  const last = before ? storedFix(before) : null;
  // A document from before `fix` whose fix is newer than this one: it stays the reference (once per cadre).
  if (last && !before?.fix && new Date(last.at) > fix.at)
    await LastFixModel.updateOne({ _id: userId }, { $max: { fix: fixText(last) } });
  const firstDay = before?.seen?.[seenField(coordKey(fix as LatLng))];
  return { last, seenEarlier: !!firstDay && firstDay < day, dayTaken: before?.validDay === day };
}
