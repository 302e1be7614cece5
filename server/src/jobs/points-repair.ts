import { periodIds } from '@pioneer/shared';
import { BOARD_CAPACITY, boardOrder, forgetBoardViews, storedRow, type BoardItem } from '../modules/points/board';
import { wholeBoardStatements } from '../modules/points/board-blocks';
import {
  bumpMemberTotals,
  feedUpdate,
  forgetAllScopeViews,
  histogramKey,
  type BoardRow,
} from '../modules/points/apply';
import {
  feedHolds,
  flushAppliedMarks,
  journalEntries,
  totalsMarked,
  writeAppliedMarks,
} from '../modules/points/applied-marks';
import { floorsId, scopeKey, parseScopeKey, SELF_SCOPE } from '../modules/points/keys';
import {
  FeedModel,
  LedgerModel,
  MemberTotalsModel,
  ScopeStatsModel,
  type LedgerDoc,
} from '../modules/points/points.model';
import { OrgModel } from '../modules/orgs/orgs.model';
import { UserModel } from '../modules/users/users.model';

/** Each member's board row (name, avatar, branch name): from what the caller holds, else read from the engine. */
export interface RowSources {
  members: Iterable<{ _id: string; name: string; avatarUrl?: string | null; orgId?: string | null }>;
  orgs: Iterable<{ _id: string; name: string }>;
}

export async function boardRowsOf(held?: RowSources): Promise<Map<string, BoardRow>> {
  const [members, orgs] = held
    ? [held.members, held.orgs]
    : await Promise.all([
        UserModel.find({}, { name: 1, avatarUrl: 1, orgId: 1 }).lean(),
        OrgModel.find({}, { name: 1 }).lean(),
      ]);
  const orgNames = new Map([...orgs].map((o) => [o._id, o.name]));
  const rows = new Map<string, BoardRow>();
  for (const u of members)
    rows.set(u._id, { u: u._id, n: u.name, a: u.avatarUrl ?? '', o: u.orgId ? (orgNames.get(u.orgId) ?? '') : '' });
  return rows;
}

type Candidate = Pick<BoardItem, 'u' | 'p' | 't' | 's'>;

/** One scope's numbers in one period, recomputed: its histogram, members, child sums and board candidates. */
interface Recount {
  h: Record<string, number>;
  n: number;
  c: Record<string, number>;
  board: Candidate[];
}

interface TotalsDoc {
  _id: string;
  t?: Record<string, number>;
  r?: Record<string, number>;
  v?: number;
}

/**
 * The scopes' numbers of `touched` (`${periodId}|${scopeId}` keys) recomputed from every member's totals (one read
 * of the totals collection: its size is the members', not the ledger's), as `points:rebuild` computes them from the
 * ledger: a member counts in a scope's histogram where their totals hold that scope, and a child org's points add
 * to its parent's child sums. Exact whatever part of an earlier write landed. (After an org moved within a period,
 * its points of that period are summed under its parent of now; the rebuild sums them under the parent of each
 * entry's day.)
 */
async function recount(touched: Set<string>, parents: Map<string, string>): Promise<Map<string, Recount>> {
  const out = new Map<string, Recount>();
  const of = (key: string) => out.get(key) ?? out.set(key, { h: {}, n: 0, c: {}, board: [] }).get(key)!;
  const cursor = MemberTotalsModel.collection.find<TotalsDoc>({}, { projection: { t: 1, r: 1, v: 1 } });
  for await (const doc of cursor)
    for (const [key, points] of Object.entries(doc.t ?? {})) {
      const { periodId, scopeId } = parseScopeKey(key);
      if (scopeId === SELF_SCOPE) continue;
      if (touched.has(key)) {
        const s = of(key);
        s.n += 1;
        s.h[histogramKey(points)] = (s.h[histogramKey(points)] ?? 0) + 1;
        s.board.push({ u: doc._id, p: points, t: new Date(doc.r?.[key] ?? 0), s: doc.v ?? 0 });
      }
      const parent = parents.get(scopeId);
      const up = parent && scopeKey(periodId, parent);
      if (up && touched.has(up)) of(up).c[scopeId] = (of(up).c[scopeId] ?? 0) + points;
    }
  return out;
}

/** Fields of a document replaced whole by the recount's numbers. */
const replacing = (_id: string, $set: Record<string, unknown>) => [
  { updateOne: { filter: { _id }, update: { $set }, upsert: true } },
];

