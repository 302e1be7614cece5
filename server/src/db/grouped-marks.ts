import { AsyncResource } from 'node:async_hooks';
import type { AnyBulkWriteOperation } from 'mongoose';

/**
 * A flag set on documents by key, written in groups off the requests' path (issue 17): a request queues its
 * document's mark and replies; every `everyMs` one bulk write sets the queued marks (under load one command for
 * all the requests of that window, not one each). Only for marks whose absence is harmless: what an unmarked
 * document stands for is finished again, idempotently, by a start-up reconciler that writes the queue first, and
 * shutdown writes every queue (`flushGroupedMarks`). The ledger's applied marks, a check-in's `settled`, a sign-in's
 * `paid`.
 */
export interface GroupedMarks {
  /** Queues a document's mark: what it stands for is done. */
  mark(id: string): void;
  /** Writes every queued mark now (one bulk write); a failure keeps them queued for the next try. */
  flush(): Promise<void>;
}

interface BulkWriter {
  bulkWrite(ops: AnyBulkWriteOperation[], options: { ordered: boolean }): Promise<unknown>;
}

/** Every queue's flush, for shutdown. */
const every: (() => Promise<void>)[] = [];

export interface GroupedQueue<T> {
  /** Queues an item; the timer writes it with the others of its window. */
  add(item: T): void;
  /** Writes every queued item now (one `write`). */
  flush(): Promise<void>;
}

/**
 * The machinery of every grouped write: items queued by requests and written together by `write` every `everyMs`
 * (or at `flush`), one write at a time, from a timer started outside every request (its commands count to none).
 * After a failed write (the engine away) the items are queued again and tried `retryMs` later, or dropped when
 * `retryMs` is null.
 */
export function groupedQueue<T>(
  name: string,
  write: (items: T[]) => Promise<void>,
  everyMs: number,
  retryMs: number | null,
): GroupedQueue<T> {
  // Created at load, outside every request: the timers it starts belong to no request's command count.
  const background = new AsyncResource(name);
  let queued: T[] = [];
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> | null = null;

  function schedule(ms: number): void {
    if (timer) return;
    timer = background.runInAsyncScope(() => setTimeout(() => void flush(), ms));
    timer.unref();
  }

  async function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    while (writing) await writing;
    if (queued.length === 0) return;
    const items = queued;
    queued = [];
    writing = write(items).catch(() => {
      if (retryMs === null) return;
      queued = [...items, ...queued];
      schedule(retryMs);
    });
    await writing;
    writing = null;
  }

  every.push(flush);
  return {
    add(item) {
      queued.push(item);
      schedule(everyMs);
    },
    flush,
  };
}

/**
 * `name` names the timers' async resource; `set` is the mark (`{ applied: true }`). After a failed write (the engine
 * away), the marks stay queued and are tried again `retryMs` later.
 */
export function groupedMarks(
  name: string,
  model: BulkWriter,
  set: Record<string, unknown>,
  everyMs = 10,
  retryMs = 1000,
): GroupedMarks {
  const queue = groupedQueue<string>(
    name,
    async (ids) => {
      const ops = [...new Set(ids)].map((_id) => ({ updateOne: { filter: { _id }, update: { $set: set } } }));
      await model.bulkWrite(ops as AnyBulkWriteOperation[], { ordered: false });
    },
    everyMs,
    retryMs,
  );
  return { mark: (id) => queue.add(id), flush: () => queue.flush() };
}

export interface GroupedIncrements {
  /** Queues `$inc` on the document `id` (added to what is queued for it). */
  add(id: string, inc: Record<string, number>): void;
  /** Writes every queued increment now (one bulk write). */
  flush(): Promise<void>;
}

/**
 * Counters moved in groups off the requests' path, like the marks: every `everyMs` one bulk write of one `$inc` per
 * document for all the requests of that window (`upsert`: a counter document made on its first move). Only for
 * counters a repair recounts from their sources (the start-up repairs, run again when the engine comes back:
 * recovery.ts): a failed write is dropped, not retried, so a write that landed in part is never counted twice; the
 * recount puts it right.
 */
export function groupedIncrements(
  name: string,
  model: () => { bulkWrite(ops: never, options: { ordered: boolean }): Promise<unknown> },
  upsert: boolean,
  everyMs = 10,
): GroupedIncrements {
  const queue = groupedQueue<{ id: string; inc: Record<string, number> }>(
    name,
    async (items) => {
      const sums = new Map<string, Record<string, number>>();
      for (const { id, inc } of items) {
        const sum = sums.get(id) ?? {};
        for (const [field, n] of Object.entries(inc)) sum[field] = (sum[field] ?? 0) + n;
        sums.set(id, sum);
      }
      const ops = [...sums].map(([_id, inc]) => ({ updateOne: { filter: { _id }, update: { $inc: inc }, upsert } }));
      await model().bulkWrite(ops as never, { ordered: false });
    },
    everyMs,
    null,
  );
  return { add: (id, inc) => queue.add({ id, inc }), flush: () => queue.flush() };
}

/** A queue not built here whose writes shutdown and tests wait for too (the 数据看板 counters after the reply). */
export function flushWithGroupedMarks(flush: () => Promise<void>): void {
  every.push(flush);
}

/**
 * Writes every queue (shutdown, after the last requests). Twice: a write of one queue may queue into another (an
 * audit line filed in its feeds queues its `filed` mark), and the second round lands what the first queued.
 */
export async function flushGroupedMarks(): Promise<void> {
  for (let round = 0; round < 2; round++) await Promise.all(every.map((flush) => flush()));
}
