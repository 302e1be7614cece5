import { periodIds } from '@pioneer/shared';
import { sharedValue, WRITE_SIDE_BOUNDS } from '../../db/shared-view';
import { OrgModel } from '../orgs/orgs.model';
import { floorsId, parseScopeKey } from './keys';
import { BoardModel } from './points.model';

/**
 * The counties' board floors: which boards an award's score reaches without reading them (board.ts reads, writes
 * and trims the boards themselves; a trim raises a floor here, a rebuild sets one).
 */

/**
 * `f.<periodId>.<scopeId>` -> that board's floor, for every trimmed board of a county, in one document by key
 * (`floors|<countyId>`): what an award needs to know which boards it reaches, without a read per scope (issue 17: a
 * scope's histogram, read cold, cost a command per scope of the chain). A trim raises a floor ($max), points:rebuild
 * writes them with the boards, rebuildBoard sets its own. Held as a write-side view (db/shared-view.ts): a floor only
 * rises, so a stale one lets through a row a trim cuts later and never keeps out one that belongs.
 */
export type Floors = Record<string, Record<string, number>>;
const countyFloors = sharedValue(
  async (countyId: string) =>
    (await BoardModel.collection.findOne<{ f?: Floors }>({ _id: floorsId(countyId) as never }))?.f ?? {},
  10_000,
  WRITE_SIDE_BOUNDS,
);

/** The county's board floors as held here. */
export const boardFloors = (countyId: string): Promise<Floors> => countyFloors.get(countyId);

/**
 * Whether a score reaches a board: a board without a floor holds every member who has points (not trimmed yet), one
 * with a floor every score above it. Rows at the floor may be a subset of a tie (readBoard's Board): a member who
 * only reaches the floor ties with rows trimmed off, and skipping them saves a row a trim would cut again (at the
 * bench's scale most of a week's scores tie at the floor). A lowered score always reaches it, so a row never shows
 * more than the total.
 */
export function reachesBoard(floors: Floors, key: string, points: number, lowered: boolean): boolean {
  if (lowered) return true;
  const { periodId, scopeId } = parseScopeKey(key);
  const floor = floors[periodId]?.[scopeId];
  return floor === undefined || points > floor;
}

/** A board's floor raised on its county's document (and on the view held here), its periods gone by dropped. */
export async function raiseFloor(countyId: string, key: string, floor: number): Promise<void> {
  const { periodId, scopeId } = parseScopeKey(key);
  const held = await countyFloors.held(countyId);
  if ((held?.[periodId]?.[scopeId] ?? -Infinity) >= floor) return;
  const keep = new Set([...periodIds(new Date()), periodId]);
  const gone = held ? Object.keys(held).filter((p) => !keep.has(p)) : [];
  await BoardModel.collection.updateOne(
    { _id: floorsId(countyId) as never },
    {
      $max: { [`f.${periodId}.${scopeId}`]: floor },
      ...(gone.length > 0 ? { $unset: Object.fromEntries(gone.map((p) => [`f.${p}`, 1])) } : {}),
    },
    { upsert: true },
  );
  if (held) {
    for (const p of gone) delete held[p];
    const period = (held[periodId] ??= {});
    period[scopeId] = Math.max(period[scopeId] ?? -Infinity, floor);
  }
}

/** A rebuilt board's floor on its county's document, as it is now (a rebuild may lower it). */
export async function setFloor(key: string, floor: number | null): Promise<void> {
  const { periodId, scopeId } = parseScopeKey(key);
  const org = await OrgModel.findById(scopeId, { path: 1 }).lean<{ _id: string; path?: string[] }>();
  if (!org) return;
  const countyId = org.path?.[0] ?? org._id;
  const path = `f.${periodId}.${scopeId}`;
  await BoardModel.collection.updateOne(
    { _id: floorsId(countyId) as never },
    floor === null ? { $unset: { [path]: 1 } } : { $set: { [path]: floor } },
    { upsert: true },
  );
  countyFloors.forget(countyId);
}

/**
 * Writes the counties' floors documents for boards written whole (points:rebuild, after it emptied the collection):
 * every board of a current period with a floor, under its scope's county (the orgs, read once).
 */
export async function writeFloors(boards: { _id: string; floor: number | null }[], now = new Date()): Promise<void> {
  const current = new Set(periodIds(now));
  const floored = boards.filter((b) => b.floor !== null && current.has(parseScopeKey(b._id).periodId));
  if (floored.length === 0) return;
  const orgs = await OrgModel.find({}, { path: 1 }).lean<{ _id: string; path?: string[] }[]>();
  const countyOf = new Map(orgs.map((o) => [o._id, o.path?.[0] ?? o._id]));
  const byCounty = new Map<string, Floors>();
  for (const { _id, floor } of floored) {
    const { periodId, scopeId } = parseScopeKey(_id);
    const countyId = countyOf.get(scopeId);
    if (!countyId) continue;
    const f = byCounty.get(countyId) ?? byCounty.set(countyId, {}).get(countyId)!;
    (f[periodId] ??= {})[scopeId] = floor!;
  }
  const docs = [...byCounty].map(([countyId, f]) => ({ _id: floorsId(countyId), f }));
  if (docs.length > 0) await BoardModel.collection.insertMany(docs as never[], { ordered: false });
  countyFloors.clear();
}

/** A rebuild rewrote every board: the floors are read again. */
export function forgetFloors(): void {
  countyFloors.clear();
}
