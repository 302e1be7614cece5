import { groupedQueue } from '../../db/grouped-marks';
import { pendingKeys } from '../../db/pending-keys';
import { AttendanceMonthModel, type CheckinDoc } from './checkins.model';
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

const docOf = (c: CheckinDoc) => monthDocId(c.userId, c.month);

function landed(lines: CheckinDoc[]): void {
  pending.done(lines.map(docOf));
  afterWrite(lines.map((c) => c._id));
}

/**
 * Through the driver's collection, with what mongoose's cast added: `days: {}` (the schema's default) on a document
 * the line creates; the item is under a Mixed field (not cast). Its cast was part of the ~1.7 % of a paying check-in's
 * Node CPU still in mongoose's bulkWrite (H9a).
 */
async function write(lines: CheckinDoc[]): Promise<void> {
  for (let i = 0; i < lines.length; i += CHUNK) {
    await AttendanceMonthModel.collection.bulkWrite(
      lines.slice(i, i + CHUNK).map((c) => ({
        updateOne: {
          filter: { _id: docOf(c) as never },
          update: {
            $set: { [`items.${c._id}`]: storedItem(c) },
            $setOnInsert: { userId: c.userId, month: c.month, days: {} },
          },
          upsert: true,
        },
      })),
      { ordered: true },
    );
  }
  landed(lines);
}

/** The grouped writes' queue (db/grouped-marks.ts): a failed write keeps its lines queued and retries them. */
const lines = groupedQueue<CheckinDoc>('checkin-month-lines', write, EVERY_MS, RETRY_MS);

/** Queues a valid check-in's month line. */
export function queueMonthLine(c: CheckinDoc): void {
  pending.add(docOf(c));
  lines.add(c);
}

/** Writes every queued line now (the reconciler, a seed job, a reader of a month with lines queued). */
export const flushMonthLines = (): Promise<void> => lines.flush();

/** Waits until the month document's queued lines are written (at once when none are). */
export async function monthLinesLanded(userId: string, month: string): Promise<void> {
  if (pending.has(monthDocId(userId, month))) await flushMonthLines();
}
