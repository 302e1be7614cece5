import { isDuplicateKey } from '../../db/connect';
import { dropsFailed, dropsLanded, journalStatement, takeDrops } from './applied-marks';
import { LedgerModel } from './points.model';

/**
 * Inserts the entry; false when its key had paid already. A paying entry (delta not 0) goes with its line in the
 * pending journal (applied-marks.ts) in one ordered command: an upsert that inserts (a duplicate key matches and
 * inserts nothing), then the journal's mark, so a stop before its totals move leaves it findable by key. A duplicate
 * sets the mark again too (an ordered bulk cannot skip it): the caller clears it when the entry's feed holds it. The
 * journal's statement also drops the lines of finished entries of its document queued meanwhile (applied-marks.ts).
 */
export async function insertEntry(entry: { _id: string; delta: number }): Promise<boolean> {
  const { _id, ...fields } = entry;
  const insert = { updateOne: { filter: { _id }, update: { $setOnInsert: fields }, upsert: true } };
  const drops = entry.delta === 0 ? [] : takeDrops(_id); // finished entries' lines, dropped by the same statement
  try {
    const res = await LedgerModel.collection.bulkWrite(
      (entry.delta === 0 ? [insert] : [insert, journalStatement(_id, drops)]) as never,
      { ordered: true },
    );
    dropsLanded(drops);
    return res.upsertedIds[0] !== undefined; // the entry's own statement inserted (the journal's may upsert too)
  } catch (err) {
    dropsFailed(drops); // an ordered bulk stopped at the insert never ran the journal's statement
    if (isDuplicateKey(err)) return false; // two inserts of one key at once (an engine running upserts in parallel)
    throw err;
  }
}
