import mongoose from 'mongoose';
import { periodIds } from '@pioneer/shared';
import { forgetBoardViews, writeFloors } from '../modules/points/board';
import { boardBlockDocs } from '../modules/points/board-blocks';
import { forgetAllScopeViews } from '../modules/points/apply';
import { parseScopeKey, totalId } from '../modules/points/keys';
import {
  BoardModel,
  FeedModel,
  LedgerModel,
  MemberTotalsModel,
  RETIRED_COLLECTIONS,
  ScopeStatsModel,
  type LedgerDoc,
} from '../modules/points/points.model';
import { derivedViewsOf, type LedgerLine } from './points-views';
import { clearJournal, flushAppliedMarks, isJournal } from '../modules/points/applied-marks';
import { boardRowsOf, type RowSources } from './points-repair';

/** Finishing what a stop left half-done lives with the scopes' recount (points-repair.ts). */
export { reconcilePoints } from './points-repair';

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
  // The pending journal shares the ledger's collection (applied-marks.ts): every entry is applied below.
  const entries = (await LedgerModel.find({}).lean<LedgerDoc[]>()).filter((e) => !isJournal(e._id));
  const written = await writeDerivedViews(entries);
  forgetAllScopeViews();
  forgetBoardViews();
  await clearJournal(); // every entry's feed holds it now: none is pending
  return written;
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
    insertInChunks(BoardModel, boardBlockDocs(views.boards)),
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

/**
 * Every total of the periods current now as `${periodId}|${scopeId}|${userId} -> points`, for comparing live totals
 * with rebuilt ones: a live document holds a period gone by until the member's next award drops it (totals-window.ts),
 * the rebuild writes none, and nothing reads one.
 */
export async function totalsSnapshot(): Promise<Record<string, number>> {
  const docs = await MemberTotalsModel.find({}, { t: 1 }).lean<{ _id: string; t?: Record<string, number> }[]>();
  const current = new Set(periodIds(new Date()));
  const pairs: [string, number][] = [];
  for (const d of docs)
    for (const [key, points] of Object.entries(d.t ?? {})) {
      const { periodId, scopeId } = parseScopeKey(key);
      if (current.has(periodId)) pairs.push([totalId(periodId, scopeId, d._id), points]);
    }
  return Object.fromEntries(pairs.sort(([a], [b]) => (a < b ? -1 : 1)));
}
