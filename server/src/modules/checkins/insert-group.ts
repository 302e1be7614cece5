import { AsyncResource } from 'node:async_hooks';
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

interface Waiter {
  doc: CheckinDoc;
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface Group {
  waiters: Waiter[];
  /** The write, run in the async context of the group's first request (its command counts to a waiting request). */
  send: () => Promise<void>;
}

const groups: Group[] = [];
let inFlight = false;

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

async function write(waiters: Waiter[]): Promise<void> {
  try {
    // String ids: the driver's types assume ObjectIds.
    await CheckinModel.collection.insertMany(waiters.map((w) => w.doc) as never[], { ordered: false });
    waiters.forEach((w) => w.resolve());
  } catch (err) {
    const errors = writeErrorsOf(err);
    if (!errors) return waiters.forEach((w) => w.reject(err));
    const refused = new Map(errors.map((e) => [e.index, e]));
    waiters.forEach((w, i) => (refused.has(i) ? w.reject(refusal(refused.get(i)!)) : w.resolve()));
  }
}

function newGroup(): Group {
  const group: Group = { waiters: [], send: () => Promise.resolve() };
  group.send = AsyncResource.bind(() => write(group.waiters));
  return group;
}

async function drain(): Promise<void> {
  inFlight = true;
  try {
    for (let group = groups.shift(); group; group = groups.shift()) await group.send();
  } finally {
    inFlight = false;
  }
}

/** Stores a new check-in: resolves once its document is written, rejects as an insert of it alone would. */
export function insertCheckin(doc: CheckinDoc): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let group = groups.at(-1);
    if (!group || group.waiters.length >= MAX_GROUP) groups.push((group = newGroup()));
    group.waiters.push({ doc, resolve, reject });
    if (!inFlight) void drain();
  });
}
