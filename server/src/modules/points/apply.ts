import { monthKey } from '@pioneer/shared';
import { markApplied } from './applied-marks';
import { engineState } from '../../db/engine-state';
import { ScopeStatsModel, type LedgerDoc } from './points.model';
import {
  boardFloors,
  boardStatements,
  boardsWritten,
  reachesBoard,
  rowsOnHeldBoards,
  type BoardItem,
  type BoardOffer,
} from './board';
import { feedId, scopeKey } from './keys';
import { bumpMemberTotals, type Befores } from './member-totals';
import { periodsGoneBy } from './periods-gone';
import type { mongo } from 'mongoose';
import { keyReads } from '../../db/key-reads';
import { sharedValue } from '../../db/shared-view';
import { totalsMoved } from './held-totals';
import {
  afterTheReply,
  scopeWritesLanded,
  writeScopeStatements,
  type KeyedStatement,
  type ScopeUpdate,
} from './scope-writes';

export const histogramKey = (points: number) => `p${points}`;

export type BoardRow = Omit<BoardItem, 'p' | 't' | 's'>;

type Entry = Pick<
  LedgerDoc,
  '_id' | 'userId' | 'delta' | 'reason' | 'refType' | 'refId' | 'note' | 'at' | 'periods' | 'scopes'
>;

// The member's totals update, in member-totals.ts (its paths built once per chain); exported here as before.
export { bumpMemberTotals, claimMemberMarks } from './member-totals';

type StatsDoc = {
  h?: Record<string, Record<string, number>>;
  n?: Record<string, number>;
  c?: Record<string, Record<string, number>>;
};

/**
 * Each scope's document as this process last read it (a shared view, at most the bound old), for the leaderboards'
 * reads. An award does not need it (its boards are decided on their floors, board.ts): it puts its own move on a view
 * held here, so this process's ranks count its awards at once.
 */
const scopeViews = sharedValue(async (scopeId: string) => {
  await scopeWritesLanded(); // its awards are on the view held now: the one read in its place must hold them too
  return ((await scopeReads.read(scopeId)) as StatsDoc | null) ?? ({} as StatsDoc);
});
/** Scope documents read by key, gathered while one read is in flight (db/key-reads.ts: a rank's branches, cold). */
const scopeReads = keyReads(() => ScopeStatsModel.collection as unknown as mongo.Collection<{ _id: string }>);

/** One scope's moves: the member between histogram buckets in every period, and the points to the child org's sums. */
interface ScopeMoves {
  scopeId: string;
  childId: string | undefined;
  moves: { periodId: string; before: number | null; after: number; delta: number }[];
}

function statsUpdate({ childId, moves }: ScopeMoves, held: StatsDoc | undefined) {
  const inc: Record<string, number> = {};
  const add = (path: string, by: number) => (inc[path] = (inc[path] ?? 0) + by);
  for (const { periodId, before, after, delta } of moves) {
    if (before === null) add(`n.${periodId}`, 1);
    else add(`h.${periodId}.${histogramKey(before)}`, -1);
    add(`h.${periodId}.${histogramKey(after)}`, 1);
    if (childId) add(`c.${periodId}.${childId}`, delta);
  }
  const unset = periodsGoneBy(held, moves);
  return unset ? { $inc: inc, $unset: unset } : { $inc: inc };
}

/** This process's own move, put on the view it holds (its own awards are never missing from its ranks). */
function moveOnView(view: StatsDoc, s: ScopeMoves): void {
  const update = statsUpdate(s, view);
  for (const [path, by] of Object.entries(update.$inc)) {
    const [field, periodId, key] = path.split('.') as ['h' | 'n' | 'c', string, string | undefined];
    if (field === 'n') (view.n ??= {})[periodId] = (view.n[periodId] ?? 0) + by;
    else {
      const period = ((view[field] ??= {})[periodId] ??= {});
      period[key!] = (period[key!] ?? 0) + by;
    }
  }
  for (const path of Object.keys(('$unset' in update && update.$unset) || {})) {
    const [field, periodId] = path.split('.') as ['h' | 'n' | 'c', string];
    delete view[field]?.[periodId];
  }
}

/** A scope's standing in a period for reading (the leaderboards), from the view held here, and when it was read. */
export async function scopeView(scopeId: string): Promise<{ value: StatsDoc; asOf: Date }> {
  return scopeViews.read(scopeId);
}

/** An upsert of one document by key, as a bulk statement. */
const keyUpdate = (_id: string, update: ScopeUpdate): KeyedStatement => ({
  updateOne: { filter: { _id }, update, upsert: true },
});

/** The entry's line in its member's feed of the month (`$addToSet`: a repair adding it again adds nothing). */
export const feedUpdate = (entry: Entry) =>
  keyUpdate(feedId(entry.userId, monthKey(entry.at)), { $addToSet: { items: feedItem(entry) } });

/**
 * The statements moving the member in every scope of the chain (a statement per scope document, each atomic on it;
 * none read first), with the award's board rows (`more`: their documents share the collection) and the entry's feed
 * line, for one bulk write shared with the awards gathered while another was in flight (scope-writes.ts). The feed
 * line is the write's `last`: it lands only after every other statement of the write did, so a feed holding the
 * entry says its views are finished (applied-marks.ts `feedHolds`). A view of a scope held here gets the move at
 * once: this process's ranks count its awards before their write lands.
 */
