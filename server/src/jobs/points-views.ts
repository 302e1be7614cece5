import { monthKey, periodIds } from '@pioneer/shared';
import { BOARD_CAPACITY, boardOrder, storedRow, type BoardItem } from '../modules/points/board';
import { feedItem, histogramKey, type BoardRow } from '../modules/points/apply';
import { feedId, SELF_SCOPE, scopeKey, totalId } from '../modules/points/keys';
import type { LedgerDoc } from '../modules/points/points.model';
import { memberMarksOf } from '../modules/dashboard/counters';

export interface Tally {
  userId: string;
  periodId: string;
  scopeId: string;
  points: number;
  reachedAt: Date;
}

type TallyEntry = Pick<LedgerDoc, 'userId' | 'delta' | 'at' | 'periods' | 'scopes'>;

export type LedgerLine = Pick<
  LedgerDoc,
  '_id' | 'userId' | 'delta' | 'reason' | 'refType' | 'refId' | 'note' | 'at' | 'periods' | 'scopes'
>;

/** One member's entries of one period earned on one org path: every total of theirs is a sum of these. */
interface PathSum {
  periodId: string;
  scopes: string[];
  points: number;
  reachedAt: Date;
}

const raise = (sum: { points: number; reachedAt: Date }, points: number, at: Date) => {
  sum.points += points;
  if (at > sum.reachedAt) sum.reachedAt = at;
};

/**
 * A member's entries summed by period and org path (a member's entries nearly all share one path), in the order
 * each first occurs: one map update per entry and period instead of one per scope too. With `periods`, only those
 * periods.
 */
function pathSumsOf(entries: Iterable<TallyEntry>, periods?: ReadonlySet<string>): PathSum[] {
  const sums = new Map<string, PathSum>();
  for (const e of entries) {
    if (e.delta === 0) continue;
    const path = e.scopes.join('|');
    for (const periodId of e.periods) {
      if (periods && !periods.has(periodId)) continue;
      const key = `${periodId}#${path}`;
      const sum = sums.get(key);
      if (sum) raise(sum, e.delta, e.at);
      else sums.set(key, { periodId, scopes: e.scopes, points: e.delta, reachedAt: e.at });
    }
  }
  return [...sums.values()];
}

/**
 * One member's totals by scope key (`${periodId}|${scopeId}`), in the order talliesOf has always listed them (the
 * order each first occurs in the entries: a path sum starts where its first entry and period are).
 */
function memberTallies(userId: string, sums: PathSum[]): Map<string, Tally> {
  const tallies = new Map<string, Tally>();
  for (const sum of sums) {
    for (const scopeId of [SELF_SCOPE, ...sum.scopes]) {
      const key = scopeKey(sum.periodId, scopeId);
      const t = tallies.get(key);
      if (t) raise(t, sum.points, sum.reachedAt);
      else tallies.set(key, { userId, periodId: sum.periodId, scopeId, points: sum.points, reachedAt: sum.reachedAt });
    }
  }
  return tallies;
}

/** The entries of each member, in the order given. */
function byMember<E extends { userId: string }>(entries: Iterable<E>): Map<string, E[]> {
  const members = new Map<string, E[]>();
  for (const e of entries) {
    const list = members.get(e.userId);
    if (list) list.push(e);
    else members.set(e.userId, [e]);
  }
  return members;
}

/** Every total a set of ledger entries implies, keyed by total id. Pure: the one definition of "correct". */
export function talliesOf(entries: Iterable<TallyEntry>): Map<string, Tally> {
  const tallies = new Map<string, Tally>();
  for (const [userId, own] of byMember(entries))
    for (const t of memberTallies(userId, pathSumsOf(own)).values())
      tallies.set(totalId(t.periodId, t.scopeId, userId), t);
  return tallies;
}

/**
 * The fields keyed by member id (a board's rows, a member's markers) are Maps: the driver stores a Map as the same
 * document, while an object given a hundred thousand distinct keys costs V8 a hidden class each (3.5 s at 30k members).
 */
interface MemberView {
  _id: string;
  t: Record<string, number>;
  r: Record<string, number>;
  v: number;
  d?: Map<string, 1>;
}

type Stats = {
  h: Record<string, Record<string, number>>;
  c: Record<string, Record<string, number>>;
  n: Record<string, number>;
};

