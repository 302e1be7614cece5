import { coordKey, type LatLng } from '@pioneer/shared';
import { onCollectionWrite } from '../../db/engine-commands';
import { keyReads } from '../../db/key-reads';
import { AttendanceMonthModel, LastFixModel } from './checkins.model';
import { monthLinesLanded } from './month-lines';
import { monthDocId } from './records';

export interface LastFix {
  at: Date;
  lat: number;
  lng: number;
  accuracy: number;
}

/** What the check-in learns from the cadre's month documents (and, for an old cadre, the last-fix document). */
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
  /** This fix, to be kept in the month document with the check-in's month line: one statement (month-lines.ts). */
  keep: FixWrite;
}

/** `$max`/`$min` fields of the month document's update: the same result whatever order or how often they land. */
export interface FixWrite {
  max: Record<string, string>;
  min: Record<string, string>;
}

const fixText = (f: LastFix) => `${new Date(f.at).toISOString()}|${f.lat}|${f.lng}|${f.accuracy}`;

function fixOf(text: string): LastFix {
  const [at, lat, lng, accuracy] = text.split('|');
  return { at: new Date(at!), lat: Number(lat), lng: Number(lng), accuracy: Number(accuracy) };
}

/** The fix fields of a month document, or of a last-fix document from before they moved there (issue 17, H12d). */
type StoredFix = {
  _id: string;
  at?: Date;
  fix?: string | null;
  lat?: number | null;
  lng?: number | null;
  accuracy?: number | null;
  seen?: Record<string, string>;
  validDay?: string;
};

/** The fix a stored document holds: `fix`, or the fields of a last-fix document from before it. */
function storedFix(doc: StoredFix): LastFix | null {
  if (doc.fix) return fixOf(doc.fix);
  if (!doc.at || typeof doc.lat !== 'number' || typeof doc.lng !== 'number') return null;
  return { at: doc.at, lat: doc.lat, lng: doc.lng, accuracy: doc.accuracy ?? 0 };
}

/**
 * The field of `seen` that holds the first day these six-decimal coordinates were reported: `coordKey` with its
 * dots made underscores (a dot is a path in a field name).
 */
export const seenField = (coords: string) => coords.replaceAll('.', '_');

/** The month before `month` ('YYYY-MM'). */
export function monthBefore(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The fix fields of a cadre's month documents, two or three by key in one command (gathered with others under load). */
const monthDocs = keyReads<StoredFix>(() => AttendanceMonthModel.collection as never, {
  fix: 1,
  seen: 1,
  validDay: 1,
});
/** The last-fix documents kept before the fix moved into the month documents: read only when those hold none. */
const legacy = keyReads<StoredFix>(() => LastFixModel.collection as never);

/**
 * Whether any last-fix document is left (nothing writes one now, so once none is left none comes back): asked once
 * per process, again after any write to the collection (a test's, the retention job's).
 */
let legacyLeft: Promise<boolean> | null = null;
onCollectionWrite('checkin_last_fix', () => {
  legacyLeft = null;
});
const anyLegacy = () =>
  (legacyLeft ??= LastFixModel.collection.findOne({}, { projection: { _id: 1 } }).then((d) => d !== null));

/**
 * The cadre's fix documents: this month's and last month's, and the old last-fix document when neither holds a fix
 * (a month document may hold spots without one: folded by the retention job, privacy/retention.ts).
 */
async function fixDocs(userId: string, months: string[]): Promise<StoredFix[]> {
  const ids = months.map((m) => monthDocId(userId, m));
  const docs = (await monthDocs.readMany(ids)).filter((d): d is StoredFix => d !== null);
  if (docs.some((d) => d.fix) || !(await anyLegacy())) return docs;
  const old = await legacy.read(userId);
  return old ? [...docs, old] : docs;
}

/** The newest fix of the documents (ISO times sort as they happen, so the larger text is the newer fix). */
function newestFix(docs: StoredFix[]): LastFix | null {
  const fixes = docs.flatMap((d) => {
    const f = storedFix(d);
    return f ? [f] : [];
  });
  return fixes.reduce<LastFix | null>((a, f) => (!a || fixText(f) > fixText(a) ? f : a), null);
}

/**
 * The spots' first days for this month's document: the ones read from a document other than this month's (last
 * month's, or the old last-fix document) are carried over, so same_coords looks back over the retention period and
 * not just two months, unless the cadre sent nothing for a whole calendar month. Each spot once, the earliest day.
 */
function seenToKeep(docs: StoredFix[], thisMonth: string, field: string, day: string): Record<string, string> {
  const min: Record<string, string> = {};
  for (const d of docs) {
    if (d._id === thisMonth) continue;
    for (const [k, v] of Object.entries(d.seen ?? {}))
      if (!min[`seen.${k}`] || v < min[`seen.${k}`]!) min[`seen.${k}`] = v;
  }
  const key = `seen.${field}`;
  if (!min[key] || day < min[key]!) min[key] = day;
  return min;
}

/**
 * What the cadre's month documents hold before this fix, and this fix to keep in this month's document (`keep`), with
 * the check-in's month line in one update after the reply (month-lines.ts), or in the request for a pending one
 * (records.ts recordInMonth). As the newest unless a newer one is there (a late-arriving older request never moves
 * the reference back, `$max`), with the day these coordinates were first seen (`$min`: the earliest day wins) and,
 * for a valid check-in, its day. Issue 17 (H12d): one key read of this month's and last month's documents, where it
 * was the last-fix document's read and its own grouped update. This process's queued writes of those months land
 * first, so it reads every fix before it; a crash before the month write loses the fix (the next fix is judged
 * against the one before: a speed or same-spot flag may be missed), as the reply was already sent.
 */
export async function swapLastFix(
  userId: string,
  fix: LastFix,
  day: string,
  month: string,
  valid: boolean,
  receivedMonth = month,
): Promise<FixHistory> {
  // The fix's month and the one before; and the month it reached us in, for a fix sent late from the offline queue
  // across a month's end (a newer fix may be there).
  const months = [...new Set([month, monthBefore(month), receivedMonth])];
  await Promise.all(months.map((m) => monthLinesLanded(userId, m)));
  const docs = await fixDocs(userId, months);
  const last = newestFix(docs);
  const field = seenField(coordKey(fix as LatLng));
  // A stored fix newer than this one stays the reference.
  const text = last && fixText(last) > fixText(fix) ? fixText(last) : fixText(fix);
  const firstDay = docs.reduce<string | undefined>((a, d) => {
    const v = d.seen?.[field];
    return v && (!a || v < a) ? v : a;
  }, undefined);
  const keep: FixWrite = {
    max: { fix: text, ...(valid ? { validDay: day } : {}) },
    min: seenToKeep(docs, monthDocId(userId, month), field, day),
  };
  return {
    last,
    seenEarlier: !!firstDay && firstDay < day,
    dayTaken: docs.some((d) => d.validDay === day),
    keep,
  };
}

/** Tests only: holds the fix reads back, as if one were in flight, so the check-ins after them gather. */
export const holdLastFixReads = () => monthDocs.hold();
