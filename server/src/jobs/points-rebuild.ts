import mongoose from 'mongoose';
import { monthKey } from '@pioneer/shared';
import {
  BOARD_CAPACITY,
  boardOrder,
  forgetBoardViews,
  offerToBoard,
  storedRow,
  type BoardItem,
} from '../modules/points/board';
import { feedItem, feedUpdate, forgetAllScopeViews, histogramKey, moveInStats } from '../modules/points/apply';
import { feedId, parseScopeKey, SELF_SCOPE, scopeKey, totalId } from '../modules/points/keys';
import {
  BoardModel,
  FeedModel,
  LedgerModel,
  MemberTotalsModel,
  RETIRED_COLLECTIONS,
  ScopeStatsModel,
  type LedgerDoc,
} from '../modules/points/points.model';
import { boardRowFor } from '../modules/points/points.service';
import { OrgModel } from '../modules/orgs/orgs.model';
import { UserModel } from '../modules/users/users.model';
import { memberMarksOf } from '../modules/dashboard/counters';
import { flushAppliedMarks } from '../modules/points/applied-marks';

interface Tally {
  userId: string;
  periodId: string;
  scopeId: string;
  points: number;
  reachedAt: Date;
}

/** Every total a set of ledger entries implies, keyed by total id. Pure: the one definition of "correct". */
export function talliesOf(
  entries: Iterable<Pick<LedgerDoc, 'userId' | 'delta' | 'at' | 'periods' | 'scopes'>>,
): Map<string, Tally> {
  const tallies = new Map<string, Tally>();
  for (const e of entries) {
    if (e.delta === 0) continue;
    for (const periodId of e.periods) {
      for (const scopeId of [SELF_SCOPE, ...e.scopes]) {
        const id = totalId(periodId, scopeId, e.userId);
        const t = tallies.get(id) ?? { userId: e.userId, periodId, scopeId, points: 0, reachedAt: e.at };
        t.points += e.delta;
        if (e.at > t.reachedAt) t.reachedAt = e.at;
        tallies.set(id, t);
      }
    }
  }
  return tallies;
}

/**
 * Finishes entries a crash left unapplied. For each affected member the totals are recomputed from their whole
 * ledger and corrected by difference (histograms and child sums move with them), so a half-applied entry is never
 * counted twice. Runs at start-up, before the server takes requests.
 */
export async function reconcilePoints(): Promise<number> {
  await flushAppliedMarks(); // this process's own marks first: those entries are finished
  const pending = await LedgerModel.find({ applied: false }).lean<LedgerDoc[]>();
  const users = [...new Set(pending.map((e) => e.userId))];
  for (const userId of users) {
    const entries = await LedgerModel.find({ userId }).lean<LedgerDoc[]>();
    const row = await boardRowFor(userId);
    const doc = await MemberTotalsModel.findById(userId).lean<{ t?: Record<string, number> }>();
    const current = doc?.t ?? {};
    const wrong = [...talliesOf(entries).values()].filter((t) => current[scopeKey(t.periodId, t.scopeId)] !== t.points);
    // A sequence of its own (board rows of this repair outrank the crashed award's, see board.ts).
    let seq = 0;
    if (wrong.length > 0) {
      const set: Record<string, number> = {};
      for (const t of wrong) {
        set[`t.${scopeKey(t.periodId, t.scopeId)}`] = t.points;
        set[`r.${scopeKey(t.periodId, t.scopeId)}`] = t.reachedAt.getTime();
      }
      const after = await MemberTotalsModel.findOneAndUpdate(
        { _id: userId },
        { $set: set, $inc: { v: 1 } },
        { upsert: true, returnDocument: 'after' },
      ).lean<{ v?: number }>();
      seq = after?.v ?? 1;
    }
    for (const tally of wrong) {
      if (tally.scopeId === SELF_SCOPE) continue;
      const before = current[scopeKey(tally.periodId, tally.scopeId)] ?? null;
      const scopes = entries.find((e) => e.scopes.includes(tally.scopeId))?.scopes ?? [];
      const child = scopes[scopes.indexOf(tally.scopeId) + 1];
      await moveInStats(tally.scopeId, child, [
        { periodId: tally.periodId, before, after: tally.points, delta: tally.points - (before ?? 0) },
      ]);
      await offerToBoard(scopeKey(tally.periodId, tally.scopeId), {
        ...row,
        p: tally.points,
        t: tally.reachedAt,
        s: seq,
      });
    }
    const lines = entries.filter((x) => x.delta !== 0).map(feedUpdate);
    if (lines.length > 0) await FeedModel.collection.bulkWrite(lines as never[], { ordered: false });
    await LedgerModel.updateMany({ userId, applied: false }, { $set: { applied: true } });
  }
  return pending.length;
}

