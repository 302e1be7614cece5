import { Schema, model } from 'mongoose';
import { pathsAndParents } from '../../db/update-paths';
import { keepingParentOf, withOwnCounts, type OwnCounts } from './leaf-counters';

/**
 * `${orgId}|${year}`: everything the 数据看板 shows for one org and year, read by key in one command.
 * - `self.<slot>.<counter>`: the org's whole subtree in that slot (`m01`..`m12`, `q1`..`q4`, `y`); written for the
 *   county and townships only: an org below reads its parent's `kids.<org>` (leaf-counters.ts);
 * - `kids.<childId>.<slot>.<counter>`: the same for each child org, for the drill-down rows;
 * - `lcad.<childId>`: a child's cadres' days where it was the chain's last org, and `from`: what an old parent held of
 *   the org, copied when it moved (leaf-counters.ts; the reader adds them to the org's own `self` and `cad`).
 * The previous period of January, Q1 and the year is last year's document's December, Q4 and year, read in the same
 * command (`readCountersYears`). Documents written before issue 17's change also hold `prev`, `pcad` and `plh`
 * (copies of last year's December, Q4 and year, cadres' days and Nov–Dec last activity): nothing writes or reads them
 * now, as last year's own document holds the same counts.
 */
const CountersSchema = new Schema(
  {
    _id: { type: String, required: true },
    self: { type: Schema.Types.Mixed, default: {} },
    /** Legacy, neither written nor read (see above); no default, so a new document stores none. */
    prev: { type: Schema.Types.Mixed },
    kids: { type: Schema.Types.Mixed, default: {} },
    /** `lh.<branchId>.<mm>`: the last activity (ms) of each branch below in each month; `plh`: legacy. */
    lh: { type: Schema.Types.Mixed },
    plh: { type: Schema.Types.Mixed },
    /** On `<branchId>|<year>|held` only: `held.<slot>.<activityType>`, activities of each type held. */
    held: { type: Schema.Types.Mixed },
    /** `insp.h<n>.<branchId>`: visits (巡查) to each branch below in each half of the year. */
    insp: { type: Schema.Types.Mixed },
    /** `cad.<slot>.<userId>`: each cadre's present days in the slot; `pcad`: legacy. */
    cad: { type: Schema.Types.Mixed },
    pcad: { type: Schema.Types.Mixed },
    /** `lcad.<childId>.<slot>.<userId>`: a child's cadres' days when it was its event's chain's last (leaf-counters.ts). */
    lcad: { type: Schema.Types.Mixed },
    /** `from.<oldParentId>.self|cad`: what an old parent held of this org, copied when it moved (leaf-counters.ts). */
    from: { type: Schema.Types.Mixed },
  },
  { versionKey: false, minimize: false },
);
export interface CountersDoc {
  _id: string;
  self?: Record<string, Record<string, number>>;
  prev?: Record<string, Record<string, number>>;
  kids?: Record<string, Record<string, Record<string, number>>>;
  lh?: Record<string, Record<string, number>>;
  plh?: Record<string, number>;
  insp?: Record<string, Record<string, number>>;
  cad?: Record<string, Record<string, number>>;
  pcad?: Record<string, Record<string, number>>;
  lcad?: Record<string, Record<string, Record<string, number>>>;
  from?: Record<string, OwnCounts>;
}
export const DashboardCountersModel = model('DashboardCounters', CountersSchema, 'dashboard_counters');

/** The schema's fields with a default (`self`, `kids`) and that default, as mongoose's upsert sets them. */
const DEFAULTED = Object.entries(CountersSchema.paths).flatMap(([path, type]) => {
  const value = (type as { defaultValue?: unknown }).defaultValue;
  if (path === '_id' || value === undefined) return [];
  return [[path, typeof value === 'function' ? (value as () => unknown)() : value] as const];
});

/**
 * A counters upsert as mongoose's cast of it sent it: `$setOnInsert` of each defaulted field none of its operators
 * writes (the field or a path under it: the engine refuses an update naming a path and its parent), so a document it
 * creates is the one mongoose created. The live counters go through the driver's collection with this (issue 17:
 * mongoose's cast of the ~30 dotted paths of an award's counters was ~7 % of a paying check-in's Node CPU, H9a);
 * their values are plain numbers, every path under a Mixed field.
 */
export function withCounterDefaults(update: object): object {
  const written = pathsAndParents(
    Object.values(update as Record<string, object | undefined>).flatMap((ops) => Object.keys(ops ?? {})),
  );
  const unwritten = DEFAULTED.filter(([f]) => !written.has(f));
  if (unwritten.length === 0) return update;
  return { $setOnInsert: Object.fromEntries(unwritten), ...update };
}

/**
 * Count-once markers, inserted before an `$inc` (a duplicate key means "already counted"):
 * `active|<year>|<slot>|<userId>` (a member counts once as active per period) and `held|<activityId>` (an activity
 * counts as held at its first sign-in).
 */
const MarkSchema = new Schema({ _id: { type: String, required: true } }, { versionKey: false });
export const DashboardMarkModel = model('DashboardMark', MarkSchema, 'dashboard_marks');

export const countersId = (orgId: string, year: number) => `${orgId}|${year}`;
/** A branch's activities held per type and slot (三会一课 compliance), beside its counters. */
export const heldTypesId = (branchId: string, year: number) => `${branchId}|${year}|held`;

/**
 * One org's counters in one slot (`q3`...) of a year, by key: what the branch scorecards read (issue 18). `path`: the
 * org's ancestors (its own counts may be on its parent's document: leaf-counters.ts).
 */
export async function readSlotCounters(
  orgId: string,
  path: readonly string[],
  year: number,
  slot: string,
): Promise<Record<string, number>> {
  return (await readCountersYears(orgId, path, year, { lastYear: false })).doc?.self?.[slot] ?? {};
}

/** An org's counters documents of a year and of the year before (null: none). */
export interface CountersYears {
  year: number;
  doc: CountersDoc | null;
  last: CountersDoc | null;
}

/**
 * The org's documents of `year` and `year - 1` in ONE command (`find {_id: {$in}}`, fetched by the `_id` index): the
 * board's previous period of January, Q1 and the year is last year's December, Q4 and year, and its idle count in
 * January looks at last November–December. `path`: the org's ancestors; an org 2 deep or more also reads its
 * parent's documents in the same command, whose `kids.<org>` and `lcad.<org>` hold its own counts (leaf-counters.ts):
 * `self` and `cad` come back as the org's.
 */
export async function readCountersYears(
  orgId: string,
  path: readonly string[],
  year: number,
  { lastYear = true } = {},
): Promise<CountersYears> {
  const parentId = keepingParentOf(path);
  const years = lastYear ? [year, year - 1] : [year];
  const ids = [orgId, ...(parentId ? [parentId] : [])].flatMap((o) => years.map((y) => countersId(o, y)));
  const docs = await DashboardCountersModel.find({ _id: { $in: ids } }).lean<CountersDoc[]>();
  const byId = new Map(docs.map((d) => [d._id, d]));
  const of = (y: number) =>
    withOwnCounts(
      byId.get(countersId(orgId, y)) ?? null,
      orgId,
      parentId,
      parentId ? (byId.get(countersId(parentId, y)) ?? null) : null,
    );
  return { year, doc: of(year), last: lastYear ? of(year - 1) : null };
}

/** The document of year `y` among those read (null: not read, or none). */
export const counterDocOf = (years: CountersYears, y: number): CountersDoc | null =>
  y === years.year ? years.doc : y === years.year - 1 ? years.last : null;
