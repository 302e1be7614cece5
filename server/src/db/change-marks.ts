import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { flushBucketMarks, recordBucketMarks } from './bucket-marks';
import { onCollectionWrite, type WrittenIds } from './engine-commands';
import { sharedValue, sharedViewMs } from './shared-view';

/**
 * Change marks (issue 17): views of documents that change rarely (members, orgs) held for up to `MARKED_HOLD_MS`
 * instead of the shared-view bound, yet seen to change on every process within that bound. Every write this process
 * sends to a marked collection, whatever code sent it (every command the driver sends: db/engine-commands.ts), is
 * followed by one write to that collection's marks document (`change_marks/<collection>`): `m.<_id>` -> a new unique
 * stamp for each `_id` the write named, `all` -> a new stamp when it named documents by another filter. Each process
 * reads each marks document at most once per bound (for every request together) and drops a view whose stamps at
 * reading differ from the marks now. A view kept is therefore at most the bound behind the stored document, plus the
 * moment between a write's reply and its mark. A write made around the app (a database shell) or lost with a crash
 * between the write and its mark is seen after `MARKED_HOLD_MS` at the latest by views, `CLAIMS_HOLD_MS` by a
 * session token's claims (a crashed process marks every member when it starts again: `markAllChanged`). Stamps are
 * compared, never ordered, so replicas need no common clock. Old marks are pruned; a pruned mark makes views stamped
 * with it read again.
 */
export const MARKED_HOLD_MS = 60_000;
/**
 * How long a session token's claims, stamped with marks, may stand for the member on reads (modules/users/
 * session-claims.ts). Marks are kept a hold longer than anything stamped before them can be trusted: a pruned mark
 * must never make an older claim (or view) stamped "no mark" look current again.
 */
export const CLAIMS_HOLD_MS = 10 * 60_000;
const PRUNE_AFTER_MS = CLAIMS_HOLD_MS + MARKED_HOLD_MS;

export type MarkedCollection = 'users' | 'orgs';
const MARKED: readonly MarkedCollection[] = ['users', 'orgs'];

export interface MarksDoc {
  _id: string;
  m?: Record<string, string>;
  all?: string;
}

const marksCollection = () => mongoose.connection.collection<MarksDoc>('change_marks');
const newStamp = () => `${Date.now()}-${randomBytes(6).toString('hex')}`;
const stampTime = (stamp: string) => Number(stamp.split('-')[0]);
/** A field name of the marks document: ids of this shape only (others mark `all`). */
const FIELD_SAFE = /^[\w-]{1,64}$/;

/** Marks of one collection waiting for their write: ids, or every document. */
const pending = new Map<MarkedCollection, Set<string> | 'all'>();
/** Writes answered within this window share one mark write (an org move's hundreds of key updates: one each else). */
const GATHER_MS = 5;
/**
 * More ids than this in one mark write, or a marks document holding more than MAX_HELD: `all` instead. The engine's
 * cost of a `$set` grows with the fields the document holds (FerretDB looks each up by a linear scan): a roster
 * import naming thousands of ids one by one made each mark write slower than the last.
 */
const MAX_IDS = 50;
const MAX_HELD = 1_000;
/** How many ids the marks documents held when this process last read them. */
const heldIds = new Map<MarkedCollection, number>();

/**
 * `all` also drops every id's mark: a view is valid only while its id's mark and `all` are both as it read them,
 * so a new `all` makes every view read again whatever `m` says, and an empty `m` keeps the document small.
 */
async function writeMarks(collection: MarkedCollection): Promise<void> {
  const ids = pending.get(collection);
  pending.delete(collection);
  if (!ids) return;
  const stamp = newStamp();
  const update =
    ids === 'all'
      ? { $set: { all: stamp }, $unset: { m: '' as const } }
      : { $set: Object.fromEntries([...ids].map((id) => [`m.${id}`, stamp])) };
  await marksCollection().updateOne({ _id: collection }, update, { upsert: true });
}

function mark(collection: MarkedCollection, ids: WrittenIds): void {
  if (ids === 'dropped') return; // a dropped collection or database: nothing left to hold (tests, rebuilds)
  const before = pending.get(collection);
  if (before === undefined) setTimeout(() => writeMarks(collection).catch(() => undefined), GATHER_MS);
  if (before === 'all' || ids === 'all' || !ids.every((id) => FIELD_SAFE.test(id))) {
    pending.set(collection, 'all');
    return;
  }
  const all = new Set([...(before ?? []), ...ids]);
  pending.set(collection, all.size > MAX_IDS || (heldIds.get(collection) ?? 0) > MAX_HELD ? 'all' : all);
}

/**
 * Marks every document of the collection changed, now (the server's start-up, for members: a mark this process lost
 * when it last stopped, a crash between a write and its mark, would otherwise leave claims trusted elsewhere for
 * CLAIMS_HOLD_MS). Every held view and claim of the collection, on every process, is read again once.
 */
export async function markAllChanged(collection: MarkedCollection): Promise<void> {
  mark(collection, 'all');
  await writeMarks(collection);
}

/** Sends the marks still gathering (before a job or the server disconnects: other processes must hear of them). */
export async function flushChangeMarks(): Promise<void> {
  await Promise.all([...pending.keys()].map((c) => writeMarks(c).catch(() => undefined)));
  await flushBucketMarks(); // a member's totals too (db/bucket-marks.ts)
}

