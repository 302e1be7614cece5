import { AsyncResource } from 'node:async_hooks';
import { LedgerModel } from './points.model';

/**
 * The ledger's `applied` marks, written in groups off the request's path (issue 17): an award's views are finished
 * when it replies, and its mark joins the others queued here in one bulk write every MARK_EVERY_MS (under load one
 * command for all the awards of that window, not one each). A mark not yet written is harmless: reconciliation
 * (points-rebuild.ts) corrects a member's totals by difference from their whole ledger, so an entry it finds
 * unmarked whose views are complete changes nothing and is marked; it writes this process's queue first.
 */
const MARK_EVERY_MS = 10;
/** After a failed write (the engine away), the marks stay queued and are tried again this much later. */
const RETRY_MS = 1000;

/** Created at load, outside every request: the timers it starts belong to no request's command count. */
const background = new AsyncResource('points-applied-marks');
const queued = new Set<string>();
let timer: NodeJS.Timeout | null = null;
let writing: Promise<void> | null = null;

function schedule(ms: number): void {
  if (timer) return;
  timer = background.runInAsyncScope(() => setTimeout(() => void flushAppliedMarks(), ms));
  timer.unref();
}

/** Queues an entry's mark: its totals, scopes, boards and feed all hold it now. */
export function markApplied(entryId: string): void {
  queued.add(entryId);
  schedule(MARK_EVERY_MS);
}

/** Writes every queued mark now (one bulk write); a failure keeps them queued for the next try. */
export async function flushAppliedMarks(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = null;
  while (writing) await writing;
  if (queued.size === 0) return;
  const ids = [...queued];
  queued.clear();
  const ops = ids.map((_id) => ({ updateOne: { filter: { _id }, update: { $set: { applied: true } } } }));
  writing = LedgerModel.bulkWrite(ops, { ordered: false }).then(
    () => undefined,
    () => {
      for (const id of ids) queued.add(id);
      schedule(RETRY_MS);
    },
  );
  await writing;
  writing = null;
}