/** The recounted numbers written over the stored ones: each scope's periods, each board whole, its floor. */
async function writeRecounts(touched: Set<string>, counts: Map<string, Recount>, counties: Map<string, string>) {
  const rows = await boardRowsOf();
  const scopes = new Map<string, Record<string, unknown>>();
  const boards: object[] = [];
  const floors = new Map<string, { $set: Record<string, number>; $unset: Record<string, 1> }>();
  for (const key of touched) {
    const { periodId, scopeId } = parseScopeKey(key);
    const { h, n, c, board } = counts.get(key) ?? { h: {}, n: 0, c: {}, board: [] };
    Object.assign(scopes.get(scopeId) ?? scopes.set(scopeId, {}).get(scopeId)!, {
      [`h.${periodId}`]: h,
      [`n.${periodId}`]: n,
      [`c.${periodId}`]: c,
    });
    const sorted = board.map((b) => ({ ...(rows.get(b.u) ?? { u: b.u, n: '', a: '', o: '' }), ...b })).sort(boardOrder);
    const kept = sorted.slice(0, BOARD_CAPACITY);
    const floor = sorted.length > kept.length ? sorted[kept.length]!.p : null;
    boards.push(
      ...wholeBoardStatements(
        key,
        kept.map((i): [string, string] => [i.u, storedRow(i)]),
        floor,
      ),
    );
    const county = counties.get(scopeId) ?? scopeId;
    const f = floors.get(county) ?? floors.set(county, { $set: {}, $unset: {} }).get(county)!;
    if (floor === null) f.$unset[`f.${periodId}.${scopeId}`] = 1;
    else f.$set[`f.${periodId}.${scopeId}`] = floor;
  }
  const floorOps = [...floors].map(([county, { $set, $unset }]) => ({
    updateOne: { filter: { _id: floorsId(county) }, update: { $set, $unset }, upsert: true },
  }));
  const scopeOps = [...scopes].flatMap(([_id, $set]) => replacing(_id, $set));
  await ScopeStatsModel.collection.bulkWrite([...scopeOps, ...boards, ...floorOps] as never, { ordered: true });
  forgetAllScopeViews();
  forgetBoardViews();
}

/** Every org's parent and county (one read of the orgs collection). */
async function orgTree(): Promise<{ parents: Map<string, string>; counties: Map<string, string> }> {
  const orgs = await OrgModel.find({}, { path: 1 }).lean<{ _id: string; path?: string[] }[]>();
  const parents = new Map<string, string>();
  const counties = new Map<string, string>();
  for (const o of orgs) {
    const parent = o.path?.at(-1);
    if (parent) parents.set(o._id, parent);
    counties.set(o._id, o.path?.[0] ?? o._id);
  }
  return { parents, counties };
}

/** Recomputes every scope and board of `touched` from the members' totals (jobs and recovery). */
export async function repairScopes(touched: Set<string>): Promise<void> {
  if (touched.size === 0) return;
  const { parents, counties } = await orgTree();
  await writeRecounts(touched, await recount(touched, parents), counties);
}

/**
 * The entries in the pending journal, read by key (each entry, then its month's feed): those not finished, and those
 * whose feed holds them (finished: only their marks to clear; applied-marks.ts).
 */
async function journaled(): Promise<{ pending: LedgerDoc[]; finished: { entryId: string; userId: string }[] }> {
  const pending: LedgerDoc[] = [];
  const finished: { entryId: string; userId: string }[] = [];
  for (const entryId of await journalEntries()) {
    const entry = await LedgerModel.collection.findOne<LedgerDoc>({ _id: entryId as never });
    if (entry && entry.delta !== 0 && !(await feedHolds(entry))) pending.push(entry);
    else finished.push({ entryId, userId: entry?.userId ?? '' });
  }
  return { pending, finished };
}

/** Moves the totals of the entries whose totals never moved (no mark on the member's document), one at a time. */
async function moveMissingTotals(pending: LedgerDoc[]): Promise<void> {
  const members = [...new Set(pending.map((e) => e.userId))];
  for (const userId of members) {
    const doc = await MemberTotalsModel.collection.findOne<{ p?: Record<string, 1> }>(
      { _id: userId as never },
      { projection: { p: 1 } },
    );
    for (const entry of pending.filter((e) => e.userId === userId))
      if (!totalsMarked(doc, entry._id)) await bumpMemberTotals(entry, []);
  }
}

/**
 * Finishes the entries a stop or a failed scope write left half-done, found in the pending journal (a key read: no
 * ledger scan, whatever the ledger's size). An entry whose totals never moved has them moved now (its mark on the
 * member's totals says which did: one update sets both). Then every scope and board of the entries' current periods
 * is recomputed from the members' totals, not moved again: an unordered bulk write may have landed in part, and a
 * recount is exact whatever landed. The feed lines are `$addToSet`. Runs at start-up before the server listens, and
 * behind the database gate (recovery.ts), so no award races it. Returns the entries it finished.
 */
export async function reconcilePoints(): Promise<number> {
  // This process's scope writes under way land first (sent after their awards' replies: the recount must not race
  // them), then its own marks: those entries are finished.
  await flushAppliedMarks();
  const { pending, finished } = await journaled();
  await moveMissingTotals(pending);
  const current = new Set(periodIds(new Date()));
  const touched = new Set(
    pending.flatMap((e) => e.periods.filter((p) => current.has(p)).flatMap((p) => e.scopes.map((s) => scopeKey(p, s)))),
  );
  await repairScopes(touched);
  const lines = pending.filter((e) => e.delta !== 0).map(feedUpdate);
  if (lines.length > 0) await FeedModel.collection.bulkWrite(lines as never[], { ordered: false });
  await writeAppliedMarks([...finished, ...pending.map((e) => ({ entryId: e._id, userId: e.userId }))]);
  return pending.length;
}