/** Raw driver inserts: the documents are built here already, so mongoose's casting would only cost time. */
async function insertInChunks(
  model: { collection: { insertMany(docs: never[], options: object): Promise<unknown> } },
  docs: object[],
) {
  for (let i = 0; i < docs.length; i += 5000)
    await model.collection.insertMany(docs.slice(i, i + 5000) as never[], { ordered: false });
}

/**
 * `npm run points:rebuild`: throws away every derived view and recomputes it from the ledger (a full scan, as a
 * job). Returns what it wrote. It is also the migration between storage layouts of the derived views: a deployment
 * that stored them as before issue 17 (a document per total, per period of a scope) runs it once after upgrading,
 * before taking requests; it writes the new layout and drops the retired collections.
 */
export async function rebuildPoints(): Promise<{ entries: number; totals: number; boards: number }> {
  await flushAppliedMarks();
  const entries = await LedgerModel.find({}).lean<LedgerDoc[]>();
  const written = await writeDerivedViews(entries);
  forgetAllScopeViews();
  forgetBoardViews();
  // Key updates of just the unapplied entries: an updateMany on a filter scans and rewrites row by row on FerretDB.
  const pending = entries.filter((e) => !e.applied);
  for (let i = 0; i < pending.length; i += 50)
    await Promise.all(
      pending.slice(i, i + 50).map((e) => LedgerModel.updateOne({ _id: e._id }, { $set: { applied: true } })),
    );
  return written;
}

type LedgerLine = Pick<
  LedgerDoc,
  '_id' | 'userId' | 'delta' | 'reason' | 'refType' | 'refId' | 'note' | 'at' | 'periods' | 'scopes'
>;

/**
 * Replaces every derived view (totals, histograms, child sums, boards, feeds) with what `entries` imply, in bulk.
 * The rebuild's second half; a bulk loader that already holds the entries (the benchmark) calls it directly.
 */
