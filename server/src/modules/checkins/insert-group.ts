import { inFlightBatches } from '../../db/group-commit';
import { CheckinModel, type CheckinDoc } from './checkins.model';

/**
 * Check-in inserts committed in groups (issue 17): the engine takes one write at a time and each command is a
 * transaction of its own: a check-in's insert cost ~0.25 ms of engine CPU sent one per command by 50 callers, ~0.07
 * as one insert of 50 (H6e, 2026-11-30, a FerretDB of 20k check-ins on this machine). While one insert is in
 * flight the check-ins after it gather and go as one `insertMany` when it returns; none in flight: at once, so a
 * check-in alone waits for nothing. Each request still awaits the write that carries its document (its reply means
 * it is stored); a document refused (its `_id` already there: a resend with the same Idempotency-Key) rejects that
 * request alone with the engine's error, a failed write rejects every request in it.
 */

/** The most documents in one insert (a command of 100+ statements stalled the embedded engine before its patch). */
export const MAX_GROUP = 50;

type WriteError = { index: number; code?: number; errmsg?: string };

/** The per-document errors of an unordered insert (the driver gives one or an array), or null for a failed command. */
function writeErrorsOf(err: unknown): WriteError[] | null {
  const errors = (err as { writeErrors?: WriteError | WriteError[] } | null)?.writeErrors;
  if (!errors) return null;
  return Array.isArray(errors) ? errors : [errors];
}

/** A document's own refusal, shaped as the driver's error for a single insert (`code` 11000 for a duplicate key). */
function refusal(e: WriteError): Error {
  return Object.assign(new Error(e.errmsg ?? 'insert refused'), { code: e.code });
}

/** One unordered `insertMany`; returns each refused document's error by its place, throws when the command failed. */
async function write(docs: CheckinDoc[]): Promise<Map<number, Error> | void> {
  try {
    // String ids: the driver's types assume ObjectIds.
    await CheckinModel.collection.insertMany(docs as never[], { ordered: false });
  } catch (err) {
    const errors = writeErrorsOf(err);
    if (!errors) throw err;
    return new Map(errors.map((e) => [e.index, refusal(e)]));
  }
}

/** The batching shared with every group commit (db/group-commit.ts); only the per-document outcome is this file's. */
const inserts = inFlightBatches<CheckinDoc, CheckinDoc[]>({
  start: () => [],
  fits: (docs) => docs.length < MAX_GROUP,
  add: (docs, doc) => docs.push(doc),
  send: write,
});

/** Stores a new check-in: resolves once its document is written, rejects as an insert of it alone would. */
export const insertCheckin = (doc: CheckinDoc): Promise<void> => inserts.submit(doc);
