import { OrgModel } from '../orgs/orgs.model';
import { DashboardCountersModel, countersId, type CountersDoc } from './dashboard.model';
import { movedDeep, type OwnCounts } from './leaf-counters';

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Slots = Record<string, Record<string, number>>;

/** `a` less `b`, slot by slot (what of an old parent's counts the org's own `self` does not already hold). */
function minus(a: Slots = {}, b: Slots = {}): Slots {
  return Object.fromEntries(
    Object.entries(a).map(([slot, counts]) => [
      slot,
      Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, n - (b[slot]?.[k] ?? 0)])),
    ]),
  );
}

const parentOf = async (id: string | null) =>
  id ? ((await OrgModel.findById(id, { parentId: 1 }).lean<{ parentId?: string | null }>())?.parentId ?? null) : null;

/**
 * An org moved from `fromParentId` (org-move.ts): what its old parent's documents held of it (`kids.<org>`,
 * `lcad.<org>`: its own counts when 2 deep or more, leaf-counters.ts) is copied to its own document of each year as
 * `from.<old parent>`, since its board reads its current parent's only. A `$set` of the whole copy: running it again
 * (a move finished at start-up) writes the same. Moved up under the county, it reads its own `self` again, which
 * already holds what was counted before issue 17's change: that part is left out of the copy. An award counted under
 * the old chain after the copy (in flight during the move) shows on the org's board after `npm run dashboard:rebuild`.
 * A scan of the old parent's documents by key prefix: moves are rare.
 */
export async function settleMovedOrg(orgId: string, fromParentId: string, toParentId: string): Promise<number> {
  const [oldGrandparent, newGrandparent] = await Promise.all([parentOf(fromParentId), parentOf(toParentId)]);
  if (!movedDeep(oldGrandparent, newGrandparent)) return 0;
  const [kids, lcad] = [`kids.${orgId}`, `lcad.${orgId}`];
  const docs = await DashboardCountersModel.find(
    { _id: { $regex: `^${escapeRegex(fromParentId)}\\|\\d+$` } },
    { [kids]: 1, [lcad]: 1 },
  ).lean<CountersDoc[]>();
  const held = docs.filter((d) => d.kids?.[orgId] || d.lcad?.[orgId]);
  const ownSelf = async (year: number) =>
    newGrandparent
      ? {}
      : ((await DashboardCountersModel.findById(countersId(orgId, year), { self: 1 }).lean<CountersDoc>())?.self ?? {});
  const ops = await Promise.all(
    held.map(async (d) => {
      const year = Number(d._id.split('|')[1]);
      const copy: OwnCounts = { self: minus(d.kids?.[orgId], await ownSelf(year)), cad: d.lcad?.[orgId] ?? {} };
      const update = { $set: { [`from.${fromParentId}`]: copy } };
      return { updateOne: { filter: { _id: countersId(orgId, year) }, update, upsert: true } };
    }),
  );
  if (ops.length > 0) await DashboardCountersModel.bulkWrite(ops as never);
  return ops.length;
}
