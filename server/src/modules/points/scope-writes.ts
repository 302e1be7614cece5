import { AsyncResource } from 'node:async_hooks';
import { groupCommit, MAX_STATEMENTS, type KeyedStatement, type KeyedUpdate } from '../../db/group-commit';
import { flushWithGroupedMarks } from '../../db/grouped-marks';
import { ScopeStatsModel } from './points.model';

/**
 * The awards' bulk writes to points_scopes (scope histograms and child sums, feed lines, board rows), committed in
 * groups (db/group-commit.ts): under load 50 awards sent 50 bulk writes of ~5 statements each, most of them on the
 * same few documents (the county's, the townships'). Every update here commutes (`$inc`, `$max`, `$addToSet`,
 * `$unset` of periods gone by). A failed write rejects every award in it: none is marked applied, recovery finishes
 * them (points-repair.ts).
 */
const scopeWrites = groupCommit(() => ScopeStatsModel.collection);

/** What an award's statements hold: the operators of the updates of apply.ts and board.ts. */
export type ScopeUpdate = KeyedUpdate;
export type { KeyedStatement };
export { MAX_STATEMENTS };

/** Writes an award's statements with those of the awards gathered while another write was in flight. */
export const writeScopeStatements = (statements: KeyedStatement[]): Promise<void> => scopeWrites.write(statements);

/** Tests only: holds the scope writes back so the awards after it gather in one batch (db/group-commit.ts). */
export const holdScopeWrites = () => scopeWrites.hold();

/**
 * An award's scope write runs after its reply (issue 17: it was 11-16 ms of a paying request's p50, and grew with the
 * boards it rewrites): the member's totals, the ledger entry and its pending-journal line are written before the
 * reply, so a write that fails or a stop that cuts it is repaired exactly (points-repair.ts). Outside every request
 * (its command counts to none); this process's views get the award at once (apply.ts), its reads of the scopes'
 * documents and feeds wait for the writes under way (`scopeWritesLanded`).
 */
const afterReply = new AsyncResource('points-scope-writes');
const underWay = new Set<Promise<void>>();

/**
 * Awards whose scope write may be under way at once before an award waits for its own before replying: a backlog
 * the engine cannot keep up with stays bounded (back-pressure), and a recovery never waits for more.
 */
export const MAX_UNDER_WAY = 200;

/**
 * Runs `work` (the award's scope write and what follows it) after the reply; never rejects (`work` reports its own
 * failure). Resolves at once, or once `work` finished when MAX_UNDER_WAY awards' writes are under way.
 */
export async function afterTheReply(work: () => Promise<void>): Promise<void> {
  const written = afterReply.runInAsyncScope(work).catch(() => undefined);
  underWay.add(written);
  void written.finally(() => underWay.delete(written));
  if (underWay.size > MAX_UNDER_WAY) await written;
}

/** Waits for the scope writes under way now (a read of what they write, a recovery's recount, a rebuild). */
export async function scopeWritesLanded(): Promise<void> {
  if (underWay.size > 0) await Promise.all([...underWay]);
}

/** Waits until no scope write is under way (shutdown, tests: flushGroupedMarks). */
async function allScopeWritesLanded(): Promise<void> {
  while (underWay.size > 0) await Promise.all([...underWay]);
}
flushWithGroupedMarks(allScopeWritesLanded);