/**
 * Wired once per process (connectDatabase): each write to a marked collection is marked when it is answered (or
 * failed: a bulk write may have written part of it), writes answered within GATHER_MS in one mark write. A lost mark
 * write is held for at most MARKED_HOLD_MS elsewhere.
 */
let recording = false;
export function recordChangeMarks(): void {
  if (recording) return;
  recording = true;
  recordBucketMarks();
  for (const collection of MARKED)
    onCollectionWrite(collection, (ids, phase) => {
      if (phase !== 'sent') mark(collection, ids);
    });
}

/**
 * Drops marks no view can still be stamped with, in one update conditional on each being unchanged since read (a
 * mark written again meanwhile leaves them all for the next read): removing a newer mark could make a view read
 * before it look valid. One statement, not one per id: each statement rewrites the whole document.
 */
function pruneOld(doc: MarksDoc): void {
  const old = Object.entries(doc.m ?? {})
    .filter(([, s]) => Date.now() - stampTime(s) > PRUNE_AFTER_MS)
    .slice(0, MAX_HELD);
  if (old.length === 0) return;
  const filter = { _id: doc._id, ...Object.fromEntries(old.map(([id, s]) => [`m.${id}`, s])) };
  const unset = Object.fromEntries(old.map(([id]) => [`m.${id}`, 1 as const]));
  marksCollection()
    .updateOne(filter, { $unset: unset })
    .catch(() => undefined);
}

/** The marks of each collection as read at most once per bound by this process. */
const marksViews = sharedValue(async (collection: MarkedCollection) => {
  const doc = (await marksCollection().findOne({ _id: collection })) ?? { _id: collection };
  heldIds.set(collection, Object.keys(doc.m ?? {}).length);
  pruneOld(doc);
  return doc;
});

/** A document's stamps in a marks view: its own mark and the collection's `all` (null: none). */
export interface Stamps {
  m: string | null;
  all: string | null;
}

/**
 * The marks of a collection as this process holds them (read at most once per bound), to stamp a value read AFTER
 * this call (a session token's claims: modules/users/session-claims.ts); `stampsOf` picks a document's stamps.
 */
export const heldMarks = (collection: MarkedCollection): Promise<MarksDoc> => marksViews.get(collection);
export const stampsOf = (marks: MarksDoc, id: string): Stamps => ({ m: marks.m?.[id] ?? null, all: marks.all ?? null });

export interface MarkedValue<V> {
  get(id: string): Promise<V>;
  /** Reads the value as stored, and keeps it (a write request's own read refreshes what reads are served). */
  fresh(id: string): Promise<V>;
}

/**
 * A view per `_id` of a marked collection: held up to MARKED_HOLD_MS while the collection's marks show no change to
 * it, dropped at once when this process writes the collection (`onCollectionWrite`, both ends of the write). With
 * shared views off (`sharedViewMs` 0: the tests' default) every get reads. At most `max` ids are held. `loadAll`
 * (a small collection: the org tree) reads every document in one command at most once per MARKED_HOLD_MS, so the
 * first reads of a process (or after the hold) are not a key read each.
 */
export function markedValue<V>(
  collection: MarkedCollection,
  load: (id: string) => Promise<V>,
  options: { max?: number; loadAll?: () => Promise<[string, V][]> } = {},
): MarkedValue<V> {
  const max = options.max ?? 10_000;
  type Held = { at: number; mark: string | undefined; all: string | undefined; value: Promise<V> };
  const held = new Map<string, Held>();
  let cleared = 0;
  let loadedAll: { at: number; done: Promise<void> } | undefined;
  onCollectionWrite(collection, () => {
    cleared += 1;
    held.clear();
  });
  function keep(id: string, kept: Held): void {
    held.delete(id);
    if (held.size >= max) held.delete(held.keys().next().value as string);
    held.set(id, kept);
  }
  /** Every document in one read, each stamped with the marks read before it; dropped if this process wrote meanwhile. */
  function loadEverything(marks: MarksDoc, loadAll: () => Promise<[string, V][]>): Promise<void> {
    const [at, seen] = [Date.now(), cleared];
    const done = loadAll().then((docs) => {
      if (seen !== cleared) return;
      for (const [id, value] of docs)
        if (!((held.get(id)?.at ?? -1) > at))
          keep(id, { at, mark: marks.m?.[id], all: marks.all, value: Promise.resolve(value) });
    });
    loadedAll = { at, done: done.catch(() => (loadedAll = undefined)) };
    return loadedAll.done;
  }
  const valid = (hit: Held | undefined, marks: MarksDoc, id: string) =>
    hit && Date.now() - hit.at < MARKED_HOLD_MS && hit.mark === marks.m?.[id] && hit.all === marks.all ? hit : null;
  async function read(id: string, reuse: boolean): Promise<V> {
    if (sharedViewMs() === 0) return load(id);
    // The marks are read before the value: a change that lands after they were read is marked after, so it shows.
    const marks = await marksViews.get(collection);
    if (reuse && options.loadAll && !valid(held.get(id), marks, id)) {
      if (!loadedAll || Date.now() - loadedAll.at >= MARKED_HOLD_MS) await loadEverything(marks, options.loadAll);
      else await loadedAll.done;
    }
    const hit = reuse ? valid(held.get(id), marks, id) : null;
    if (hit) return hit.value;
    const kept = { at: Date.now(), mark: marks.m?.[id], all: marks.all, value: load(id) };
    keep(id, kept);
    kept.value.catch(() => held.get(id) === kept && held.delete(id));
    return kept.value;
  }
  return { get: (id) => read(id, true), fresh: (id) => read(id, false) };
}
