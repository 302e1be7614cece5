import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { onCollectionWrite, outsideRequests, type WrittenIds } from './engine-commands';
import { sharedViewMs } from './shared-view';

/**
 * Views per `_id` of a collection written on every award (a member's totals, issue 17), held up to BUCKET_HOLD_MS and
 * seen to change on every process within the shared-view bound, at a cost an award can carry. The rare-write marks
 * (db/change-marks.ts) name each id and turn to `all` past 1,000 held ids, which awards to a county's members fill in
 * seconds; here each id falls in one of BUCKETS buckets, and a process marks the buckets its writes named in one
 * write per gathering window (one for every award answered in it, sent off the request's path), so the marks
 * document never grows past BUCKETS fields. A view is dropped when its bucket's mark (or `all`) differs from the one
 * read before it: another process's award drops the ~1/BUCKETS of views that share its bucket, never all of them.
 * This process's own writes drop the views of the ids they name at once (both ends of the write), others' stay.
 * A write around the app, or lost with a crash before its mark, is seen after BUCKET_HOLD_MS at the latest.
 */
export const BUCKET_HOLD_MS = 60_000;
export const BUCKETS = 1024;
/**
 * Marks gathered this long share one write: half the bound (500 ms at the default; never longer), a held view checked
 * against marks at most the other half old. Awards further apart than the window cost a marks write each, after
 * their reply (the engine is idle then); under load, one per window for all awards in it (see README Benchmark).
 */
const gatherMs = () => Math.min(500, Math.floor(sharedViewMs() / 2));

interface BucketMarks {
  _id: string;
  b?: Record<string, string>;
  all?: string;
}

const marksCollection = () => mongoose.connection.collection<BucketMarks>('change_marks');
const marksId = (collection: string) => `buckets|${collection}`;
const newStamp = () => `${Date.now()}-${randomBytes(6).toString('hex')}`;

/** FNV-1a of the id, into BUCKETS. */
export function bucketOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % BUCKETS;
}

/** The marks document's update for writes naming `ids` (or others: 'all'), as every process sends it. */
export function bucketMarkUpdate(ids: ReadonlySet<number> | 'all') {
  const stamp = newStamp();
  return ids === 'all'
    ? { $set: { all: stamp }, $unset: { b: '' as const } }
    : { $set: Object.fromEntries([...ids].map((b) => [`b.${b}`, stamp])) };
}

const pending = new Map<string, Set<number> | 'all'>();

async function writeMarks(collection: string): Promise<void> {
  const buckets = pending.get(collection);
  pending.delete(collection);
  if (!buckets) return;
  await marksCollection().updateOne({ _id: marksId(collection) }, bucketMarkUpdate(buckets), { upsert: true });
}

function mark(collection: string, ids: WrittenIds): void {
  // Views off here (the tests' default) and in every process of the deployment: nothing is held to drop.
  if (ids === 'dropped' || sharedViewMs() === 0) return;
  const before = pending.get(collection);
  // Outside any request: a mark write is not one of the request's commands (it is sent after its reply).
  if (before === undefined)
    outsideRequests(() => setTimeout(() => writeMarks(collection).catch(() => undefined), gatherMs()).unref());
  if (before === 'all' || ids === 'all') pending.set(collection, 'all');
  else pending.set(collection, new Set([...(before ?? []), ...ids.map(bucketOf)]));
}

/** The collections marked by bucket: every process that writes them marks them (connectDatabase: change-marks.ts). */
export type BucketMarked = 'points_member_totals';
const BUCKET_MARKED: readonly BucketMarked[] = ['points_member_totals'];
let recording = false;
export function recordBucketMarks(): void {
  if (recording) return;
  recording = true;
  for (const collection of BUCKET_MARKED)
    onCollectionWrite(collection, (ids, phase) => {
      if (phase !== 'sent') mark(collection, ids);
    });
}

/** Sends the marks still gathering (before a job or the server disconnects). */
export async function flushBucketMarks(): Promise<void> {
  await Promise.all([...pending.keys()].map((c) => writeMarks(c).catch(() => undefined)));
}

export interface HeldById<V> {
  /** The view held here when its bucket shows no change since it was read, else read now and held. */
  get(id: string): Promise<V>;
  /** Read as stored now, and held. */
  fresh(id: string): Promise<V>;
  /** How many ids are held (tests). */
  size(): number;
}

/**
 * A view per `_id` of `collection`, at most `max` ids held (the least recently read dropped). With shared views off
 * (`sharedViewMs` 0) every get reads. The marks are read at most once per bound less the gathering window, so a write
 * another process makes is seen within the bound: its mark is sent within that window of its reply.
 */
export function heldById<V>(collection: BucketMarked, load: (id: string) => Promise<V>, max: number): HeldById<V> {
  type Held = { at: number; mark: string | undefined; all: string | undefined; value: Promise<V> };
  const held = new Map<string, Held>();
  let marks: { at: number; doc: Promise<BucketMarks> } | undefined;
  const drop = (ids: WrittenIds) => (Array.isArray(ids) ? ids.forEach((id) => held.delete(id)) : held.clear());
  onCollectionWrite(collection, drop);
  /** The marks as read at most `age` ms ago (else read now, once for every request together). */
  function marksNow(age: number): Promise<BucketMarks> {
    if (marks && Date.now() - marks.at < age) return marks.doc;
    const read = { at: Date.now(), doc: readMarks(collection) };
    read.doc.catch(() => marks === read && (marks = undefined));
    marks = read;
    return read.doc;
  }
  async function read(id: string, reuse: boolean): Promise<V> {
    if (sharedViewMs() === 0) return load(id);
    // The marks before the value: a write that lands after they were read is marked after, so it shows. A held view
    // is checked against marks at most the bound less the gathering window old (so another process's write shows
    // within the bound); a value read now may be stamped with marks up to a bound old (an older stamp only drops it
    // sooner), so a first read rarely waits for a marks read.
    const check = reuse && held.has(id);
    const doc = await marksNow(check ? sharedViewMs() - gatherMs() : sharedViewMs());
    const mark = doc.b?.[String(bucketOf(id))];
    const hit = held.get(id);
    if (reuse && hit && Date.now() - hit.at < BUCKET_HOLD_MS && hit.mark === mark && hit.all === doc.all) {
      held.delete(id);
      held.set(id, hit); // the least recently read is dropped first
      return hit.value;
    }
    const kept: Held = { at: Date.now(), mark, all: doc.all, value: load(id) };
    held.delete(id);
    if (held.size >= max) held.delete(held.keys().next().value as string);
    held.set(id, kept);
    kept.value.catch(() => held.get(id) === kept && held.delete(id));
    return kept.value;
  }
  return { get: (id) => read(id, true), fresh: (id) => read(id, false), size: () => held.size };
}

async function readMarks(collection: string): Promise<BucketMarks> {
  return (await marksCollection().findOne({ _id: marksId(collection) })) ?? { _id: marksId(collection) };
}
