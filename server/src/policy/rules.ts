import { GOVERNANCE_REFUSALS, GOVERNANCE_RULES, type GovernanceTargets } from './rules-governance';
import { ORG_REFUSALS, ORG_RULES, type OrgTargets } from './rules-org';
import { WORK_REFUSALS, WORK_RULES, type WorkTargets } from './rules-work';
import type { Actor } from './rule-kit';

export type { Actor, MemberTarget, PlacedItem } from './rule-kit';

/**
 * Every action a route takes on something, with what it is taken on. One rule per action (the shape of outline's
 * server/policies: allow(User, action, Model, rule)); services call `authorize(actor, action, target)` and never
 * re-derive who manages what. Each domain keeps an action's target, rule and refusal together (rules-org.ts,
 * rules-work.ts, rules-governance.ts); here they are one table again, and the compiler holds every action to a rule
 * and a refusal.
 */
export interface Targets extends OrgTargets, WorkTargets, GovernanceTargets {}

export type Action = keyof Targets;

/** An action in two domains would take the rule of the last spread below: the compiler refuses it here. */
type InTwo =
  | (keyof OrgTargets & keyof WorkTargets)
  | (keyof WorkTargets & keyof GovernanceTargets)
  | (keyof OrgTargets & keyof GovernanceTargets);
const eachActionOnce: [InTwo] extends [never] ? true : never = true;
void eachActionOnce;

type Rule<A extends Action> = (actor: Actor, target: Targets[A]) => boolean;

export const RULES: { [A in Action]: Rule<A> } = { ...ORG_RULES, ...WORK_RULES, ...GOVERNANCE_RULES };

/** Why it was refused, per action, in the words the pages show. */
export const REFUSALS: Record<Action, string> = { ...ORG_REFUSALS, ...WORK_REFUSALS, ...GOVERNANCE_REFUSALS };
