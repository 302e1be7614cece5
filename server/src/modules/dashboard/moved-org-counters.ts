import { DashboardCountersModel, countersId, type CountersDoc } from './dashboard.model';

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * An org moved from `fromParentId` (org-move.ts): its own counts kept on the old parent's documents (`leaf.<org>`,
 * leaf-counters.ts) are copied to its own document of each year as `from.<old parent>`, since its board reads its
 * current parent's only. A `$set` of the whole copy: running it again (a move finished at start-up) writes the same.
 * An award counted under the old chain after the copy (in flight during the move) shows on the org's board after
 * `npm run dashboard:rebuild`. A scan of the old parent's documents by key prefix: moves are rare.
 */
export async function settleMovedOrg(orgId: string, fromParentId: string): Promise<number> {
  const leaf = `leaf.${orgId}`;
  const docs = await DashboardCountersModel.find(
    { _id: { $regex: `^${escapeRegex(fromParentId)}\\|\\d+$` }, [leaf]: { $exists: true } },
    { [leaf]: 1 },
  ).lean<CountersDoc[]>();
  const ops = docs.flatMap((d) => {
    const own = d.leaf?.[orgId];
    const year = Number(d._id.split('|')[1]);
    if (!own) return [];
    const update = { $set: { [`from.${fromParentId}`]: own } };
    return [{ updateOne: { filter: { _id: countersId(orgId, year) }, update, upsert: true } }];
  });
  if (ops.length > 0) await DashboardCountersModel.bulkWrite(ops as never);
  return ops.length;
}
