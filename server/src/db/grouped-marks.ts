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

const every: GroupedMarks[] = [];

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
  // Created at load, outside every request: the timers it starts belong to no request's command count.
  const background = new AsyncResource(name);
  const queued = new Set<string>();
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
    if (queued.size === 0) return;
    const ids = [...queued];
    queued.clear();
    const ops = ids.map((_id) => ({ updateOne: { filter: { _id }, update: { $set: set } } }));
    writing = model.bulkWrite(ops as AnyBulkWriteOperation[], { ordered: false }).then(
      () => undefined,
      () => {
        for (const id of ids) queued.add(id);
        schedule(retryMs);
      },
    );
    await writing;
    writing = null;
  }

  const marks: GroupedMarks = {
    mark(id) {
      queued.add(id);
      schedule(everyMs);
    },
    flush,
  };
  every.push(marks);
  return marks;
}

export interface GroupedIncrements {
  /** Queues `$inc` on the document `id` (added to what is queued for it). */
  add(id: string, inc: Record<string, number>): void;
  /** Writes every queued increment now (one bulk write). */
  flush(): Promise<void>;
}

/**
 * Counters moved in groups off the requests' path, like the marks: every `everyMs` one bulk write of one `$inc` per
 * document for all the requests of that window (`upsert`: a counter document made on its first move). Only for counters a repair recounts from their sources (the start-up
 * repairs, run again when the engine comes back: recovery.ts): a failed write is dropped, not retried, so a write
 * that landed in part is never counted twice; the recount puts it right.
 */
export function groupedIncrements(
  name: string,
  model: () => { bulkWrite(ops: never, options: { ordered: boolean }): Promise<unknown> },
  upsert: boolean,
  everyMs = 10,
): GroupedIncrements {
  const background = new AsyncResource(name);
  const queued = new Map<string, Record<string, number>>();
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> | null = null;

  async function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    while (writing) await writing;
    if (queued.size === 0) return;
    const ops = [...queued].map(([_id, inc]) => ({ updateOne: { filter: { _id }, update: { $inc: inc }, upsert } }));
    queued.clear();
    writing = model()
      .bulkWrite(ops as never, { ordered: false })
      .then(
        () => undefined,
        () => undefined,
      );
    await writing;
    writing = null;
  }

  const counters: GroupedIncrements = {
    add(id, inc) {
      const sum = queued.get(id) ?? {};
      for (const [field, n] of Object.entries(inc)) sum[field] = (sum[field] ?? 0) + n;
      queued.set(id, sum);
      if (timer) return;
      timer = background.runInAsyncScope(() => setTimeout(() => void flush(), everyMs));
      timer.unref();
    },
    flush,
  };
  every.push({ mark: () => undefined, flush });
  return counters;
}

/** Another queue written off the requests' path (audit feeds), flushed with the marks at shutdown. */
export function registerFlush(flush: () => Promise<void>): void {
  every.push({ mark: () => undefined, flush });
}

/** Writes every queue (shutdown, after the last requests). */
export async function flushGroupedMarks(): Promise<void> {
  await Promise.all(every.map((m) => m.flush()));
}
