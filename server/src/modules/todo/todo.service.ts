import type { TodoCounts } from '@pioneer/shared';
import { yearKey } from '@pioneer/shared/src/time';
import { forbidden } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { secretaryBranchOf } from '../../policy';
import { readQueue as readCheckinQueue } from '../checkins/records';
import { readQueue as readCommitmentQueue } from '../commitments/commitments.store';
import { RosterKeyModel } from '../roster/roster.model';
import { queueKey as bindQueueKey } from '../roster/binding.service';
import { readTodoCounts } from './todo.store';

/**
 * The 首页 待办 of a branch secretary: key reads only. 外勤 check-ins, submitted commitments and bind requests already
 * live in one key document per branch (their queues: a set, so a count needs no counter of its own); service records,
 * wishes and leave requests are counted by `$inc` in the branch's `todo_counters` document (todo.store.ts).
 */
export async function myTodo(actor: SessionUser, now = new Date()): Promise<TodoCounts> {
  const branchId = secretaryBranchOf(actor);
  if (!branchId) throw forbidden('只有支部书记有待办事项');
  const [counts, checkins, commitments, binds] = await Promise.all([
    readTodoCounts(branchId),
    readCheckinQueue(branchId),
    readCommitmentQueue(branchId, Number(yearKey(now))),
    RosterKeyModel.findById(bindQueueKey(branchId)).lean<{ data?: Record<string, unknown> }>(),
  ]);
  const items = {
    checkins: checkins.length,
    commitments: Object.keys(commitments.submitted).length,
    records: counts.records,
    wishes: counts.wishes,
    leaves: counts.leaves,
    binds: Object.keys(binds?.data ?? {}).length,
  };
  return { branchId, items, total: Object.values(items).reduce((a, b) => a + b, 0) };
}
