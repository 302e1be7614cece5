import type { mongo } from 'mongoose';
import { inFlightBatches } from './group-commit';

/**
 * Key reads of one collection gathered into one command (issue 17, cold reads). Under load ~50 requests are in flight
 * and each cold read asks for another member's document; the engine costs ~1 ms a command whatever it fetches, and the
 * driver's round trip is a third of a cold read's Node CPU. While one read of the collection is in flight, the reads
 * asked after it gather and go as ONE `find {_id: {$in: [...]}}` when it returns (the in-flight rule of
 * db/group-commit.ts: no timer, a read alone goes at once as a plain key read). The engine fetches such a list by its
 * `_id` index (patches.json, engine-id-in-pushdown.test.ts). A read is sent after it was asked, never before, so it
 * sees every write answered before it was asked (read-your-writes holds as for a read sent at once). Its command
 * counts once, to the request that opened the batch.
 */

/** The most ids in one command: under FerretDB's first batch (101 documents), so a batch is one command, no getMore. */
export const MAX_KEYS = 100;

export interface KeyReads<T> {
  /** The document with this `_id` (null: none), read in the next command of the collection's reads. */
  read(id: string): Promise<T | null>;
  /** These documents (null: none), in the order asked, read in ONE command (a batch of their own when they do not fit). */
  readMany(ids: string[]): Promise<(T | null)[]>;
  /** Tests only: holds every read back as if one were in flight; the release sends what gathered. */
  hold(): { release: () => void; gathered: () => number };
}

interface Batch<T> {
  ids: Set<string>;
  found?: Map<string, T>;
}
interface Ask<T> {
  ids: string[];
  batch?: Batch<T>;
}

type Keyed = mongo.Document & { _id: string };

/**
 * Batched key reads of `collection`, each document with `projection` (none: whole). An id already in the gathering
 * batch starts the next one: every caller gets a document of its own (no two share one object they might change).
 */
export function keyReads<T extends Keyed>(
  collection: () => mongo.Collection<T>,
  projection?: mongo.Document,
): KeyReads<T> {
  const options = projection ? { projection } : {};
  const batches = inFlightBatches<Ask<T>, Batch<T>>({
    start: () => ({ ids: new Set() }),
    fits: (batch, ask) => ask.ids.every((id) => !batch.ids.has(id)) && batch.ids.size + ask.ids.length <= MAX_KEYS,
    add: (batch, ask) => {
      for (const id of ask.ids) batch.ids.add(id);
      ask.batch = batch;
    },
    send: async (batch) => {
      const ids = [...batch.ids];
      const docs =
        ids.length === 1
          ? [await collection().findOne({ _id: ids[0] } as mongo.Filter<T>, options)]
          : await collection()
              .find({ _id: { $in: ids } } as mongo.Filter<T>, options)
              .toArray();
      batch.found = new Map(docs.flatMap((doc) => (doc ? [[doc._id, doc as T]] : [])));
    },
  });
  return {
    async read(id) {
      return (await this.readMany([id]))[0]!;
    },
    async readMany(ids) {
      const ask: Ask<T> = { ids: [...new Set(ids)] };
      await batches.submit(ask);
      return ids.map((id) => ask.batch!.found!.get(id) ?? null);
    },
    hold: () => batches.hold(),
  };
}
