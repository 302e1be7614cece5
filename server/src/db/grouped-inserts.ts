import { inFlightBatches } from './group-commit';

/**
 * Inserts of new documents committed in groups (issue 17): the engine takes one write at a time and each command is a
 * transaction of its own: an insert cost ~0.25 ms of engine CPU sent one per command by 50 callers, ~0.07 as one
 * insert of 50 (H6e, 2026-11-30, a FerretDB of 20k check-ins on this machine), and every command sent costs the
 * server's thread its driver work too. While one insert of the collection is in flight the documents after it gather
 * and go as one unordered `insertMany` when it returns; none in flight: at once, so a document alone waits for
 * nothing. Each caller still awaits the write that carries its document (resolved means stored); a document refused
 * (its `_id` already there, or twice in one group) rejects that caller alone with the engine's error, shaped as a
 * single insert's (`code` 11000 for a duplicate key); a failed write rejects every caller in it.
 * Users: check-ins (checkins/insert-group.ts), quiz attempts and results (quiz/quiz-writes.ts).
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

interface Collection {
  insertMany(docs: never[], options: { ordered: boolean }): Promise<unknown>;
}

/**
 * The grouped insert of one collection (a driver collection: documents go as given, no mongoose casting): resolves
 * once the document is written, rejects as an insert of it alone would.
 */
export function groupedInserts<T extends { _id: string }>(collection: () => Collection): (doc: T) => Promise<void> {
  /** One unordered `insertMany`; returns each refused document's error by its place, throws when the command failed. */
  async function write(docs: T[]): Promise<Map<number, Error> | void> {
    try {
      // String ids: the driver's types assume ObjectIds.
      await collection().insertMany(docs as never[], { ordered: false });
    } catch (err) {
      const errors = writeErrorsOf(err);
      if (!errors) throw err;
      return new Map(errors.map((e) => [e.index, refusal(e)]));
    }
  }
  const inserts = inFlightBatches<T, T[]>({
    start: () => [],
    fits: (docs) => docs.length < MAX_GROUP,
    add: (docs, doc) => docs.push(doc),
    send: write,
  });
  return (doc) => inserts.submit(doc);
}
