import { AsyncResource } from 'node:async_hooks';
import { pathsAndParents } from './update-paths';

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

/**
 * An upsert of one document by key. `last`: the statement says its caller's other statements landed (an award's feed
 * line, points/apply.ts): it goes after every statement not so marked, and a write carrying one is ordered, so a
 * refused statement stops the write before it and a stop that cuts it leaves it unwritten (the engine runs a write's
 * statements in order). Its document gets no statement not so marked.
 */
export interface KeyedStatement {
  updateOne: { filter: { _id: string }; update: KeyedUpdate; upsert: boolean };
  last?: boolean;
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
  last: boolean;
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

function mergeInto(docs: Map<string, Merged>, { updateOne: { filter, update }, last }: KeyedStatement): void {
  let m = docs.get(filter._id);
  if (!m) docs.set(filter._id, (m = { inc: new Map(), unset: new Set(), max: new Map(), add: new Map(), last: false }));
  if (last) m.last = true;
  // `for...in`, not Object.entries: no array per path (with updateOf's, ~20 % of the group's merge, H9a).
  const { $inc: inc, $unset: unset, $max: max } = update;
  if (inc) for (const path in inc) m.inc.set(path, (m.inc.get(path) ?? 0) + inc[path]!);
  if (unset) for (const path in unset) m.unset.add(path);
  if (max)
    for (const path in max) {
      const held = m.max.get(path);
      if (held === undefined || max[path]! > held) m.max.set(path, max[path]!);
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
  const update: KeyedUpdate = {};
  const inc: Record<string, number> = {};
  for (const [path, by] of m.inc) if (by !== 0) inc[path] = by;
  const incs = Object.keys(inc);
  if (incs.length > 0) update.$inc = inc;
  if (m.unset.size > 0) {
    const written = pathsAndParents([...incs, ...m.max.keys(), ...m.add.keys()]);
    const unset = [...m.unset].filter((u) => !written.has(u));
    if (unset.length > 0) update.$unset = Object.fromEntries(unset.map((u) => [u, 1 as const]));
  }
  if (m.max.size > 0) update.$max = Object.fromEntries(m.max);
  if (m.add.size > 0)
    update.$addToSet = Object.fromEntries(
      [...m.add].map(([path, items]) => [path, items.length === 1 ? items[0] : { $each: items }]),
    );
  return Object.keys(update).length > 0 ? update : null;
}

/** The group commit of one collection's keyed writes (a driver collection, or a mongoose model where its casting serves). */
export function groupCommit(collection: () => Collection): GroupCommit {
  const batches = inFlightBatches<KeyedStatement[], Map<string, Merged>>({
    start: () => new Map(),
    fits: (docs, statements, callers) => {
      const more = new Set(statements.map((s) => s.updateOne.filter._id).filter((id) => !docs.has(id))).size;
      return callers < MAX_CALLERS && docs.size + more <= MAX_STATEMENTS;
    },
    add: (docs, statements) => statements.forEach((s) => mergeInto(docs, s)),
    send: async (docs) => {
      const ops = (last: boolean) =>
        [...docs].flatMap(([_id, m]) => {
          const update = m.last === last && updateOf(m);
          return update ? [{ updateOne: { filter: { _id }, update, upsert: true } }] : [];
        });
      const [first, then] = [ops(false), ops(true)];
      if (first.length + then.length > 0)
        await collection().bulkWrite([...first, ...then] as never[], { ordered: then.length > 0 });
    },
  });
  return {
    write: (statements) => (statements.length === 0 ? Promise.resolve() : batches.submit(statements)),
    hold: () => batches.hold(),
  };
}

/** How a kind of batch is gathered and written (`inFlightBatches`). */
export interface BatchSpec<T, B> {
  /** An empty batch. */
  start: () => B;
  /** Whether one more item joins the batch (`callers` items joined it already). */
  fits: (batch: B, item: T, callers: number) => boolean;
  add: (batch: B, item: T) => void;
  /**
   * Writes the batch. Per-item outcome: the refusals it returns (by the order items joined) reject those items'
   * callers alone; a throw rejects every caller of the batch.
   */
  send: (batch: B) => Promise<ReadonlyMap<number, unknown> | void>;
}

export interface InFlightBatches<T> {
  /** Resolves once the write carrying the item returned, rejects with its own refusal or the write's failure. */
  submit(item: T): Promise<void>;
  /** Tests only: as `GroupCommit.hold`. */
  hold(): { release: () => void; gathered: () => number };
}

interface Waiting<B> {
  batch: B;
  callers: { resolve: () => void; reject: (err: unknown) => void }[];
  /** The write, run in the async context of the batch's first caller (its command counts to a waiting request). */
  send: () => Promise<ReadonlyMap<number, unknown> | void>;
}

/**
 * The batching every group commit shares (the keyed writes here, check-in inserts: checkins/insert-group.ts): while
 * one write is in flight, the items after it gather in the last waiting batch (a new one when the item does not fit)
 * and go as one write when it returns; none in flight, an item goes at once. One write at a time, in order.
 */
export function inFlightBatches<T, B>(spec: BatchSpec<T, B>): InFlightBatches<T> {
  const waiting: Waiting<B>[] = [];
  let inFlight = false;

  function newBatch(): Waiting<B> {
    const w: Waiting<B> = { batch: spec.start(), callers: [], send: () => Promise.resolve() };
    w.send = AsyncResource.bind(() => spec.send(w.batch));
    return w;
  }

  /** Sends the next gathered batch, if any, when the write in flight has returned. */
  function sendNext(): void {
    const w = waiting.shift();
    if (!w) {
      inFlight = false;
      return;
    }
    inFlight = true;
    w.send()
      .then(
        (refused) => w.callers.forEach((c, i) => (refused?.has(i) ? c.reject(refused.get(i)) : c.resolve())),
        (err: unknown) => w.callers.forEach((c) => c.reject(err)),
      )
      .finally(sendNext);
  }

  return {
    submit(item) {
      return new Promise<void>((resolve, reject) => {
        let w = waiting.at(-1);
        if (!w || !spec.fits(w.batch, item, w.callers.length)) waiting.push((w = newBatch()));
        spec.add(w.batch, item);
        w.callers.push({ resolve, reject });
        if (!inFlight) sendNext();
      });
    },
    hold() {
      if (inFlight) throw new Error('a write is in flight');
      inFlight = true;
      return { release: sendNext, gathered: () => waiting.reduce((n, w) => n + w.callers.length, 0) };
    },
  };
}
