import { monthKey, periodIds } from '@pioneer/shared';
import { markApplied } from './applied-marks';
import { MemberTotalsModel, ScopeStatsModel, type LedgerDoc } from './points.model';
import { BOARD_CAPACITY, offerToBoards, type BoardItem, type BoardOffer } from './board';
import { feedId, SELF_SCOPE, scopeKey } from './keys';
import { sharedValue } from '../../db/shared-view';

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
async function bumpMemberTotals(entry: Entry, marks: readonly string[]): Promise<Befores> {
  const inc: Record<string, number> = {};
  const max: Record<string, number> = {};
  for (const periodId of entry.periods)
    for (const scopeId of [SELF_SCOPE, ...entry.scopes]) {
      inc[`t.${scopeKey(periodId, scopeId)}`] = entry.delta;
      max[`r.${scopeKey(periodId, scopeId)}`] = entry.at.getTime();
    }
  const old = await MemberTotalsModel.findOneAndUpdate(
    { _id: entry.userId },
    { $inc: { ...inc, v: 1 }, $max: max, ...(marks.length > 0 ? { $set: setMarks(marks) } : {}) },
    { upsert: true, returnDocument: 'before' },
  ).lean<MarkedDoc>();
  return { t: old?.t ?? {}, seq: (old?.v ?? 0) + 1, won: wonMarks(marks, old) };
}

/** An entry that moves no total (granted nothing) sets the member's markers alone; returns those won. */
export async function claimMemberMarks(userId: string, marks: readonly string[]): Promise<Set<string>> {
  if (marks.length === 0) return new Set();
  const old = await MemberTotalsModel.findOneAndUpdate(
    { _id: userId },
    { $set: setMarks(marks) },
    { upsert: true, returnDocument: 'before' },
  ).lean<MarkedDoc>();
  return wonMarks(marks, old);
}

/** The rank (1 + members above) of `points` in a period of a scope, and the members counted there. */
export interface Standing {
  rank: number;
  members: number;
}

type StatsDoc = {
  h?: Record<string, Record<string, number>>;
  n?: Record<string, number>;
  c?: Record<string, Record<string, number>>;
};

/**
 * Each scope's document as this process last read it (a shared view, at most the bound old): what an award needs to
 * know whether it can reach a board. Scores only rise (a lowered one clears the view here, see applyEntry), so a
 * stale histogram counts no more members above a score than the live one: the rank it gives is never worse than
 * the true one, and an award it sends to a board it could not reach costs a write, never a missing row.
 */
const scopeViews = sharedValue(
  async (scopeId: string) => (await ScopeStatsModel.findById(scopeId).lean<StatsDoc>()) ?? ({} as StatsDoc),
);

/** One scope's moves: the member between histogram buckets in every period, and the points to the child org's sums. */
interface ScopeMoves {
  scopeId: string;
  childId: string | undefined;
  moves: { periodId: string; before: number | null; after: number; delta: number }[];
}

function statsUpdate({ childId, moves }: ScopeMoves, held: StatsDoc) {
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
 * current periods; `points:rebuild` recomputes them all). Judged on the view held here, in the same update.
 */
function periodsGoneBy(held: StatsDoc, moves: { periodId: string }[]): Record<string, 1> | null {
  const keep = new Set([...periodIds(new Date()), ...moves.map((m) => m.periodId)]);
  const all = new Set([...Object.keys(held.h ?? {}), ...Object.keys(held.n ?? {}), ...Object.keys(held.c ?? {})]);
  const gone = [...all].filter((p) => !keep.has(p));
  if (gone.length === 0) return null;
  return Object.fromEntries(gone.flatMap((p) => [`h.${p}`, `n.${p}`, `c.${p}`].map((f) => [f, 1 as const])));
}

