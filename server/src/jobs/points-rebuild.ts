import mongoose from 'mongoose';
import { forgetBoardViews, offerToBoard, writeFloors } from '../modules/points/board';
import { feedUpdate, forgetAllScopeViews, moveInStats, type BoardRow } from '../modules/points/apply';
import { parseScopeKey, SELF_SCOPE, scopeKey, totalId } from '../modules/points/keys';
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
import { derivedViewsOf, talliesOf, type LedgerLine } from './points-views';
import { flushAppliedMarks } from '../modules/points/applied-marks';

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

/** Each member's board row (name, avatar, branch name): from what the caller holds, else read from the engine. */
export interface RowSources {
  members: Iterable<{ _id: string; name: string; avatarUrl?: string | null; orgId?: string | null }>;
  orgs: Iterable<{ _id: string; name: string }>;
}

async function boardRowsOf(held?: RowSources): Promise<Map<string, BoardRow>> {
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

/**
 * Replaces every derived view (totals, histograms, child sums, boards, feeds) with what `entries` imply, in bulk.
 * The rebuild's second half; a bulk loader that already holds the entries, members and orgs (the benchmark's seed)
 * calls it directly and passes them (`rows`), so nothing is read back.
 */
export async function writeDerivedViews(
  entries: LedgerLine[],
  { feeds: withFeeds = true, rows }: { feeds?: boolean; rows?: RowSources } = {},
): Promise<{ entries: number; totals: number; boards: number }> {
  const views = derivedViewsOf(entries, await boardRowsOf(rows), withFeeds);
  await Promise.all([
    MemberTotalsModel.deleteMany({}),
    ScopeStatsModel.deleteMany({}),
    BoardModel.deleteMany({}),
    FeedModel.deleteMany({}),
    ...RETIRED_COLLECTIONS.map((name) => dropIfThere(name)),
  ]);
  // The collections side by side: the engine takes one write at a time, but the driver's encoding of the next
  // chunk overlaps it.
  await Promise.all([
    insertInChunks(MemberTotalsModel, views.totals),
    insertInChunks(ScopeStatsModel, views.stats),
    insertInChunks(BoardModel, views.boards),
    writeFloors(views.boards),
    insertInChunks(FeedModel, views.feeds),
  ]);
  return { entries: entries.length, totals: views.tallies, boards: views.boards.length };
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
