import mongoose from 'mongoose';
import { payKey } from '../points/keys';
import { awardPoints } from '../points/points.service';
import { assignments, tasks, type AssignmentDoc, type TaskDoc } from './tasks.store';

/**
 * Points on acceptance, paid once even across a crash (issue 19). An acceptance writes, by `_id`:
 * 1. `task_payments/<assignment key>`: the points are owed (written before the move);
 * 2. the move 已报 -> 已验收 (the CAS store);
 * 3. the payment, keyed `task|<assignment key>` (a second payment of the key is a duplicate, never a second entry);
 * 4. the owed mark removed.
 * A stop between 2 and 3 leaves an accepted assignment unpaid with its owed mark: the start-up repair
 * (`reconcileTaskPayments`, run by reconcileAll) pays it with the same key, so it pays once however often or
 * however concurrently it runs. An owed mark whose move never happened (a stop between 1 and 2, a lost race) is
 * removed without paying.
 */
interface OwedDoc {
  _id: string;
  taskId: string;
  at: Date;
  actorId: string;
}
const owed = () => mongoose.connection.collection<OwedDoc>('task_payments');

export async function owePoints(key: string, taskId: string, actorId: string, at: Date): Promise<void> {
  // $setOnInsert: a repeated or racing acceptance keeps the first time (the day the points count in).
  await owed().updateOne({ _id: key }, { $setOnInsert: { taskId, at, actorId } }, { upsert: true });
}

/** Pays an accepted assignment its task's points (once, by key) and clears the owed mark. Returns points paid now. */
export async function payAcceptance(
  task: Pick<TaskDoc, '_id' | 'points'>,
  a: AssignmentDoc,
  actorId: string,
  at: Date,
): Promise<number> {
  let paid = 0;
  if (a.status === 'accepted' && task.points > 0 && a.reportedBy) {
    const award = await awardPoints({
      userId: a.reportedBy,
      reason: 'task_accepted',
      units: task.points,
      refType: 'task',
      refId: task._id,
      idempotencyKey: payKey('task_accepted', a.reportedBy, a._id),
      actorId,
      at,
    });
    paid = award.duplicate ? 0 : award.awarded;
  }
  await owed().deleteOne({ _id: a._id });
  return paid;
}

export interface TaskPaymentRepair {
  /** Owed marks found (acceptances a stop interrupted, or moves that never happened). */
  found: number;
  /** Points paid now (0 for a payment that had landed before the stop). */
  points: number;
  failed: string[];
}

/** The start-up repair. The owed collection holds only interrupted acceptances, so reading all of it is cheap. */
export async function reconcileTaskPayments(): Promise<TaskPaymentRepair> {
  const due = await owed().find({}).toArray();
  const repair: TaskPaymentRepair = { found: due.length, points: 0, failed: [] };
  for (const d of due) {
    try {
      const [a, task] = await Promise.all([assignments.read(d._id), tasks().findOne({ _id: d.taskId })]);
      if (!a || !task) {
        await owed().deleteOne({ _id: d._id });
        continue;
      }
      repair.points += await payAcceptance(task, a, d.actorId, new Date(d.at));
    } catch {
      repair.failed.push(d._id);
    }
  }
  return repair;
}
