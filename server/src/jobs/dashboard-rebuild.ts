import {
  ACTIVITY_TYPES,
  dashboardSlots,
  unitsAtDefault,
  type ActivityType,
  type FrequencyTable,
  type PointReason,
} from '@pioneer/shared';
import { LedgerModel, MemberTotalsModel } from '../modules/points/points.model';
import { QuizResultModel } from '../modules/quiz/quiz.model';
import { RecordModel } from '../modules/posts/posts.model';
import { ActivityModel } from '../modules/activities/activities.model';
import { frequenciesOf } from '../modules/activities/frequencies.service';
import {
  eventIncrements,
  flushCounters,
  heldMark,
  marksOf,
  memberMarksOf,
  updateOps,
  type AwardEvent,
} from '../modules/dashboard/counters';
import {
  lastHeldMaxes,
  metCounts,
  metSlots,
  type HeldTypes,
  type Maxes,
  type SlotCounts,
} from '../modules/dashboard/branch-counters';
import { DashboardCountersModel, DashboardMarkModel, heldTypesId } from '../modules/dashboard/dashboard.model';
import { inspectionIncrements } from '../modules/dashboard/inspection-counters';
import { InspectionModel, type InspectionDoc } from '../modules/inspections/inspections.model';
import { rebuildSubtrees } from '../modules/orgs/subtree';
import { OrgModel } from '../modules/orgs/orgs.model';
import { addMovedCopies } from '../modules/dashboard/leaf-counters';

const CHUNK = 500;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * The units an event counted with, from the documents it refers to: a daily quiz's right answers (its stored
 * result), a service record's hours. A batch job: scans by `$in` are fine here. Where the document is gone (the demo
 * county's history is written as ledger lines only) the units are the points asked at the default value.
 */
async function unitsByRef(entries: AwardEvent[]): Promise<Map<string, number>> {
  const units = new Map<string, number>();
  const refs = (reason: string) => [...new Set(entries.filter((e) => e.reason === reason).map((e) => e.refId))];
  for (const ids of chunks(refs('daily_quiz'))) {
    const results = await QuizResultModel.find({ _id: { $in: ids } }).lean<
      { _id: string; result: { units?: number } }[]
    >();
    for (const r of results) units.set(`daily_quiz|${r._id}`, Math.max(r.result.units ?? 0, 0));
  }
  for (const ids of chunks(refs('post_service'))) {
    const records = await RecordModel.find({ _id: { $in: ids } }, { hours: 1 }).lean<
      { _id: string; hours: number }[]
    >();
    for (const r of records) units.set(`post_service|${r._id}`, r.hours);
  }
  return units;
}

/** Each paid activity's type (a batch job: `$in` scans are fine here). */
async function activityTypes(entries: AwardEvent[]): Promise<Map<string, ActivityType>> {
  const ids = [...new Set(entries.filter((e) => e.reason === 'activity_attended').map((e) => e.refId))];
  const types = new Map<string, ActivityType>();
  for (const chunk of chunks(ids)) {
    const docs = await ActivityModel.find({ _id: { $in: chunk } }, { type: 1 }).lean<{ _id: string; type: string }[]>();
    for (const d of docs)
      if ((ACTIVITY_TYPES as readonly string[]).includes(d.type)) types.set(d._id, d.type as ActivityType);
  }
  return types;
}

/** A county's value read once per rebuild. */
function perCounty<T>(read: (countyId: string) => Promise<T>) {
  const seen = new Map<string, Promise<T>>();
  return (countyId: string) => {
    if (!seen.has(countyId)) seen.set(countyId, read(countyId));
    return seen.get(countyId)!;
  };
}

/**
 * The branch extras of the live path (`met`, the last-activity `$max`es) replayed in ledger order, the
 * held counts per type kept in memory and written as the live path's `held` documents.
 */
function branchReplay(types: Map<string, ActivityType>) {
  const held = new Map<string, HeldTypes>();
  const frequencies = perCounty(async (id) => (await frequenciesOf(id)).table);
  const extras = async (e: AwardEvent, won: (m: string) => boolean): Promise<{ counts: SlotCounts; maxes: Maxes }> => {
    const { year, slots } = dashboardSlots(e.at);
    const branchId = e.scopes.at(-1);
    const countyId = e.scopes[0];
    if (!branchId || !countyId) return { counts: {}, maxes: new Map() };
    if (e.reason === 'activity_attended') {
      const type = won(heldMark(e.refId)) ? types.get(e.refId) : undefined;
      let met: string[] = [];
      if (type) {
        const doc = held.get(heldTypesId(branchId, year)) ?? {};
        for (const s of slots) doc[s] = { ...doc[s], [type]: (doc[s]?.[type] ?? 0) + 1 };
        held.set(heldTypesId(branchId, year), doc);
        met = metSlots(doc, type, (await frequencies(countyId)) as FrequencyTable, slots);
      }
      return { counts: metCounts(met), maxes: lastHeldMaxes(e.scopes, branchId, e.at) };
    }
    return { counts: {}, maxes: new Map() };
  };
  const heldIncs = () =>
    new Map(
      [...held].map(([id, doc]) => {
        const inc: Record<string, number> = {};
        for (const [slot, byType] of Object.entries(doc))
          for (const [type, n] of Object.entries(byType)) inc[`held.${slot}.${type}`] = n ?? 0;
        return [id, inc];
      }),
    );
  return { extras, heldIncs };
}

