import { dayKey } from '@pioneer/shared';
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

/**
 * The fix fields a cadre's month documents keep since issue 17 (H12d, last-fix.ts: the speed flag's reference `fix`,
 * the spots' first days `seen.<lat>,<lng>`, the valid day), older than `cutoff`: a month document whose fix has not
 * moved since loses them all (its month lines stay: the calendar's), the others each spot first seen before it.
 * Documents with a fix are walked by `_id` in batches (a filtered scan: a daily job, not a request path).
 */
export async function dropOldMonthFixes(
  cutoff: Date,
  batch: number,
  maxBatches: number,
): Promise<{ lastFixes: number; coords: number }> {
  let lastFixes = 0;
  let coords = 0;
  let after = '';
  for (let round = 0; round < maxBatches; round++) {
    const docs = await AttendanceMonthModel.find(
      { _id: { $gt: after }, $or: [{ fix: { $exists: true } }, { seen: { $exists: true } }] },
      { fix: 1, seen: 1 },
    )
      .sort({ _id: 1 })
      .limit(batch)
      .lean<MonthFix[]>();
    if (docs.length === 0) break;
    after = docs[docs.length - 1]!._id;
    const changes = docs.map((d) => ({ _id: d._id, ...unsetOf(d, cutoff), spots: Object.keys(d.seen ?? {}).length }));
    lastFixes += changes.filter((c) => c.gone).length;
    coords += changes.reduce((n, c) => n + (c.gone ? c.spots : Object.keys(c.unset).length), 0);
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
  return { lastFixes, coords };
}

/** Closure: the member's fix fields go from every month document of theirs (their month lines stay). */
export async function dropMonthFixesOf(userId: string): Promise<void> {
  await AttendanceMonthModel.collection.updateMany({ userId }, { $unset: { fix: '', seen: '', validDay: '' } });
}
