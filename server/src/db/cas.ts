import mongoose from 'mongoose';
import { isDuplicateKey } from './connect';

/**
 * Compare-and-swap by insert, for documents whose state moves through transitions (a commitment's life).
 *
 * Every filter here is exactly `{ _id }`, so it is a key lookup on every engine (FerretDB's SQLite backend scans for
 * anything else) and needs no transactions:
 * - a document carries `seq`; the transition from seq s inserts a log doc `_id: ${id}|${s}` holding the complete new
 *   state of the fields it changes. The insert is the lock: a duplicate key means another transition won.
 * - then the document is `$set` by `_id` to that state with seq s+1.
 * - a reader that finds a log doc for the document's current seq rolls it forward (a crash between the two writes,
 *   or a slow roller that wrote an older state back): the log chain is the truth, the document a cache of its end.
 */
export interface CasDoc {
  _id: string;
  seq: number;
  [key: string]: unknown;
}

interface LogDoc {
  _id: string;
  docId: string;
  seq: number;
  set: Record<string, unknown>;
  at: Date;
}

export class CasConflict extends Error {
  constructor(
    readonly id: string,
    readonly seq: number,
  ) {
    super(`cas conflict on ${id} at seq ${seq}`);
  }
}

export interface CasStore<T extends CasDoc> {
  read(id: string): Promise<T | null>;
  /**
   * The document as stored, without the log check (one key read instead of two): for read-only lists where a
   * move a crash left half-written may show its previous state until the next `read` rolls it forward.
   */
  peek(id: string): Promise<T | null>;
  /** Inserts the first version (seq 0); false when the document already exists. */
  create(doc: Omit<T, 'seq'>): Promise<boolean>;
  /** Moves the document from `fromSeq` by `set`; throws CasConflict when another transition took that seq. */
  apply(id: string, fromSeq: number, set: Partial<T>): Promise<T>;
  /**
   * Read, decide, apply; on a lost race re-read and decide again (the decision may now throw: an illegal move),
   * at most `attempts` times, then CasConflict.
   */
  /**
   * Sets bookkeeping fields that are not part of the state (e.g. "effects done up to seq"): outside the log, so a
   * transition never carries them; never use it for state.
   */
  mark(id: string, fields: Record<string, unknown>): Promise<void>;
  transition(
    id: string,
    decide: (current: T | null) => Partial<T> | Promise<Partial<T>>,
    attempts?: number,
  ): Promise<{ before: T | null; after: T }>;
}

const logId = (id: string, seq: number) => `${id}|${seq}`;

export function casStore<T extends CasDoc>(collection: string, logCollection = `${collection}_log`): CasStore<T> {
  const docs = () => mongoose.connection.collection<CasDoc>(collection);
  const log = () => mongoose.connection.collection<LogDoc>(logCollection);

  async function read(id: string): Promise<T | null> {
    let doc = (await docs().findOne({ _id: id })) as T | null;
    // Roll forward while the log is ahead of the document.
    for (let guard = 0; doc && guard < 1000; guard += 1) {
      const entry = await log().findOne({ _id: logId(id, doc.seq) });
      if (!entry) return doc;
      const next = { ...entry.set, seq: doc.seq + 1 };
      await docs().updateOne({ _id: id }, { $set: next });
      doc = { ...doc, ...next } as T;
    }
    return doc;
  }

  async function peek(id: string): Promise<T | null> {
    return (await docs().findOne({ _id: id })) as T | null;
  }

  async function create(doc: Omit<T, 'seq'>): Promise<boolean> {
    try {
      await docs().insertOne({ ...doc, seq: 0 } as unknown as CasDoc);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async function apply(id: string, fromSeq: number, set: Partial<T>): Promise<T> {
    const clean = { ...set } as Record<string, unknown>;
    delete clean._id;
    delete clean.seq;
    try {
      await log().insertOne({ _id: logId(id, fromSeq), docId: id, seq: fromSeq, set: clean, at: new Date() });
    } catch (err) {
      if (isDuplicateKey(err)) throw new CasConflict(id, fromSeq);
      throw err;
    }
    await docs().updateOne({ _id: id }, { $set: { ...clean, seq: fromSeq + 1 } });
    const after = await read(id);
    if (!after) throw new Error(`cas document ${id} vanished`);
    return after;
  }

  async function transition(id: string, decide: (current: T | null) => Partial<T> | Promise<Partial<T>>, attempts = 5) {
    for (let attempt = 1; ; attempt += 1) {
      const before = await read(id);
      const set = await decide(before);
      try {
        if (!before) {
          // The first version: the insert itself is the race.
          if (await create({ ...set, _id: id } as unknown as Omit<T, 'seq'>))
            return { before, after: (await read(id))! };
          throw new CasConflict(id, -1);
        }
        return { before, after: await apply(id, before.seq, set) };
      } catch (err) {
        if (!(err instanceof CasConflict) || attempt >= attempts) throw err;
      }
    }
  }

  async function mark(id: string, fields: Record<string, unknown>): Promise<void> {
    await docs().updateOne({ _id: id }, { $set: fields });
  }

  return { read, peek, create, apply, mark, transition };
}
