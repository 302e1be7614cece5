import { periodIds } from '@pioneer/shared';
import { readBoard } from '../../src/modules/points/board';
import { scopeKey } from '../../src/modules/points/keys';
import { ScopeStatsModel } from '../../src/modules/points/points.model';
import { scopeWritesLanded } from '../../src/modules/points/scope-writes';
import { scopeStanding, topOf } from '../../src/modules/points/standings';

const nonZero = (o: Record<string, number> | undefined) =>
  Object.fromEntries(Object.entries(o ?? {}).filter(([, n]) => n));

/**
 * Rows by member: members tied on points are ordered by when they reached them, and of concurrent awards the row
 * kept is the one of the later sequence (board.ts), not always of the later `at` the rebuild orders by.
 */
const byMember = (rows: [string, number][]) => rows.sort(([a], [b]) => (a < b ? -1 : 1));

/**
 * Every scope of `orgIds` in each current period: as stored (histogram, members, child sums, board rows) and as the
 * leaderboards read it (the views held here), for comparing live views with those `points:rebuild` writes.
 */
export async function scopeState(orgIds: string[]): Promise<Record<string, unknown>> {
  await scopeWritesLanded(); // the awards' scope writes run after their replies
  const state: Record<string, unknown> = {};
  for (const id of orgIds)
    for (const pid of periodIds(new Date())) {
      const doc = await ScopeStatsModel.collection.findOne<{
        h?: Record<string, Record<string, number>>;
        n?: Record<string, number>;
        c?: Record<string, Record<string, number>>;
      }>({ _id: id as never });
      const board = await readBoard(scopeKey(pid, id));
      const { asOf: _asOf, ...standing } = await scopeStanding(id, pid);
      const top = (await topOf(id, pid, Math.min(20, standing.members))).rows.slice(0, 20);
      state[scopeKey(pid, id)] = {
        stored: { h: nonZero(doc?.h?.[pid]), n: doc?.n?.[pid] ?? 0, c: nonZero(doc?.c?.[pid]) },
        board: byMember(board.items.map((i) => [i.u, i.p])),
        held: { ...standing, histogram: nonZero(standing.histogram), childSums: nonZero(standing.childSums) },
        top: byMember(top.map((r) => [r.userId, r.points])),
      };
    }
  return state;
}
