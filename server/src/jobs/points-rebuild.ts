import { BOARD_CAPACITY, boardOrder, storedRow, type BoardItem } from '../modules/points/board';
import { feedItem, histogramKey, moveInStats } from '../modules/points/apply';
import { feedId, SELF_SCOPE, scopeKey, totalId } from '../modules/points/keys';
import { offerToBoard } from '../modules/points/board';
import {
  BoardModel,
  FeedModel,
  LedgerModel,
  ScopeStatsModel,
  TotalModel,
  type LedgerDoc,
} from '../modules/points/points.model';
import { boardRowFor } from '../modules/points/points.service';
import { OrgModel } from '../modules/orgs/orgs.model';
import { UserModel } from '../modules/users/users.model';
import { monthKey } from '@pioneer/shared';

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
  const pending = await LedgerModel.find({ applied: false }).lean<LedgerDoc[]>();
  const users = [...new Set(pending.map((e) => e.userId))];
  for (const userId of users) {
    const entries = await LedgerModel.find({ userId }).lean<LedgerDoc[]>();
    const row = await boardRowFor(userId);
    for (const tally of talliesOf(entries).values()) {
      const id = totalId(tally.periodId, tally.scopeId, userId);
      const current = await TotalModel.findById(id).lean();
      if (current && current.points === tally.points) continue;
      await TotalModel.updateOne(
        { _id: id },
        {
          $set: {
            points: tally.points,
            reachedAt: tally.reachedAt,
            userId,
            scopeId: tally.scopeId,
            periodId: tally.periodId,
          },
        },
        { upsert: true },
      );
      if (tally.scopeId === SELF_SCOPE) continue;
      const scopes = entries.find((e) => e.scopes.includes(tally.scopeId))?.scopes ?? [];
      const child = scopes[scopes.indexOf(tally.scopeId) + 1];
      await moveInStats(
        tally.periodId,
        tally.scopeId,
        child,
        current?.points ?? null,
        tally.points,
        tally.points - (current?.points ?? 0),
      );
      await offerToBoard(scopeKey(tally.periodId, tally.scopeId), { ...row, p: tally.points, t: tally.reachedAt });
    }
    for (const e of entries.filter((x) => x.delta !== 0)) {
      await FeedModel.updateOne(
        { _id: feedId(userId, monthKey(e.at)) },
        { $addToSet: { items: feedItem(e) } },
        { upsert: true },
      );
    }
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
 * job). Returns what it wrote.
 */
export async function rebuildPoints(): Promise<{ entries: number; totals: number; boards: number }> {
  const entries = await LedgerModel.find({}).lean<LedgerDoc[]>();
  const written = await writeDerivedViews(entries);
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

  const stats = new Map<string, { h: Record<string, number>; c: Record<string, number>; members: number }>();
  const boards = new Map<string, BoardItem[]>();
  const statsOf = (key: string) => stats.get(key) ?? stats.set(key, { h: {}, c: {}, members: 0 }).get(key)!;
  for (const t of tallies.values()) {
    if (t.scopeId === SELF_SCOPE) continue;
    const key = scopeKey(t.periodId, t.scopeId);
    const s = statsOf(key);
    s.members += 1;
    s.h[histogramKey(t.points)] = (s.h[histogramKey(t.points)] ?? 0) + 1;
    const list = boards.get(key) ?? boards.set(key, []).get(key)!;
    list.push({ ...(rows.get(t.userId) ?? { u: t.userId, n: '', a: '', o: '' }), p: t.points, t: t.reachedAt });
  }
  // Child sums: what each member earned in a child scope, added up on the parent.
  for (const e of entries) {
    if (e.delta === 0) continue;
    for (const periodId of e.periods) {
      e.scopes.forEach((scopeId, i) => {
        const child = e.scopes[i + 1];
        if (!child) return;
        const s = statsOf(scopeKey(periodId, scopeId));
        s.c[child] = (s.c[child] ?? 0) + e.delta;
      });
    }
  }

  const feeds = new Map<string, ReturnType<typeof feedItem>[]>();
  for (const e of entries) {
    if (e.delta === 0) continue;
    const key = feedId(e.userId, monthKey(e.at));
    (feeds.get(key) ?? feeds.set(key, []).get(key)!).push(feedItem(e));
  }

  await Promise.all([
    TotalModel.deleteMany({}),
    ScopeStatsModel.deleteMany({}),
    BoardModel.deleteMany({}),
    FeedModel.deleteMany({}),
  ]);
  await insertInChunks(
    TotalModel,
    [...tallies].map(([id, t]) => ({ _id: id, ...t })),
  );
  await insertInChunks(
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
  await insertInChunks(BoardModel, boardDocs);
  await insertInChunks(
    FeedModel,
    [...feeds].map(([id, items]) => ({ _id: id, items })),
  );
  return { entries: entries.length, totals: tallies.size, boards: boards.size };
}

/** Every total as `id -> points`, for comparing live totals with rebuilt ones. */
export async function totalsSnapshot(): Promise<Record<string, number>> {
  const totals = await TotalModel.find({}, { points: 1 }).lean();
  return Object.fromEntries(
    totals.map((t) => [t._id, t.points]).sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1)),
  );
}
