import { AsyncResource } from 'node:async_hooks';
import { ScopeStatsModel } from './points.model';

/**
 * The awards' bulk writes to points_scopes (scope histograms and child sums, feed lines, board rows), committed in
 * groups (issue 17): the engine takes one write at a time, and every award of a county rewrites the same county and
 * township documents, so under load 50 awards sent 50 bulk writes of ~5 statements each, most of them on the same
 * few documents. Here, while one write is in flight, the awards after it gather, and go as one write when it
 * returns, their statements on one document merged into one. When none is in flight an award's write goes at once:
 * no timer, so an award alone waits for nothing.
 *
 * Every update merged here commutes (`$inc`, `$max`, `$addToSet`, `$unset` of periods gone by), so one write of
 * the merged statements leaves each document as the awards' writes one by one would have. Each award still awaits
 * the write that carries its statements (its reply means its views are written), and a failed write rejects every
 * award in it: none is marked applied, reconciliation finishes them (points-rebuild.ts).
 */

/** What an award's statements hold: the operators of the updates of apply.ts and board.ts. */
export interface ScopeUpdate {
  $inc?: Record<string, number>;
  $unset?: Record<string, 1>;
  /** Board rows (`m.<userId>`: a stored row, sequence first, board.ts) or numbers. */
  $max?: Record<string, string | number>;
  $addToSet?: Record<string, unknown>;
}

/** An upsert of one document by key: the statements of an award's bulk write. */
export interface KeyedStatement {
  updateOne: { filter: { _id: string }; update: ScopeUpdate; upsert: boolean };
}

/**
 * The most statements (documents) and awards in one write. FerretDB 1.24 held a connection per statement of a
 * command until the command ended (engine-bulk-updates.test.ts: patched since, and this keeps a write short).
 */
export const MAX_STATEMENTS = 100;
export const MAX_AWARDS = 100;

/** One document's updates merged: sums, the higher of each `$max`, every line added, every period dropped. */
interface Merged {
  inc: Map<string, number>;
  unset: Set<string>;
  max: Map<string, string | number>;
  add: Map<string, unknown[]>;
}

interface Batch {
  docs: Map<string, Merged>;
  awards: number;
  /** The write, run in the async context of the batch's first award (its command counts to a waiting request). */
  send: () => Promise<unknown>;
  done: Promise<void>;
  settle: { resolve: () => void; reject: (err: unknown) => void };
}

const waiting: Batch[] = [];
let inFlight = false;

function newBatch(): Batch {
  let settle!: Batch['settle'];
  const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  done.catch(() => undefined); // each award awaits it; a failure must not go unhandled before they do
  const batch: Batch = { docs: new Map(), awards: 0, done, settle, send: () => Promise.resolve() };
  batch.send = AsyncResource.bind(() => bulkWrite(batch.docs));
  return batch;
}

/** Whether an award's statements join the batch within its bounds. */
function fits(batch: Batch, statements: KeyedStatement[]): boolean {
  const more = new Set(statements.map((s) => s.updateOne.filter._id).filter((id) => !batch.docs.has(id))).size;
  return batch.awards < MAX_AWARDS && batch.docs.size + more <= MAX_STATEMENTS;
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
 * leave it). A period one award drops and another moves (an award dated in the period before) is kept: an `$unset`
 * of a path another operator writes is refused by the engine, and a period gone by is read by nothing (apply.ts).
 */
function updateOf(m: Merged): ScopeUpdate | null {
  const inc = [...m.inc].filter(([, by]) => by !== 0);
  const written = [...inc.map(([p]) => p), ...m.max.keys(), ...m.add.keys()];
  const unset = [...m.unset].filter((u) => !written.some((p) => p === u || p.startsWith(`${u}.`)));
  const update: ScopeUpdate = {};
  if (inc.length > 0) update.$inc = Object.fromEntries(inc);
  if (unset.length > 0) update.$unset = Object.fromEntries(unset.map((u) => [u, 1 as const]));
  if (m.max.size > 0) update.$max = Object.fromEntries(m.max);
  if (m.add.size > 0)
    update.$addToSet = Object.fromEntries(
      [...m.add].map(([path, items]) => [path, items.length === 1 ? items[0] : { $each: items }]),
    );
  return Object.keys(update).length > 0 ? update : null;
}

async function bulkWrite(docs: Map<string, Merged>): Promise<void> {
  const ops = [...docs].flatMap(([_id, m]) => {
    const update = updateOf(m);
    return update ? [{ updateOne: { filter: { _id }, update, upsert: true } }] : [];
  });
  if (ops.length === 0) return;
  // The driver's bulk write, not mongoose's: its casting would drop the feed's `items` (not a scope path).
  await ScopeStatsModel.collection.bulkWrite(ops as never[], { ordered: false });
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

/**
 * Writes an award's statements, with those of the awards gathered while another write was in flight; resolves
 * when the write that carries them has returned, rejects when it failed.
 */
export function writeScopeStatements(statements: KeyedStatement[]): Promise<void> {
  if (statements.length === 0) return Promise.resolve();
  let batch = waiting.at(-1);
  if (!batch || !fits(batch, statements)) waiting.push((batch = newBatch()));
  for (const s of statements) mergeInto(batch.docs, s);
  batch.awards += 1;
  if (!inFlight) sendNext();
  return batch.done;
}

/**
 * Tests only: holds every write back, as if one were in flight, so the awards after it gather in one batch; returns
 * the release, which sends what gathered. `gathered()` counts the awards waiting.
 */
export function holdScopeWrites(): { release: () => void; gathered: () => number } {
  if (inFlight) throw new Error('a scope write is in flight');
  inFlight = true;
  return { release: sendNext, gathered: () => waiting.reduce((n, b) => n + b.awards, 0) };
}
