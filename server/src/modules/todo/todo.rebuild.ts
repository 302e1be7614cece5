import { ActivityModel } from '../activities/activities.model';
import { RecordModel } from '../posts/posts.model';
import { WishModel } from '../wishes/wishes.model';
import { todoCounters, TODO_KINDS, type TodoKind } from './todo.store';

type Counts = Map<string, Record<TodoKind, number>>;

function add(counts: Counts, orgIds: readonly (string | null | undefined)[], kind: TodoKind): void {
  for (const id of new Set(orgIds.filter((o): o is string => !!o))) {
    const row = counts.get(id) ?? { records: 0, wishes: 0, leaves: 0 };
    row[kind] += 1;
    counts.set(id, row);
  }
}

/**
 * What the counters should say, from the source documents: the same rules as the `$inc` hooks (a 代为登记 record is
 * confirmed by whoever typed it, so it never waits; a wish waits while `fulfilled`; a leave while `pending` in an
 * activity not cancelled).
 * Deliberate scans, for the start-up repair and tests, never on a request.
 */
export async function countTodo(): Promise<Counts> {
  const counts: Counts = new Map();
  const [records, wishes, activities] = await Promise.all([
    RecordModel.find({ status: 'pending' }, { orgId: 1, memberOrgId: 1, recordedBy: 1 }).lean(),
    WishModel.find({ stage: 'fulfilled' }, { orgId: 1 }).lean(),
    ActivityModel.find({}, { branchId: 1, leaves: 1, cancelled: 1 }).lean(),
  ]);
  for (const r of records) if (!r.recordedBy) add(counts, [r.orgId, r.memberOrgId], 'records');
  for (const w of wishes) add(counts, [w.orgId], 'wishes');
  // A cancelled activity's leaves wait for nobody.
  for (const a of activities.filter((x) => !x.cancelled)) {
    const leaves = Object.values((a.leaves ?? {}) as Record<string, { status?: string }>);
    for (const l of leaves) if (l.status === 'pending') add(counts, [a.branchId], 'leaves');
  }
  return counts;
}

/**
 * Sets every counter to its recount (orgs with nothing pending go to zero); returns how many documents changed. Run
 * while nothing writes (start-up), or an `$inc` landing between the recount and the `$set` is lost.
 */
export async function rebuildTodo(): Promise<number> {
  const counts = await countTodo();
  const existing = new Map((await todoCounters().find({}).toArray()).map((d) => [d._id, d]));
  const zero = { records: 0, wishes: 0, leaves: 0 };
  const ids = new Set([...existing.keys(), ...counts.keys()]);
  const stale = [...ids].filter((id) => {
    const want = counts.get(id) ?? zero;
    const have = existing.get(id);
    return TODO_KINDS.some((k) => (have?.[k] ?? 0) !== want[k]);
  });
  for (const id of stale)
    await todoCounters().updateOne({ _id: id }, { $set: counts.get(id) ?? zero }, { upsert: true });
  return stale.length;
}
