import { unitsAtDefault, type PointReason } from '@pioneer/shared';
import { LedgerModel } from '../modules/points/points.model';
import { QuizResultModel } from '../modules/quiz/quiz.model';
import { RecordModel } from '../modules/posts/posts.model';
import { eventIncrements, marksOf, type AwardEvent } from '../modules/dashboard/counters';
import { DashboardCountersModel, DashboardMarkModel } from '../modules/dashboard/dashboard.model';

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

/**
 * `npm run dashboard:rebuild`: the 数据看板 counters and markers recomputed from the ledger (every event that paid,
 * or would have, has exactly one entry) in the order events happened, through the same increments the live path
 * applies. Run it while no one writes (like points:rebuild): events during the rebuild may be lost from the counts.
 */
export async function rebuildDashboard(): Promise<{ entries: number; docs: number; marks: number }> {
  const entries = await LedgerModel.find({}, { userId: 1, reason: 1, refId: 1, delta: 1, asked: 1, at: 1, scopes: 1 })
    .sort({ at: 1, _id: 1 })
    .lean<(AwardEvent & { asked: number })[]>();
  const units = await unitsByRef(entries);
  const marks = new Set<string>();
  const incs = new Map<string, Record<string, number>>();
  for (const e of entries) {
    const fresh = new Set(marksOf(e).filter((m) => !marks.has(m)));
    for (const m of fresh) marks.add(m);
    const n = units.get(`${e.reason}|${e.refId}`) ?? unitsAtDefault(e.reason as PointReason, e.asked ?? 0);
    for (const [id, inc] of eventIncrements(e, n, (m) => fresh.has(m))) {
      const into = incs.get(id) ?? {};
      for (const [path, n] of Object.entries(inc)) into[path] = (into[path] ?? 0) + n;
      incs.set(id, into);
    }
  }
  await DashboardCountersModel.deleteMany({});
  await DashboardMarkModel.deleteMany({});
  for (const ids of chunks([...marks])) await DashboardMarkModel.insertMany(ids.map((_id) => ({ _id })));
  for (const docs of chunks([...incs])) {
    await DashboardCountersModel.bulkWrite(
      docs.map(([_id, inc]) => ({ updateOne: { filter: { _id }, update: { $inc: inc }, upsert: true } })) as never,
    );
  }
  return { entries: entries.length, docs: incs.size, marks: marks.size };
}
