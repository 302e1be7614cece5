import { groupCommit, MAX_STATEMENTS, type KeyedStatement, type KeyedUpdate } from '../../db/group-commit';
import { ScopeStatsModel } from './points.model';

/**
 * The awards' bulk writes to points_scopes (scope histograms and child sums, feed lines, board rows), committed in
 * groups (db/group-commit.ts): under load 50 awards sent 50 bulk writes of ~5 statements each, most of them on the
 * same few documents (the county's, the townships'). Every update here commutes (`$inc`, `$max`, `$addToSet`,
 * `$unset` of periods gone by). Each award still awaits the write that carries its statements (its reply means its
 * views are written), and a failed write rejects every award in it: none is marked applied, reconciliation finishes
 * them (points-rebuild.ts).
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
