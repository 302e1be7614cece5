import { monthKey, periodId, periodIds, previousMonthKey, yearKey } from '@pioneer/shared';
import { finishedMarks, markApplied, totalsMark } from './applied-marks';
import { engineState } from '../../db/engine-state';
import { MemberTotalsModel, ScopeStatsModel, type LedgerDoc } from './points.model';
import {
  boardFloors,
  boardStatements,
  boardsWritten,
  reachesBoard,
  rowsOnHeldBoards,
  type BoardItem,
  type BoardOffer,
} from './board';
import { feedId, SELF_SCOPE, scopeKey } from './keys';
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

/**
 * A member's score in each `${periodId}|${scopeId}` before an award (a missing key: none yet), the award's sequence,
 * and the member's markers it set first.
 */
interface Befores {
  t: Record<string, number | undefined>;
  seq: number;
  won: Set<string>;
}

type MarkedDoc = { t?: Befores['t']; v?: number; d?: Record<string, unknown> } | null;

/** `$set` of the member's count-once markers, and which of them the document did not hold before (won here). */
const setMarks = (marks: readonly string[]) => Object.fromEntries(marks.map((m) => [`d.${m}`, 1]));
const wonMarks = (marks: readonly string[], old: MarkedDoc) => new Set(marks.filter((m) => !old?.d?.[m]));

/**
 * Every total of the member the entry counts in (each period, their own and each scope of their chain) in one
 * `findOneAndUpdate` on their document, which returns every score before it: atomic on one document on every engine.
 * The same update sets the member's 数据看板 markers (`marks`): of concurrent awards, exactly one sees each unset.
 */
export async function bumpMemberTotals(entry: Entry, marks: readonly string[]): Promise<Befores> {
  const inc: Record<string, number> = {};
  const max: Record<string, number> = {};
  for (const periodId of entry.periods)
    for (const scopeId of [SELF_SCOPE, ...entry.scopes]) {
      inc[`t.${scopeKey(periodId, scopeId)}`] = entry.delta;
      max[`r.${scopeKey(periodId, scopeId)}`] = entry.at.getTime();
    }
  // The entry's mark rides on the same update: its totals moved, its views may not have yet (applied-marks.ts).
  // It clears the marks of the member's entries finished since (applied-marks.ts): no write of their own.
  const $set = { ...setMarks(marks), [totalsMark(entry._id)]: 1 };
  const $unset = finishedMarks(entry.userId);
  // The same key paid again after its finished entry was removed (a repair): its mark is set, not also cleared (one
  // update may not name a path twice).
  delete $unset[totalsMark(entry._id)];
  const old = await totalsBefore(entry.userId, {
    $inc: { ...inc, v: 1 },
    $max: max,
    $set,
    ...(Object.keys($unset).length > 0 ? { $unset } : {}),
  });
  return { t: old?.t ?? {}, seq: (old?.v ?? 0) + 1, won: wonMarks(marks, old) };
}

/**
 * The member's totals document updated by key (an upsert), as it was before. Through the driver's collection, not a
 * mongoose Query: mongoose walked and cast the award's ~40 dotted paths on every award (~3 % of a check-in's Node
 * CPU, issue 17) to send this same command.
 */
const totalsBefore = (userId: string, update: Record<string, Record<string, unknown>>) =>
  MemberTotalsModel.collection.findOneAndUpdate({ _id: userId as never }, update, {
    upsert: true,
    returnDocument: 'before',
  }) as Promise<MarkedDoc>;

/** An entry that moves no total (granted nothing) sets the member's markers alone; returns those won. */
export async function claimMemberMarks(userId: string, marks: readonly string[]): Promise<Set<string>> {
  if (marks.length === 0) return new Set();
  // The schema's defaults on a document this creates, as mongoose's upsert added them (an award's update names all
  // three).
  const old = await totalsBefore(userId, { $set: setMarks(marks), $setOnInsert: { t: {}, r: {}, v: 0 } });
  return wonMarks(marks, old);
}

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

/**
 * Keeps a scope's document to the periods of now (and those just moved): a county's would otherwise gain a week's
 * and a month's histograms every week and month. Nothing reads a period gone by (boards and ranks are of the
 * current periods; `points:rebuild` recomputes them all). In the award's own statement, without reading the
 * document: the period before each current one (an $unset of a field not there does nothing), and any other the
 * view held here shows.
 */
function periodsGoneBy(held: StatsDoc | undefined, moves: { periodId: string }[]): Record<string, 1> | null {
  const now = new Date();
  const keep = new Set([...periodIds(now), ...moves.map((m) => m.periodId)]);
  const all = new Set([
    ...periodsBefore(now),
    ...Object.keys(held?.h ?? {}),
    ...Object.keys(held?.n ?? {}),
    ...Object.keys(held?.c ?? {}),
  ]);
  const gone = [...all].filter((p) => !keep.has(p));
  if (gone.length === 0) return null;
  return Object.fromEntries(gone.flatMap((p) => [`h.${p}`, `n.${p}`, `c.${p}`].map((f) => [f, 1 as const])));
}

/** The week, month and year before the ones of `now`. */
function periodsBefore(now: Date): string[] {
  return [
    periodId('week', now.getTime() - 7 * 86_400_000),
    `month:${previousMonthKey(monthKey(now))}`,
    `year:${Number(yearKey(now)) - 1}`,
  ];
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
 * none read first), with the entry's feed line and the award's board rows (`more`: their documents share the
 * collection), for one bulk write shared with the awards gathered while another was in flight (scope-writes.ts). A
 * view of a scope held here gets the move at once: this process's ranks count its awards before their write lands.
 */
async function scopeStatements(all: ScopeMoves[], feedLine: Entry, more: KeyedStatement[]): Promise<KeyedStatement[]> {
  const views = await Promise.all(all.map((s) => scopeViews.held(s.scopeId)));
  const ops = all.map((s, i) => keyUpdate(s.scopeId, statsUpdate(s, views[i])));
  all.forEach((s, i) => views[i] && moveOnView(views[i], s));
  return [...ops, feedUpdate(feedLine), ...more];
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
 * histograms and child sums with the member's feed and its rows on the boards it reaches (one bulk command after the
 * reply, scope-writes.ts; the boards decided on the county's board floors, a view held long: board.ts; the views
 * held here moved at once), then queues its applied mark (written with others', off the request's path:
 * applied-marks.ts). Only key reads and key updates, none per scope, so its cost grows with neither members nor
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
