import { groupedQueue } from '../../db/grouped-marks';
import { pendingKeys } from '../../db/pending-keys';
import { AttendanceMonthModel, type CheckinDoc } from './checkins.model';
import type { FixWrite } from './last-fix';
import { monthDocId, storedItem } from './records';

/**
 * A valid check-in's line in its month document, written off the request's path (issue 17): the reply is made from
 * the check-in itself and a valid check-in is never reviewed (only a pending one's line is changed later, so that
 * one is still written in the request). Every `EVERY_MS` one bulk write sets the window's lines, then their
 * check-ins' `settled` marks are queued: a line not written (a stop, the engine away) leaves its check-in unsettled,
 * and the start-up reconciler writes it again (a `$set` of the same item: twice changes nothing). A failed write
 * keeps the lines queued and tries again `RETRY_MS` later (the grouped writes' queue, as the marks and the audit
 * feeds; shutdown's flushGroupedMarks lands them, then their marks). The month's readers here wait for its queued
 * lines (`monthLinesLanded`): a cadre's calendar right after the check-in lists it.
 * The check-in's fix (`keep`, last-fix.ts) goes in the same update (issue 17, H12d: one statement where the last-fix
 * document was a second one): its `$max`/`$min` land alike however often the line is written.
 */
const EVERY_MS = 10;
const RETRY_MS = 1000;
/** Updates per bulk write (one bulk of 100+ updates stalled the embedded engine before its patch). */
const CHUNK = 50;

/** The month documents with a line queued or being written. */
const pending = pendingKeys();
let afterWrite: (ids: string[]) => void = () => undefined;

/** What to do once lines are stored: the check-ins' settled marks (set by checkins.service.ts, which owns them). */
export function onMonthLinesWritten(done: (checkinIds: string[]) => void): void {
  afterWrite = done;
}

/** A check-in's month line, with its fix when the request had one (none: the start-up reconciler's). */
interface MonthLine {
  c: CheckinDoc;
  keep?: FixWrite;
}

const docOf = (c: CheckinDoc) => monthDocId(c.userId, c.month);

function landed(lines: MonthLine[]): void {
  pending.done(lines.map((l) => docOf(l.c)));
  afterWrite(lines.map((l) => l.c._id));
}

/** The update of a check-in's month document: its line, the fix's fields, what a new document needs. */
export function monthLineUpdate(c: CheckinDoc, keep?: FixWrite, onInsert: Record<string, unknown> = {}) {
  return {
    $set: { [`items.${c._id}`]: storedItem(c) },
    $setOnInsert: { userId: c.userId, month: c.month, ...onInsert },
    ...(keep ? { $max: keep.max, $min: keep.min } : {}),
  };
}

/**
 * Through the driver's collection, with what mongoose's cast added: `days: {}` (the schema's default) on a document
 * the line creates; the item is under a Mixed field (not cast). Its cast was part of the ~1.7 % of a paying check-in's
 * Node CPU still in mongoose's bulkWrite (H9a).
 */
async function write(lines: MonthLine[]): Promise<void> {
  for (let i = 0; i < lines.length; i += CHUNK) {
    await AttendanceMonthModel.collection.bulkWrite(
      lines.slice(i, i + CHUNK).map(({ c, keep }) => ({
        updateOne: {
          filter: { _id: docOf(c) as never },
          update: monthLineUpdate(c, keep, { days: {} }),
          upsert: true,
        },
      })),
      { ordered: true },
    );
  }
  landed(lines);
}

/** The grouped writes' queue (db/grouped-marks.ts): a failed write keeps its lines queued and retries them. */
const lines = groupedQueue<MonthLine>('checkin-month-lines', write, EVERY_MS, RETRY_MS);

/** Queues a valid check-in's month line, with its fix (`keep`) when it has one. */
export function queueMonthLine(c: CheckinDoc, keep?: FixWrite): void {
  pending.add(docOf(c));
  lines.add({ c, keep });
}

/** Writes every queued line now (the reconciler, a seed job, a reader of a month with lines queued). */
export const flushMonthLines = (): Promise<void> => lines.flush();

/** Waits until the month document's queued lines are written (at once when none are). */
export async function monthLinesLanded(userId: string, month: string): Promise<void> {
  if (pending.has(monthDocId(userId, month))) await flushMonthLines();
}
