import {
  adminCovers,
  adminRootOf,
  inChainOf,
  isCadre,
  managesMember,
  runsOrg,
  secretaryBranchOf,
  type Placed,
} from './scope';
import {
  notSelf,
  placedOf,
  sees,
  type Actor,
  type Award,
  type MemberTarget,
  type PlacedItem,
  type Refusals,
  type RuleTable,
} from './rule-kit';

/**
 * Points and the work that earns them: awards, check-ins, commitments, service records, wishes, posts, activities;
 * queues and views over an org.
 */
export interface WorkTargets {
  /** Decide an award: never for oneself. */
  'award.decide': Award;
  'points.adjust': MemberTarget;
  'checkin.review': MemberTarget;
  'commitment.review': MemberTarget;
  'commitment.evaluate': MemberTarget;
  'record.review': { post: Placed; member: MemberTarget };
  'wish.view': PlacedItem;
  'wish.manage': PlacedItem;
  'wish.review': PlacedItem & Award;
  'post.view': PlacedItem;
  'post.manage': PlacedItem;
  'post.proxyRecord': MemberTarget;
  'activity.view': Placed;
  'activity.manage': Placed;
  'activity.recordAttendance': Placed & Award;
  /** Sign in or ask leave: members of the activity's branch, or those it expects (a member who moved since). */
  'activity.attend': { branchId: string; expected: boolean };
  /** Write, submit, record progress on a commitment: its owner only. */
  'commitment.own': { userId: string };
  /** Report a wish done: the member who claimed it. */
  'wish.fulfil': { claimantId: string | null };
  /** Check in at a village: a cadre. */
  'checkin.create': Record<string, never>;
  /** Queues and reports over an org (pending check-ins, commitment queue, record book, audit log). */
  'queue.read': Placed;
  'audit.read': Placed;
  /** Boards, walls and lists of an org: its chain's members and admins over it. */
  'scope.view': Placed;
  /** See a wish's resident's contact unmasked (audited): who runs the wish's org. */
  'wish.viewContact': PlacedItem;
}

/** A secretary's own commitment is decided a level up: by an admin over the branch, not by a co-secretary. */
function decidesCommitment(actor: Actor, m: MemberTarget): boolean {
  if (!notSelf(actor, { beneficiaryId: m._id }) || !managesMember(actor, m)) return false;
  const ownerRunsBranch = secretaryBranchOf({ roles: m.roles ?? [], orgId: m.orgId }) !== null;
  const root = adminRootOf(actor);
  return !ownerRunsBranch || (root !== null && (m.orgPath ?? []).includes(root));
}

export const WORK_RULES: RuleTable<WorkTargets> = {
  'award.decide': notSelf,
  'points.adjust': (a, m) => notSelf(a, { beneficiaryId: m._id }) && managesMember(a, m),
  'checkin.review': (a, m) => notSelf(a, { beneficiaryId: m._id }) && managesMember(a, m),
  'commitment.review': decidesCommitment,
  'commitment.evaluate': decidesCommitment,
  'record.review': (a, r) =>
    notSelf(a, { beneficiaryId: r.member._id }) && (runsOrg(a, r.post) || managesMember(a, r.member)),
  'wish.view': (a, w) => inChainOf(a, w.orgId) || runsOrg(a, placedOf(w)),
  'wish.manage': (a, w) => runsOrg(a, placedOf(w)),
  'wish.review': (a, w) => notSelf(a, w) && runsOrg(a, placedOf(w)),
  'post.view': (a, p) => inChainOf(a, p.orgId) || runsOrg(a, placedOf(p)),
  'post.manage': (a, p) => runsOrg(a, placedOf(p)),
  'post.proxyRecord': (a, m) => notSelf(a, { beneficiaryId: m._id }) && managesMember(a, m),
  'activity.view': (a, branch) => sees(a, branch),
  'activity.manage': (a, branch) => runsOrg(a, branch),
  'activity.recordAttendance': (a, t) => notSelf(a, t) && runsOrg(a, t),
  'activity.attend': (a, t) => t.expected || a.orgId === t.branchId,
  'commitment.own': (a, c) => c.userId === a.id,
  'wish.fulfil': (a, w) => w.claimantId === a.id,
  'checkin.create': (a) => isCadre(a),
  'queue.read': (a, org) => runsOrg(a, org),
  'audit.read': (a, org) => runsOrg(a, org),
  'scope.view': (a, org) => inChainOf(a, org._id) || adminCovers(a, org),
  'wish.viewContact': (a, w) => runsOrg(a, placedOf(w)),
};

export const WORK_REFUSALS: Refusals<WorkTargets> = {
  'award.decide': '不能为自己审核或发放积分',
  'points.adjust': '只能调整本支部（管理员：本辖区）其他党员的积分，不能调整自己的',
  'checkin.review': '只能审核本支部（管理员：本辖区）其他人的打卡，不能审核自己的',
  'commitment.review': '只能审核本支部（管理员：本辖区）其他党员的承诺；书记本人的承诺由上级管理员审核',
  'commitment.evaluate': '只能评价本支部（管理员：本辖区）其他党员的承诺；书记本人的承诺由上级管理员评价',
  'record.review': '只能确认本支部（管理员：本辖区）其他人的服务记录，不能确认自己的',
  'wish.view': '该心愿不在您所在组织的范围内',
  'wish.manage': '只能管理本支部（管理员：本辖区）的微心愿',
  'wish.review': '只能确认本支部（管理员：本辖区）他人完成的微心愿，不能确认自己的',
  'post.view': '该岗位不在您所在组织的范围内',
  'post.manage': '只能管理本支部（管理员：本辖区）的岗位',
  'post.proxyRecord': '只能为本支部其他党员代为登记，不能为自己登记',
  'activity.view': '只能查看本支部的活动',
  'activity.manage': '只能管理本支部（管理员：本辖区）的活动',
  'activity.recordAttendance': '只能为本支部其他党员补录签到，不能为自己补录',
  'activity.attend': '只有本支部党员可以签到或请假',
  'commitment.own': '只能操作自己的承诺',
  'wish.fulfil': '只有认领人可以提交完成情况',
  'checkin.create': '只有驻村干部需要驻村打卡',
  'queue.read': '只有本支部书记或本辖区管理员可以查看',
  'audit.read': '只能查看本辖区（书记：本支部）的操作记录',
  'scope.view': '只能查看本人所在组织（管理员：本辖区）的内容',
  'wish.viewContact': '只有负责该心愿的书记或管理员可以查看群众联系方式',
};
