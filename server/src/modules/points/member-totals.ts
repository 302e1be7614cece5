import { finishedMarks, totalsMark } from './applied-marks';
import { SELF_SCOPE, scopeKey } from './keys';
import { MemberTotalsModel, type LedgerDoc } from './points.model';
import { leftoverOf, previousOfChain, rememberGone, type ChainWindow } from './totals-window';

type Entry = Pick<LedgerDoc, '_id' | 'userId' | 'delta' | 'at' | 'periods' | 'scopes'>;

/**
 * A member's score in each `${periodId}|${scopeId}` before an award (a missing key: none yet), the award's sequence,
 * and the member's markers it set first.
 */
export interface Befores {
  t: Record<string, number | undefined>;
  seq: number;
  won: Set<string>;
}

type MarkedDoc = { t?: Befores['t']; v?: number; d?: Record<string, unknown> } | null;

/** `$set` of the member's count-once markers, and which of them the document did not hold before (won here). */
const setMarks = (marks: readonly string[]) => Object.fromEntries(marks.map((m) => [`d.${m}`, 1]));
const wonMarks = (marks: readonly string[], old: MarkedDoc) => new Set(marks.filter((m) => !old?.d?.[m]));

/** The dotted paths of one chain's totals in its periods (`t.<key>` moved, `r.<key>` raised to the award's time). */
interface ChainPaths extends ChainWindow {
  t: string[];
  r: string[];
}
/**
 * Per periods and chain, built once: an award built its ~40 path strings anew (bumpMemberTotals ~1.7 % of a paying
 * check-in's Node CPU, H9a), and most awards of a day share a handful of chains. Cleared when full.
 */
const chainPaths = new Map<string, ChainPaths>();
const CHAINS_HELD = 2000;

function pathsOf(periods: readonly string[], scopes: readonly string[]): ChainPaths {
  const key = `${periods.join(',')}#${scopes.join(',')}`;
  let paths = chainPaths.get(key);
  if (paths) return paths;
  const chain = [SELF_SCOPE, ...scopes];
  const keys = periods.flatMap((p) => chain.map((s) => scopeKey(p, s)));
  if (chainPaths.size >= CHAINS_HELD) chainPaths.clear();
  chainPaths.set(key, (paths = { t: keys.map((k) => `t.${k}`), r: keys.map((k) => `r.${k}`), scopes: chain }));
  return paths;
}

/**
 * Every total of the member the entry counts in (each period, their own and each scope of their chain) in one
 * `findOneAndUpdate` on their document, which returns every score before it: atomic on one document on every engine.
 * The same update sets the member's 数据看板 markers (`marks`): of concurrent awards, exactly one sees each unset.
 * It also drops the member's totals of periods gone by (totals-window.ts): the document stops growing with time.
 */
export async function bumpMemberTotals(entry: Entry, marks: readonly string[]): Promise<Befores> {
  const inc: Record<string, number> = { v: 1 };
  const max: Record<string, number> = {};
  const chain = pathsOf(entry.periods, entry.scopes);
  const { t, r } = chain;
  const at = entry.at.getTime();
  for (let i = 0; i < t.length; i++) {
    inc[t[i]!] = entry.delta;
    max[r[i]!] = at;
  }
  // The entry's mark rides on the same update: its totals moved, its views may not have yet (applied-marks.ts).
  // It clears the marks of the member's entries finished since (applied-marks.ts): no write of their own.
  const $set = { ...setMarks(marks), [totalsMark(entry._id)]: 1 };
  const marksDone = finishedMarks(entry.userId);
  // The same key paid again after its finished entry was removed (a repair): its mark is set, not also cleared (one
  // update may not name a path twice).
  delete marksDone[totalsMark(entry._id)];
  const $unset = goneWith(marksDone, entry, chain);
  // An empty `$unset` (an award late in every period before today's: recovery) is left out: engines may refuse it.
  const update = { $inc: inc, $max: max, $set, ...(Object.keys($unset).length > 0 ? { $unset } : {}) };
  const old = await totalsBefore(entry.userId, update);
  rememberGone(entry.userId, $unset, old?.t);
  return { t: old?.t ?? {}, seq: (old?.v ?? 0) + 1, won: wonMarks(marks, old) };
}

/**
 * The `$unset` of the award: the member's totals of periods gone by (never a path the award moves: their periods
 * are not the award's) and the marks of their finished entries. The usual award's is the day's frozen one as it is.
 */
function goneWith(marksDone: Record<string, 1>, entry: Entry, chain: ChainPaths): Readonly<Record<string, 1>> {
  const previous = previousOfChain(chain, entry.periods);
  const leftover = leftoverOf(entry.userId, entry.periods);
  if (!leftover && Object.keys(marksDone).length === 0) return previous;
  return { ...previous, ...leftover, ...marksDone };
}

/**
 * The member's totals document updated by key (an upsert), as it was before. Through the driver's collection, not a
 * mongoose Query: mongoose walked and cast the award's ~40 dotted paths on every award (~3 % of a check-in's Node
 * CPU, issue 17) to send this same command. The whole document comes back (the current periods only, totals-window.ts:
 * ~1.2 KB in the seeded bench, of which an award reads ~20 values): the engine (FerretDB 1.24) refuses
 * findAndModify's `fields` (H9a).
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
  const update = { $set: setMarks(marks), $setOnInsert: { t: {}, r: {}, v: 0 } };
  return wonMarks(marks, await totalsBefore(userId, update));
}