/**
 * The markers, where the live path keeps them: a member's own on their points totals document (`d`, replaced whole),
 * the others (an activity held) as documents of their own.
 */
async function writeMarks(entries: AwardEvent[], marks: Set<string>): Promise<void> {
  const byMember = new Map<string, Record<string, 1>>();
  const own = new Set<string>();
  for (const e of entries)
    for (const mark of memberMarksOf(e)) {
      (byMember.get(e.userId) ?? byMember.set(e.userId, {}).get(e.userId)!)[mark] = 1;
      own.add(mark);
    }
  const sets = [...byMember].map(([_id, d]) => ({
    updateOne: { filter: { _id }, update: { $set: { d } }, upsert: true },
  }));
  for (const chunk of chunks(sets)) await MemberTotalsModel.bulkWrite(chunk);
  const shared = [...marks].filter((m) => !own.has(m));
  for (const ids of chunks(shared)) await DashboardMarkModel.insertMany(ids.map((_id) => ({ _id })));
}

/**
 * `npm run dashboard:rebuild`: the 数据看板 counters and markers recomputed from the ledger (every event that paid,
 * or would have, has exactly one entry) in the order events happened, through the same increments the live path
 * applies. Run it while no one writes (like points:rebuild): events during the rebuild may be lost from the counts.
 */
export async function rebuildDashboard(): Promise<{ entries: number; docs: number; marks: number }> {
  await flushCounters(); // this process's awards counted after their replies: written before the counters go
  // Entries only: the ledger collection may hold bookkeeping documents of the points module (no `at`).
  const entries = await LedgerModel.find(
    { at: { $exists: true } },
    { userId: 1, reason: 1, refId: 1, delta: 1, asked: 1, at: 1, scopes: 1 },
  )
    .sort({ at: 1, _id: 1 })
    .lean<(AwardEvent & { asked: number })[]>();
  const units = await unitsByRef(entries);
  const replay = branchReplay(await activityTypes(entries));
  const marks = new Set<string>();
  const incs = new Map<string, Record<string, number>>();
  const maxes: Maxes = new Map();
  for (const e of entries) {
    const fresh = new Set(marksOf(e).filter((m) => !marks.has(m)));
    for (const m of fresh) marks.add(m);
    const n = units.get(`${e.reason}|${e.refId}`) ?? unitsAtDefault(e.reason as PointReason, e.asked ?? 0);
    const extra = await replay.extras(e, (m) => fresh.has(m));
    for (const [id, inc] of eventIncrements(e, n, (m) => fresh.has(m), extra.counts)) {
      const into = incs.get(id) ?? {};
      for (const [path, n] of Object.entries(inc)) into[path] = (into[path] ?? 0) + n;
      incs.set(id, into);
    }
    for (const [id, max] of extra.maxes) {
      const into = maxes.get(id) ?? {};
      for (const [path, at] of Object.entries(max)) into[path] = Math.max(into[path] ?? 0, at);
      maxes.set(id, into);
    }
  }
  for (const [id, inc] of replay.heldIncs()) incs.set(id, inc);
  // 巡查 coverage: every recorded visit (a batch job: the scan is fine here).
  const visits = await InspectionModel.find({}, { path: 1, 'item.date': 1 }).lean<InspectionDoc[]>();
  for (const v of visits)
    for (const [id, inc] of inspectionIncrements(v.path, v.item.date)) {
      const into = incs.get(id) ?? {};
      for (const [path, n] of Object.entries(inc)) into[path] = (into[path] ?? 0) + n;
      incs.set(id, into);
    }
  // An org that moved since: its own counts on its old parent's documents are copied to its own (leaf-counters.ts).
  const orgs = await OrgModel.find({}, { parentId: 1 }).lean<{ _id: string; parentId?: string | null }[]>();
  addMovedCopies(incs, new Map(orgs.map((o) => [o._id, o.parentId ?? null])));
  await DashboardCountersModel.deleteMany({});
  await DashboardMarkModel.deleteMany({});
  await writeMarks(entries, marks);
  const ops = updateOps(incs, maxes);
  for (const chunk of chunks(ops)) await DashboardCountersModel.bulkWrite(chunk as never);
  // The orgs' subtree documents the board reads (children, branches, members, cadres) from the orgs and members.
  await rebuildSubtrees();
  return { entries: entries.length, docs: ops.length, marks: marks.size };
}
