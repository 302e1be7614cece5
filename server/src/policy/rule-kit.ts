import { inChainOf, runsOrg, type MemberPlacement, type Placed, type Principal } from './scope';

/**
 * What the rule tables (rules-org.ts, rules-work.ts, rules-governance.ts; merged in rules.ts) share: who acts, the
 * shapes actions are taken on, and the checks several domains use.
 */
export interface Actor extends Principal {
  id: string;
}

/** A member with their id (for "never the beneficiary") and roles (a secretary's own commitment goes up a level). */
export interface MemberTarget extends MemberPlacement {
  _id: string;
  roles?: readonly string[];
}

/** Something placed in the tree (post, wish, activity's branch) as its org id and path. */
export interface PlacedItem {
  orgId: string;
  orgPath: readonly string[];
}

/** An award someone decides: who receives it. */
export interface Award {
  beneficiaryId: string;
}

/** A domain's rules: one per action, taking the action's target. */
export type RuleTable<T> = { [A in keyof T]: (actor: Actor, target: T[A]) => boolean };
/** A domain's refusals: per action, in the words the pages show. */
export type Refusals<T> = Record<keyof T, string>;

/**
 * The award rule (issue 13, self-dealing): whoever decides an award is never the one who receives it. Every action
 * that pays someone at another's decision — 'award.decide', points.adjust, checkin.review, commitment.review and
 * .evaluate, record.review, wish.review, post.proxyRecord, activity.recordAttendance, review.grade, review.confirm — goes through it.
 */
export const notSelf = (actor: Actor, award: Award) => award.beneficiaryId !== actor.id;

export const placedOf = (item: PlacedItem): Placed => ({
  _id: item.orgId,
  path: item.orgPath.filter((id) => id !== item.orgId),
});
export const sees = (actor: Actor, org: Placed) => inChainOf(actor, org._id) || runsOrg(actor, org);