/** A board's best candidates so far: sorted and cut back to what the board keeps (and its floor) once it grows. */
type Candidate = Pick<BoardItem, 'u' | 'p' | 't' | 's'>;
// The board's order reads only points, time and member id, which a candidate has.
const order = boardOrder as (a: Candidate, b: Candidate) => number;
const KEPT = BOARD_CAPACITY + 1;
function offer(list: Candidate[], c: Candidate) {
  list.push(c);
  if (list.length >= 8 * KEPT) list.sort(order).length = KEPT;
}

/** Every derived document the entries imply, as `points:rebuild` stores them. */
export interface DerivedViews {
  totals: MemberView[];
  stats: ({ _id: string } & Stats)[];
  boards: { _id: string; m: Map<string, string>; floor: number | null }[];
  feeds: { _id: string; items: ReturnType<typeof feedItem>[] }[];
  /** How many totals (member × period × scope). */
  tallies: number;
}

/**
 * Totals, histograms, child sums, boards and (with `withFeeds`) feeds of `entries`, computed member by member.
 * `rows` gives each member's board row (name, org name, avatar); a member missing from it gets an empty one.
 * Totals, scopes and boards of the periods current at `now` only: the window the live views keep (an award drops
 * the periods gone by: totals-window.ts, periods-gone.ts; nothing reads them). Feeds are the history: every month.
 */
export function derivedViewsOf(
  entries: LedgerLine[],
  rows: Map<string, BoardRow>,
  withFeeds: boolean,
  now = new Date(),
): DerivedViews {
  const current = new Set(periodIds(now));
  const stats = new Map<string, Stats>();
  const statsOf = (scopeId: string) => stats.get(scopeId) ?? stats.set(scopeId, { h: {}, c: {}, n: {} }).get(scopeId)!;
  const inc = (map: Record<string, number>, key: string, by: number) => (map[key] = (map[key] ?? 0) + by);
  const candidates = new Map<string, Candidate[]>();
  const totals: MemberView[] = [];
  let tallyCount = 0;
  for (const [userId, own] of byMember(entries)) {
    const sums = pathSumsOf(own, current);
    // The member's award sequence: the entries that moved their totals (live awards go on from there).
    const seq = own.reduce((n, e) => (e.delta !== 0 ? n + 1 : n), 0);
    const m: MemberView = { _id: userId, t: {}, r: {}, v: seq };
    for (const t of memberTallies(userId, sums).values()) {
      tallyCount += 1;
      const key = scopeKey(t.periodId, t.scopeId);
      m.t[key] = t.points;
      m.r[key] = t.reachedAt.getTime();
      if (t.scopeId === SELF_SCOPE) continue;
      const s = statsOf(t.scopeId);
      inc(s.n, t.periodId, 1);
      inc((s.h[t.periodId] ??= {}), histogramKey(t.points), 1);
      const list = candidates.get(key) ?? candidates.set(key, []).get(key)!;
      offer(list, { u: userId, p: t.points, t: t.reachedAt, s: seq });
    }
    // Child sums: what the member earned in a child scope, added up on the parent.
    for (const sum of sums)
      sum.scopes.forEach((scopeId, i) => {
        const child = sum.scopes[i + 1];
        if (child) inc((statsOf(scopeId).c[sum.periodId] ??= {}), child, sum.points);
      });
    // The 数据看板's markers of each member (held on their totals document, see apply.ts): every entry's, paid or not.
    for (const e of own) for (const mark of memberMarksOf(e)) (m.d ??= new Map()).set(mark, 1);
    if (Object.keys(m.t).length > 0 || m.d) totals.push(m);
  }

  const boards = [...candidates].map(([key, list]) => {
    list.sort(order);
    const top = list.slice(0, BOARD_CAPACITY);
    const row = (u: string) => rows.get(u) ?? { u, n: '', a: '', o: '' };
    return {
      _id: key,
      m: new Map(top.map((c) => [c.u, storedRow({ ...row(c.u), ...c })])),
      floor: list.length > top.length ? list[top.length]!.p : null,
    };
  });

  const feeds = new Map<string, ReturnType<typeof feedItem>[]>();
  for (const e of withFeeds ? entries : []) {
    if (e.delta === 0) continue;
    const key = feedId(e.userId, monthKey(e.at));
    (feeds.get(key) ?? feeds.set(key, []).get(key)!).push(feedItem(e));
  }
  return {
    totals,
    stats: [...stats].map(([_id, s]) => ({ _id, ...s })),
    boards,
    feeds: [...feeds].map(([_id, items]) => ({ _id, items })),
    tallies: tallyCount,
  };
}
