import mongoose from 'mongoose';
import { groupedIncrements } from '../../db/grouped-marks';

/**
 * The secretary's 待办 counts that no other key document already holds: service records and wishes waiting for
 * confirmation, and leave requests waiting for a decision. One small document per org (`_id` = the org's id), moved
 * by `$inc` exactly where an item enters or leaves its pending state, at the one write that decides the move (a
 * conditional write or a `returnDocument: 'before'` read), so racing requests move it once. `rebuildTodo`
 * (todo.rebuild.ts) recomputes it from the source documents; the start-up repairs run it.
 */
export const TODO_KINDS = ['records', 'wishes', 'leaves'] as const;
export type TodoKind = (typeof TODO_KINDS)[number];

export interface TodoCounterDoc {
  _id: string;
  records?: number;
  wishes?: number;
  leaves?: number;
}

export const todoCounters = () => mongoose.connection.collection<TodoCounterDoc>('todo_counters');

/** Moves `kind` by `delta` on each distinct org (a record counts for the post's org and the member's branch). */
export async function bumpTodo(kind: TodoKind, orgIds: readonly (string | null | undefined)[], delta: number) {
  const ids = [...new Set(orgIds.filter((id): id is string => !!id))];
  if (ids.length === 0) return;
  await todoCounters().bulkWrite(
    ids.map((id) => ({ updateOne: { filter: { _id: id }, update: { $inc: { [kind]: delta } }, upsert: true } })),
    { ordered: false },
  );
}

/**
 * A move that may land within milliseconds (issue 17: a confirmed record leaving the queue), grouped with the others
 * of the window off the request's path; a reader of the counts writes this process's queue first.
 */
const later = groupedIncrements('todo-counters', todoCounters, true);
export function bumpTodoLater(kind: TodoKind, orgIds: readonly (string | null | undefined)[], delta: number): void {
  for (const id of new Set(orgIds)) if (id) later.add(id, { [kind]: delta });
}

/** One key read; a count never shows below zero (a decrement can land before a crashed increment is rebuilt). */
export async function readTodoCounts(orgId: string): Promise<Record<TodoKind, number>> {
  await later.flush();
  const doc = await todoCounters().findOne({ _id: orgId });
  return {
    records: Math.max(0, doc?.records ?? 0),
    wishes: Math.max(0, doc?.wishes ?? 0),
    leaves: Math.max(0, doc?.leaves ?? 0),
  };
}
