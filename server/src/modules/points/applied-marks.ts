import { groupedMarks } from '../../db/grouped-marks';
import { LedgerModel } from './points.model';

/**
 * The ledger's `applied` marks, written in groups off the request's path (issue 17; db/grouped-marks.ts): an award's
 * views are finished when it replies, and its mark joins the others queued in one bulk write every 10 ms (under
 * load one command for all the awards of that window, not one each). A mark not yet written is harmless:
 * reconciliation (points-rebuild.ts) corrects a member's totals by difference from their whole ledger, so an entry
 * it finds unmarked whose views are complete changes nothing and is marked; it writes this process's queue first.
 */
const applied = groupedMarks('points-applied-marks', LedgerModel, { applied: true });

/** Queues an entry's mark: its totals, scopes, boards and feed all hold it now. */
export const markApplied = (entryId: string): void => applied.mark(entryId);

/** Writes every queued mark now (one bulk write); a failure keeps them queued for the next try. */
export const flushAppliedMarks = (): Promise<void> => applied.flush();