export async function writeDerivedViews(
  entries: LedgerLine[],
  { feeds: withFeeds = true }: { feeds?: boolean } = {},
): Promise<{ entries: number; totals: number; boards: number }> {
  const tallies = talliesOf(entries);
  const [users, orgs] = await Promise.all([
    UserModel.find({}, { name: 1, avatarUrl: 1, orgId: 1 }).lean(),
    OrgModel.find({}, { name: 1 }).lean(),
  ]);
  const orgNames = new Map(orgs.map((o) => [o._id, o.name]));
  const rows = new Map(
    users.map((u) => [
      u._id,
      { u: u._id, n: u.name, a: u.avatarUrl ?? '', o: u.orgId ? (orgNames.get(u.orgId) ?? '') : '' },
    ]),
  );

  type Stats = {
    h: Record<string, Record<string, number>>;
    c: Record<string, Record<string, number>>;
    n: Record<string, number>;
  };
  const stats = new Map<string, Stats>();
  const boards = new Map<string, BoardItem[]>();
  const members = new Map<
    string,
    { t: Record<string, number>; r: Record<string, number>; v: number; d?: Record<string, 1> }
  >();
  // Each member's award sequence: the entries that moved their totals (live awards go on from there).
  const seqs = new Map<string, number>();
  for (const e of entries) if (e.delta !== 0) seqs.set(e.userId, (seqs.get(e.userId) ?? 0) + 1);
  const statsOf = (scopeId: string) => stats.get(scopeId) ?? stats.set(scopeId, { h: {}, c: {}, n: {} }).get(scopeId)!;
  const inc = (map: Record<string, number>, key: string, by: number) => (map[key] = (map[key] ?? 0) + by);
  for (const t of tallies.values()) {
    const key = scopeKey(t.periodId, t.scopeId);
    const seq = seqs.get(t.userId) ?? 0;
    const m = members.get(t.userId) ?? members.set(t.userId, { t: {}, r: {}, v: seq }).get(t.userId)!;
    m.t[key] = t.points;
    m.r[key] = t.reachedAt.getTime();
    if (t.scopeId === SELF_SCOPE) continue;
    const s = statsOf(t.scopeId);
    inc(s.n, t.periodId, 1);
    inc((s.h[t.periodId] ??= {}), histogramKey(t.points), 1);
    const list = boards.get(key) ?? boards.set(key, []).get(key)!;
    const row = rows.get(t.userId) ?? { u: t.userId, n: '', a: '', o: '' };
    list.push({ ...row, p: t.points, t: t.reachedAt, s: seq });
  }
  // The 数据看板's markers of each member (held on their totals document, see apply.ts): every entry's, paid or not.
  for (const e of entries)
    for (const mark of memberMarksOf(e)) {
      const m =
        members.get(e.userId) ?? members.set(e.userId, { t: {}, r: {}, v: seqs.get(e.userId) ?? 0 }).get(e.userId)!;
      (m.d ??= {})[mark] = 1;
    }
  // Child sums: what each member earned in a child scope, added up on the parent.
  for (const e of entries) {
    if (e.delta === 0) continue;
    for (const periodId of e.periods) {
      e.scopes.forEach((scopeId, i) => {
        const child = e.scopes[i + 1];
        if (!child) return;
        inc((statsOf(scopeId).c[periodId] ??= {}), child, e.delta);
      });
    }
  }

  const feeds = new Map<string, ReturnType<typeof feedItem>[]>();
  for (const e of withFeeds ? entries : []) {
    if (e.delta === 0) continue;
    const key = feedId(e.userId, monthKey(e.at));
    (feeds.get(key) ?? feeds.set(key, []).get(key)!).push(feedItem(e));
  }

  await Promise.all([
    MemberTotalsModel.deleteMany({}),
    ScopeStatsModel.deleteMany({}),
    BoardModel.deleteMany({}),
    FeedModel.deleteMany({}),
    ...RETIRED_COLLECTIONS.map((name) => dropIfThere(name)),
  ]);
  // The collections side by side: the engine takes one write at a time, but the driver's encoding of the next
  // chunk overlaps it.
  const totalsWritten = insertInChunks(
    MemberTotalsModel,
    [...members].map(([id, m]) => ({ _id: id, ...m })),
  );
  const statsWritten = insertInChunks(
    ScopeStatsModel,
    [...stats].map(([id, s]) => ({ _id: id, ...s })),
  );
  const boardDocs: object[] = [];
  for (const [key, items] of boards) {
    items.sort(boardOrder);
    const top = items.slice(0, BOARD_CAPACITY);
    boardDocs.push({
      _id: key,
      m: Object.fromEntries(top.map((i) => [i.u, storedRow(i)])),
      floor: items.length > top.length ? items[top.length]!.p : null,
    });
  }
  await Promise.all([
    totalsWritten,
    statsWritten,
    insertInChunks(BoardModel, boardDocs),
    insertInChunks(
      FeedModel,
      [...feeds].map(([id, items]) => ({ _id: id, items })),
    ),
  ]);
  return { entries: entries.length, totals: tallies.size, boards: boards.size };
}

/** A collection of an older layout, gone once rebuilt (no error when it never existed). */
async function dropIfThere(name: string): Promise<void> {
  const db = mongoose.connection.db;
  if (!db) return;
  const found = await db.listCollections({ name }, { nameOnly: true }).toArray();
  if (found.length > 0) await db.dropCollection(name);
}

/** Every total as `${periodId}|${scopeId}|${userId} -> points`, for comparing live totals with rebuilt ones. */
export async function totalsSnapshot(): Promise<Record<string, number>> {
  const docs = await MemberTotalsModel.find({}, { t: 1 }).lean<{ _id: string; t?: Record<string, number> }[]>();
  const pairs: [string, number][] = [];
  for (const d of docs)
    for (const [key, points] of Object.entries(d.t ?? {})) {
      const { periodId, scopeId } = parseScopeKey(key);
      pairs.push([totalId(periodId, scopeId, d._id), points]);
    }
  return Object.fromEntries(pairs.sort(([a], [b]) => (a < b ? -1 : 1)));
}