async function scopeStatements(all: ScopeMoves[], feedLine: Entry, more: KeyedStatement[]): Promise<KeyedStatement[]> {
  const views = await Promise.all(all.map((s) => scopeViews.held(s.scopeId)));
  const ops = all.map((s, i) => keyUpdate(s.scopeId, statsUpdate(s, views[i])));
  all.forEach((s, i) => views[i] && moveOnView(views[i], s));
  return [...ops, ...more, { ...feedUpdate(feedLine), last: true }];
}

/** A rebuild rewrote every scope document: read them again. */
export function forgetAllScopeViews(): void {
  scopeViews.clear();
}

/** A lowered score makes the views held here count a member above where they are: read them again. */
export function forgetScopeViews(scopeIds: readonly string[]): void {
  for (const id of scopeIds) scopeViews.forget(id);
}

/** Standard competition rank from a score histogram: 1 + members with more points. */
export function rankFromHistogram(histogram: Record<string, number>, points: number): number {
  let above = 0;
  for (const [bucket, count] of Object.entries(histogram)) if (Number(bucket.slice(1)) > points) above += count;
  return above + 1;
}

/** The moves an entry makes in the scope at `index` of its chain. */
function scopeMoves(entry: Entry, index: number, befores: Befores): ScopeMoves {
  const scopeId = entry.scopes[index]!;
  const moves = entry.periods.map((periodId) => {
    const before = befores.t[scopeKey(periodId, scopeId)] ?? null;
    return { periodId, before, after: (before ?? 0) + entry.delta, delta: entry.delta };
  });
  return { scopeId, childId: entry.scopes[index + 1], moves };
}

/**
 * The rows of the boards the entry reaches (board.ts reachesBoard, on the county's floors held here); the member's
 * row is read only when one is reached.
 */
async function offersOf(
  entry: Entry,
  all: ScopeMoves[],
  floors: Promise<Record<string, Record<string, number>>>,
  seq: number,
  rowFor: () => Promise<BoardRow>,
): Promise<BoardOffer[]> {
  const held = await floors;
  const reached = all.flatMap(({ scopeId, moves }) =>
    moves
      .map(({ periodId, after }) => ({ key: scopeKey(periodId, scopeId), after }))
      .filter(({ key, after }) => reachesBoard(held, key, after, entry.delta < 0)),
  );
  if (reached.length === 0) return [];
  const row = await rowFor();
  return reached.map(({ key, after }) => ({ key, item: { ...row, p: after, t: entry.at, s: seq } }));
}

export function feedItem(entry: Entry) {
  return {
    id: entry._id,
    delta: entry.delta,
    reason: entry.reason,
    at: entry.at,
    refType: entry.refType,
    refId: entry.refId,
    note: entry.note ?? null,
  };
}

/**
 * Applies a ledger entry to every derived view: the member's totals (one command, before the reply), each scope's
 * histograms and child sums with its rows on the boards it reaches and, last, the member's feed line (one bulk
 * command after the reply, scope-writes.ts; the boards decided on the county's board floors, a view held long:
 * board.ts; the views held here moved at once), then queues the drop of its journal line (written with others', off
 * the request's path: applied-marks.ts). Only key reads and key updates, none per scope, so its cost grows with neither members nor
 * scopes. Returns the member's 数据看板 markers (`marks`) this entry set first.
 * `rowFor` gives the member's board row, asked for only when a board is reached.
 */
export async function applyEntry(
  entry: Entry,
  rowFor: () => Promise<BoardRow>,
  marks: readonly string[] = [],
): Promise<Set<string>> {
  if (entry.delta < 0) forgetScopeViews(entry.scopes);
  const countyId = entry.scopes[0];
  // Read (when not held) while the totals move: the floors are of the boards, not of this award.
  const floors = countyId ? boardFloors(countyId) : Promise.resolve({});
  floors.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
  const befores = await bumpMemberTotals(entry, marks);
  totalsMoved(entry.userId, befores.seq); // the reply tells the member's client (held-totals.ts)
  const all = entry.scopes.map((_, index) => scopeMoves(entry, index, befores));
  const offers = await offersOf(entry, all, floors, befores.seq, rowFor);
  const statements = await scopeStatements(all, entry, boardStatements(offers));
  rowsOnHeldBoards(offers);
  await afterTheReply(async () => {
    await writeScopeStatements(statements).catch(viewsBehind);
    markApplied(entry._id, entry.userId);
    await boardsWritten(countyId, offers); // a trim that fails is tried again by a later award's
  });
  return befores.won;
}

const reported = new WeakSet<object>();

/**
 * The award's scope write failed (the engine refused it, or it was cut): its totals moved and its marks say so, but its
 * scopes, boards and feed may hold part of it or none. Recovery repairs them now, behind the database gate
 * (jobs/recovery.ts), not at the next restart. One report per failed write, however many awards it carried.
 */
function viewsBehind(err: unknown): never {
  if (err && typeof err === 'object' && !reported.has(err)) {
    reported.add(err);
    engineState.emit('views-behind');
  }
  throw err;
}
