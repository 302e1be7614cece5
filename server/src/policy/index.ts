import { forbidden } from '../http/errors';
import { REFUSALS, RULES, type Action, type Actor, type Targets } from './rules';

/**
 * The one authorization module: `can` answers, `authorize` refuses with the action's message (403 FORBIDDEN).
 * Rules live in rules.ts, scopes (who manages what, the query filters, the default org) in scope.ts, and what a
 * change of a member's org or powers does to their roles in members.ts.
 */
export function can<A extends Action>(actor: Actor, action: A, target: Targets[A]): boolean {
  return RULES[action](actor, target);
}

export function authorize<A extends Action>(actor: Actor, action: A, target: Targets[A], message?: string): void {
  if (!can(actor, action, target)) throw forbidden(message ?? REFUSALS[action]);
}

export type { Action, Actor, MemberTarget, PlacedItem, Targets } from './rules';
export { REFUSALS } from './rules';
export * from './scope';
export * from './members';