/** Standings in a scope from a view of its document, with this move applied unless the view already holds it. */
function standingsFrom(view: StatsDoc, moves: ScopeMoves['moves'], holdsMove: boolean): Map<string, Standing> {
  return new Map(
    moves.map(({ periodId, before, after }) => {
      const histogram = { ...(view.h?.[periodId] ?? {}) };
      if (!holdsMove && before !== null) histogram[histogramKey(before)] = (histogram[histogramKey(before)] ?? 1) - 1;
      const members = (view.n?.[periodId] ?? 0) + (!holdsMove && before === null ? 1 : 0);
      return [periodId, { rank: rankFromHistogram(histogram, after), members }];
    }),
  );
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

/** A scope this process holds no view of: a `findOneAndUpdate` whose reply becomes the view. */
async function moveCold(s: ScopeMoves): Promise<Map<string, Standing>> {
  const stats =
    (await ScopeStatsModel.findOneAndUpdate({ _id: s.scopeId }, statsUpdate(s, {}), {
      upsert: true,
      returnDocument: 'after',
    }).lean<StatsDoc>()) ?? {};
  const gone = periodsGoneBy(stats, s.moves);
  if (gone) await ScopeStatsModel.updateOne({ _id: s.scopeId }, { $unset: gone });
  scopeViews.put(s.scopeId, stats);
  return standingsFrom(stats, s.moves, true);
}

/** An upsert of one document by key, as a bulk statement. */
const keyUpdate = (_id: string, update: object) => ({ updateOne: { filter: { _id }, update, upsert: true } });

/** The entry's line in its member's feed of the month (`$addToSet`: a repair adding it again adds nothing). */
export const feedUpdate = (entry: Entry) =>
  keyUpdate(feedId(entry.userId, monthKey(entry.at)), { $addToSet: { items: feedItem(entry) } });

/**
 * Moves the member in every scope of the chain. Scopes this process holds a view of (see scopeViews) are moved in
 * one bulk write (a statement per scope document, each atomic on it), their standings from the view with this move
 * applied; a scope with no view held is moved by a `findOneAndUpdate` whose reply becomes its view. Under load every
 * view is held: the scopes cost one command per award, and `feedLine`'s feed line (its documents share the
 * collection) rides in the same bulk write.
 */
export async function moveInScopes(all: ScopeMoves[], feedLine?: Entry): Promise<Map<string, Standing>[]> {
  const views = await Promise.all(all.map((s) => scopeViews.held(s.scopeId)));
  const warm = all.flatMap((s, i) => (views[i] ? [{ s, view: views[i] }] : []));
  const ops = warm.map(({ s, view }) => keyUpdate(s.scopeId, statsUpdate(s, view)));
  if (feedLine) ops.push(feedUpdate(feedLine));
  // The driver's bulk write, not mongoose's: its casting would drop the feed's `items` (not a scope path).
  const bulk = ops.length > 0 ? ScopeStatsModel.collection.bulkWrite(ops as never[], { ordered: false }) : undefined;
  // Awaited together: a cold scope's failure must not leave the bulk write's own failure unhandled (with the
  // engine gone, an unhandled rejection would end the process instead of answering 503).
  const [standings] = await Promise.all([
    Promise.all(all.map((s, i) => (views[i] ? standingsFrom(views[i], s.moves, false) : moveCold(s)))),
    bulk,
  ]);
  for (const { s, view } of warm) moveOnView(view, s);
  return standings;
}

/** One scope's moves (the repair after a crash): a correction may lower a score, so the view held here is read again. */
export async function moveInStats(
  scopeId: string,
  childId: string | undefined,
  moves: ScopeMoves['moves'],
): Promise<Map<string, Standing>> {
  forgetScopeViews([scopeId]);
  return (await moveInScopes([{ scopeId, childId, moves }]))[0]!;
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

/** The board offers of one scope the member can reach. */
async function offersIn(
  entry: Entry,
  { scopeId, moves }: ScopeMoves,
  standings: Map<string, Standing>,
  seq: number,
  row: () => Promise<BoardRow>,
): Promise<BoardOffer[]> {
  const offers: BoardOffer[] = [];
  for (const { periodId, after } of moves) {
    const { rank, members } = standings.get(periodId)!;
    // A lowered score always reaches the board, so a row never shows more than the total.
    const reach = entry.delta < 0 ? undefined : rank;
    if (reach !== undefined && reach > BOARD_CAPACITY) continue;
    offers.push({
      key: scopeKey(periodId, scopeId),
      item: { ...(await row()), p: after, t: entry.at, s: seq },
      rank: reach,
      members,
    });
  }
  return offers;
}

/** The member's board row, read once and only when a board is reached (at scale most awards reach none). */
function lazyRow(rowFor: () => Promise<BoardRow>): () => Promise<BoardRow> {
  let row: Promise<BoardRow> | undefined;
  return () => (row ??= rowFor());
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
 * Applies a ledger entry to every derived view: the member's totals (one command), each scope's histograms and child
 * sums with the member's feed (one bulk command), the boards it reaches (one bulk command for small scopes), then
 * queues its applied mark (written with others', off the request's path: applied-marks.ts). Only key reads and key updates, so its cost does not grow with members. Returns the member's
 * 数据看板 markers (`marks`) this entry set first.
 * `rowFor` gives the member's board row, asked for only when a board is reached.
 */
export async function applyEntry(
  entry: Entry,
  rowFor: () => Promise<BoardRow>,
  marks: readonly string[] = [],
): Promise<Set<string>> {
  const row = lazyRow(rowFor);
  if (entry.delta < 0) forgetScopeViews(entry.scopes);
  const befores = await bumpMemberTotals(entry, marks);
  const all = entry.scopes.map((_, index) => scopeMoves(entry, index, befores));
  const standings = await moveInScopes(all, entry);
  const offers = await Promise.all(all.map((s, i) => offersIn(entry, s, standings[i]!, befores.seq, row)));
  await offerToBoards(offers.flat());
  markApplied(entry._id);
  return befores.won;
}
