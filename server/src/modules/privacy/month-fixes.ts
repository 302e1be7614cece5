import { dayKey, monthKey } from '@pioneer/shared';
import { AttendanceMonthModel } from '../checkins/checkins.model';

const WRITE_CHUNK = 50;

type MonthFix = { _id: string; fix?: string; seen?: Record<string, string> };

/** What goes from one month document: the whole fix (none moved since `cutoff`), else the spots seen before it. */
function unsetOf(d: MonthFix, cutoff: Date): { gone: boolean; unset: Record<string, ''> } {
  // `fix` starts with its ISO time, which sorts as the times happen.
  if (d.fix && d.fix < cutoff.toISOString()) return { gone: true, unset: { fix: '', seen: '', validDay: '' } };
  const cutoffDay = dayKey(cutoff.getTime());
  const old = Object.entries(d.seen ?? {}).filter(([, day]) => day < cutoffDay);
  return { gone: false, unset: Object.fromEntries(old.map(([k]) => [`seen.${k}`, ''])) };
}

const HELD = { $or: [{ fix: { $exists: true } }, { seen: { $exists: true } }] };

/** The month after `month` ('YYYY-MM'). */
function monthAfter(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

type Dropped = { lastFixes: number; coords: number };

/** One walk by `_id` over the month documents `filter` matches that hold fix fields, in batches. */
async function walk(filter: object, cutoff: Date, batch: number, maxBatches: number): Promise<Dropped> {
  const dropped = { lastFixes: 0, coords: 0 };
  let after = '';
  for (let round = 0; round < maxBatches; round++) {
    const docs = await AttendanceMonthModel.find({ _id: { $gt: after }, ...filter, ...HELD }, { fix: 1, seen: 1 })
      .sort({ _id: 1 })
      .limit(batch)
      .lean<MonthFix[]>();
    if (docs.length === 0) break;
    after = docs[docs.length - 1]!._id;
    const changes = docs.map((d) => ({ _id: d._id, ...unsetOf(d, cutoff), spots: Object.keys(d.seen ?? {}).length }));
    dropped.lastFixes += changes.filter((c) => c.gone).length;
    dropped.coords += changes.reduce((n, c) => n + (c.gone ? c.spots : Object.keys(c.unset).length), 0);
    const writes = changes.filter((c) => Object.keys(c.unset).length > 0);
    for (let i = 0; i < writes.length; i += WRITE_CHUNK)
      await AttendanceMonthModel.collection.bulkWrite(
        writes.slice(i, i + WRITE_CHUNK).map((c) => ({
          updateOne: { filter: { _id: c._id } as never, update: { $unset: c.unset } },
        })),
        { ordered: false },
      );
    if (docs.length < batch) break;
  }
  return dropped;
}

/**
 * The fix fields a cadre's month documents keep since issue 17 (H12d, last-fix.ts: the speed flag's reference `fix`,
 * the spots' first days `seen.<lat>,<lng>`, the valid day), older than `cutoff`: a month document whose fix has not
 * moved since loses them all (its month lines stay: the calendar's), the others each spot first seen before it (a
 * month's first fix carries older spots over). The months before the cutoff's lose everything, and a document done
 * no longer matches, so a run bounded by `maxBatches` goes on where the last one stopped; the months since are walked
 * one by one (one document per cadre each), so none is left out behind the first ones. Filtered scans: a daily job.
 */
export async function dropOldMonthFixes(
  cutoff: Date,
  batch: number,
  maxBatches: number,
  now = new Date(),
): Promise<Dropped> {
  const total = await walk({ month: { $lt: monthKey(cutoff) } }, cutoff, batch, maxBatches);
  for (let m = monthKey(cutoff); m <= monthKey(now); m = monthAfter(m)) {
    const d = await walk({ month: m }, cutoff, batch, maxBatches);
    total.lastFixes += d.lastFixes;
    total.coords += d.coords;
  }
  return total;
}

/** Closure: the member's fix fields go from every month document of theirs (their month lines stay). */
export async function dropMonthFixesOf(userId: string): Promise<void> {
  await AttendanceMonthModel.collection.updateMany({ userId }, { $unset: { fix: '', seen: '', validDay: '' } });
}
