import { AsyncResource } from 'node:async_hooks';

/**
 * Group commit of bulk writes by key (issue 17): the engine takes one write at a time, and under load many requests
 * update the same few documents (every award of a county rewrites its county and township documents). While one
 * write of a collection is in flight, the writes after it gather and go as one when it returns, their statements on
 * one document merged into one. When none is in flight a write goes at once: no timer, so a request alone waits for
 * nothing.
 *
 * Only for updates that commute (`$inc`, `$max`, `$addToSet`, `$unset` of fields no other statement writes): one
 * write of the merged statements leaves each document as the writes one by one would have. Each caller still awaits
 * the write that carries its statements, and a failed write rejects every caller in it.
 */

/** What a statement may hold. */
export interface KeyedUpdate {
  $inc?: Record<string, number>;
  $unset?: Record<string, 1>;
  $max?: Record<string, string | number>;
  $addToSet?: Record<string, unknown>;
}

/** An upsert of one document by key. */
export interface KeyedStatement {
  updateOne: { filter: { _id: string }; update: KeyedUpdate; upsert: boolean };
}

/**
 * The most statements (documents) and callers in one write. FerretDB 1.24 held a connection per statement of a
 * command until the command ended (engine-bulk-updates.test.ts: patched since, and this keeps a write short).
 */
export const MAX_STATEMENTS = 100;
export const MAX_CALLERS = 100;

/** One document's updates merged: sums, the higher of each `$max`, every item added, every field dropped. */
interface Merged {
  inc: Map<string, number>;
  unset: Set<string>;
  max: Map<string, string | number>;
  add: Map<string, unknown[]>;
}

interface Batch {
  docs: Map<string, Merged>;
  callers: number;
  /** The write, run in the async context of the batch's first caller (its command counts to a waiting request). */
  send: () => Promise<unknown>;
  done: Promise<void>;
  settle: { resolve: () => void; reject: (err: unknown) => void };
}

export interface GroupCommit {
  /** Writes the statements with those gathered meanwhile; resolves when that write returned, rejects if it failed. */
  write(statements: KeyedStatement[]): Promise<void>;
  /**
   * Tests only: holds every write back, as if one were in flight, so the writes after it gather in one batch; returns
   * the release, which sends what gathered. `gathered()` counts the callers waiting.
   */
  hold(): { release: () => void; gathered: () => number };
}

interface Collection {
  bulkWrite(ops: never[], options: { ordered: boolean }): Promise<unknown>;
}

function mergeInto(docs: Map<string, Merged>, { updateOne: { filter, update } }: KeyedStatement): void {
  let m = docs.get(filter._id);
  if (!m) docs.set(filter._id, (m = { inc: new Map(), unset: new Set(), max: new Map(), add: new Map() }));
  for (const [path, by] of Object.entries(update.$inc ?? {})) m.inc.set(path, (m.inc.get(path) ?? 0) + by);
  for (const path of Object.keys(update.$unset ?? {})) m.unset.add(path);
  for (const [path, value] of Object.entries(update.$max ?? {})) {
    const held = m.max.get(path);
    if (held === undefined || value > held) m.max.set(path, value);
  }
  for (const [path, item] of Object.entries(update.$addToSet ?? {}))
    m.add.set(path, [...(m.add.get(path) ?? []), item]);
}

/**
 * One document's merged update. A net `$inc` of 0 is left out (the field keeps its value, as the moves one by one
 * leave it). A field one statement drops and another writes is kept: an `$unset` of a path another operator writes
 * is refused by the engine (scopes: a period gone by, which nothing reads, apply.ts).
 */
function updateOf(m: Merged): KeyedUpdate | null {
  const inc = [...m.inc].filter(([, by]) => by !== 0);
  const written = [...inc.map(([p]) => p), ...m.max.keys(), ...m.add.keys()];
  const unset = [...m.unset].filter((u) => !written.some((p) => p === u || p.startsWith(`${u}.`)));
  const update: KeyedUpdate = {};
  if (inc.length > 0) update.$inc = Object.fromEntries(inc);
  if (unset.length > 0) update.$unset = Object.fromEntries(unset.map((u) => [u, 1 as const]));
  if (m.max.size > 0) update.$max = Object.fromEntries(m.max);
  if (m.add.size > 0)
    update.$addToSet = Object.fromEntries(
      [...m.add].map(([path, items]) => [path, items.length === 1 ? items[0] : { $each: items }]),
    );
  return Object.keys(update).length > 0 ? update : null;
}

/** The group commit of one collection's keyed writes (a driver collection, or a mongoose model where its casting serves). */
export function groupCommit(collection: () => Collection): GroupCommit {
  const waiting: Batch[] = [];
  let inFlight = false;

  async function bulkWrite(docs: Map<string, Merged>): Promise<void> {
    const ops = [...docs].flatMap(([_id, m]) => {
      const update = updateOf(m);
      return update ? [{ updateOne: { filter: { _id }, update, upsert: true } }] : [];
    });
    if (ops.length > 0) await collection().bulkWrite(ops as never[], { ordered: false });
  }

  function newBatch(): Batch {
    let settle!: Batch['settle'];
    const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    done.catch(() => undefined); // each caller awaits it; a failure must not go unhandled before they do
    const batch: Batch = { docs: new Map(), callers: 0, done, settle, send: () => Promise.resolve() };
    batch.send = AsyncResource.bind(() => bulkWrite(batch.docs));
    return batch;
  }

  /** Whether a caller's statements join the batch within its bounds. */
  function fits(batch: Batch, statements: KeyedStatement[]): boolean {
    const more = new Set(statements.map((s) => s.updateOne.filter._id).filter((id) => !batch.docs.has(id))).size;
    return batch.callers < MAX_CALLERS && batch.docs.size + more <= MAX_STATEMENTS;
  }

  /** Sends the next gathered batch, if any, when the write in flight has returned. */
  function sendNext(): void {
    const batch = waiting.shift();
    if (!batch) {
      inFlight = false;
      return;
    }
    inFlight = true;
    batch.send().then(batch.settle.resolve, batch.settle.reject).finally(sendNext);
  }

  return {
    write(statements) {
      if (statements.length === 0) return Promise.resolve();
      let batch = waiting.at(-1);
      if (!batch || !fits(batch, statements)) waiting.push((batch = newBatch()));
      for (const s of statements) mergeInto(batch.docs, s);
      batch.callers += 1;
      if (!inFlight) sendNext();
      return batch.done;
    },
    hold() {
      if (inFlight) throw new Error('a write is in flight');
      inFlight = true;
      return { release: sendNext, gathered: () => waiting.reduce((n, b) => n + b.callers, 0) };
    },
  };
}
