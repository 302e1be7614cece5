import type { NoticeAudience } from '@pioneer/shared';
import {
  adminCovers,
  adminRootOf,
  inChainOf,
  managesMember,
  runsOrg,
  secretaryBranchOf,
  secretaryCovers,
  type Placed,
} from './scope';
import {
  notSelf,
  placedOf,
  type Actor,
  type Award,
  type MemberTarget,
  type PlacedItem,
  type Refusals,
  type RuleTable,
} from './rule-kit';

/**
 * Running the branches: 民主评议 and 整改, 组织生活会, 学习, 数据看板 and 巡查, 通知公告, 任务督办, 支部评分 and 整顿.
 */
export interface GovernanceTargets {
  /** 民主评议 (issue 21): open, close, read counts of, export a branch's round: who runs the branch. */
  'review.manage': Placed;
  /** Vote in a round: members of its electorate only (the branch's members when it opened). */
  'review.vote': { electorate: readonly string[] };
  /** Read a round (its members, closing time, whether I voted): its electorate and who runs the branch. */
  'review.view': { branch: Placed; electorate: readonly string[] };
  /** Set a member's final grade: who runs the branch, never for oneself (a secretary's own grade: an admin above). */
  'review.grade': { branch: Placed } & Award;
  /** Confirm or return a 不合格: an admin above the branch (the township or county), never for oneself. */
  'review.confirm': { branch: Placed } & Award;
  /** 整改清单: close (销号) a done item: a member's by who runs the branch (never one's own), a branch's by an admin above. */
  'rectify.close': { branch: Placed; level: 'member' | 'branch'; ownerId: string | null };
  /** Report an item done: its owner, or who runs the branch for a branch-level item. */
  'rectify.report': { branch: Placed; level: 'member' | 'branch'; ownerId: string | null };
  /** 组织生活会 (issue 21): set the year's topics, read who submitted 对照检查, keep the 谈心谈话 register: who runs the branch. */
  'life.manage': Placed;
  /** Read the year's meeting (topics, the meeting, one's own 对照检查): its members and who runs the branch. */
  'life.view': { branch: Placed; members: readonly string[] };
  /** Submit one's 对照检查: members of the branch when the meeting was opened. */
  'life.check': { members: readonly string[] };
  /** Read a member's 对照检查: the member, or who runs the branch. */
  'life.readCheck': { branch: Placed; ownerId: string };
  /** The branch-level 整改 items waiting for 销号 across one's subtree: an admin (the township or county). */
  'rectify.queue': Record<string, never>;
  /** 学习 (issue 20): publish or edit a study article placed at an org, and see its reading figures: admins over it. */
  'study.publish': Placed;
  /** Read a study article: members of its org's chain, and who runs its org. */
  'study.read': PlacedItem;
  /** 数据看板 of an org and its children (issue 18): admins over it. */
  'dashboard.view': Placed;
  /** 巡查 (issue 18): record a visit to a branch of one's subtree, and see the visits: township and county admins. */
  'inspection.record': Placed;
  'inspection.view': Placed;
  /** 通知公告 (issue 19): publish to an org's subtree, read stats and remind: its secretary or an admin over it. */
  'notice.publish': Placed;
  'notice.manage': Placed;
  /** Read a notice: members in the org's chain whom its audience names (all, secretaries, cadres). */
  'notice.read': { orgId: string; audience: NoticeAudience };
  /** 任务督办 (issue 19): an admin sends a task to branches of their subtree; who runs a branch, to its members. */
  'task.assignBranch': Placed;
  'task.assignMember': MemberTarget;
  /** Report back: a branch's task by its secretary, a member's by the member. */
  'task.report': { kind: 'branch' | 'member'; receiverId: string };
  /** The board and export of a task: its sender or who runs the org it was sent from. */
  'task.manage': { org: Placed; senderId: string };
  /** Accept or return a report: the same, never one's own report (the reporter is paid on acceptance). */
  'task.decide': { org: Placed; senderId: string } & Award;
  /** 支部评分 (issue 18): define the county's scorecard and compute a quarter: admins over the whole county. */
  'scorecard.define': Placed;
  /** Read scores, stars and ranks of an org's subtree, export the 季度通报: admins over it. */
  'scorecard.view': Placed;
  /** Enter a branch's manual indicator, mark it 软弱涣散 with a reason: admins over the branch (the township). */
  'scorecard.enter': Placed;
  /** 整顿 (issue 18): open a weak branch's plan, accept or return its items, accept the plan: admins over the branch. */
  'zhengdun.manage': Placed;
  /** Report progress on the plan's items: the branch's secretary. */
  'zhengdun.report': Placed;
  /** Lift a plan (摘帽): an admin of the branch's county. */
  'zhengdun.lift': Placed;
  /** Read a branch's plan and the plans of a subtree: who runs the org. */
  'zhengdun.view': Placed;
}

/** A notice for secretaries or cadres reaches only members holding that role. */
const audienceFits = (actor: Actor, audience: NoticeAudience) =>
  audience === 'all' || actor.roles.includes(audience === 'secretaries' ? 'secretary' : 'cadre');

export const GOVERNANCE_RULES: RuleTable<GovernanceTargets> = {
  'review.manage': (a, branch) => runsOrg(a, branch),
  'review.vote': (a, r) => r.electorate.includes(a.id),
  'review.view': (a, r) => r.electorate.includes(a.id) || runsOrg(a, r.branch),
  'review.grade': (a, g) => notSelf(a, g) && runsOrg(a, g.branch),
  'review.confirm': (a, g) => notSelf(a, g) && adminCovers(a, g.branch) && adminRootOf(a) !== g.branch._id,
  'rectify.close': (a, i) =>
    i.level === 'branch'
      ? adminCovers(a, i.branch) && adminRootOf(a) !== i.branch._id
      : i.ownerId !== a.id && runsOrg(a, i.branch),
  'rectify.report': (a, i) => (i.level === 'member' ? i.ownerId === a.id : runsOrg(a, i.branch)),
  'life.manage': (a, branch) => runsOrg(a, branch),
  'life.view': (a, l) => l.members.includes(a.id) || runsOrg(a, l.branch),
  'life.check': (a, l) => l.members.includes(a.id),
  'life.readCheck': (a, c) => c.ownerId === a.id || runsOrg(a, c.branch),
  'rectify.queue': (a) => adminRootOf(a) !== null,
  'study.publish': (a, org) => adminCovers(a, org),
  'study.read': (a, item) => inChainOf(a, item.orgId) || runsOrg(a, placedOf(item)),
  'dashboard.view': (a, org) => adminCovers(a, org),
  'inspection.record': (a, org) => adminCovers(a, org),
  'inspection.view': (a, org) => adminCovers(a, org),
  'notice.publish': (a, org) => runsOrg(a, org),
  'notice.manage': (a, org) => runsOrg(a, org),
  'notice.read': (a, n) => inChainOf(a, n.orgId) && audienceFits(a, n.audience),
  'task.assignBranch': (a, branch) => adminCovers(a, branch),
  'task.assignMember': (a, m) => notSelf(a, { beneficiaryId: m._id }) && managesMember(a, m),
  'task.report': (a, r) => (r.kind === 'member' ? r.receiverId === a.id : secretaryBranchOf(a) === r.receiverId),
  'task.manage': (a, t) => t.senderId === a.id || runsOrg(a, t.org),
  'task.decide': (a, t) => notSelf(a, t) && (t.senderId === a.id || runsOrg(a, t.org)),
  'scorecard.define': (a, county) => adminCovers(a, county),
  'scorecard.view': (a, org) => adminCovers(a, org),
  'scorecard.enter': (a, branch) => adminCovers(a, branch),
  'zhengdun.manage': (a, branch) => adminCovers(a, branch),
  'zhengdun.report': (a, branch) => secretaryCovers(a, branch),
  'zhengdun.lift': (a, branch) => adminRootOf(a) !== null && adminRootOf(a) === (branch.path[0] ?? branch._id),
  'zhengdun.view': (a, org) => runsOrg(a, org),
};

export const GOVERNANCE_REFUSALS: Refusals<GovernanceTargets> = {
  'review.manage': '只能管理本支部（管理员：本辖区）的民主评议',
  'review.vote': '只有本轮评议的支部党员可以投票',
  'review.view': '只能查看本支部的民主评议',
  'review.grade': '只能评定本支部（管理员：本辖区）其他党员的等次，书记本人的等次由上级评定',
  'review.confirm': '不合格等次由支部的上级党组织（乡镇、县）确认，且不能确认自己的',
  'rectify.close': '党员的整改事项由本支部书记销号（不能为自己销号），支部的整改事项由乡镇党委销号',
  'rectify.report': '只有责任人可以提交整改情况（支部问题：支部书记）',
  'life.manage': '只能管理本支部（管理员：本辖区）的组织生活会',
  'life.view': '只能查看本支部的组织生活会',
  'life.check': '只有本支部党员需要提交对照检查',
  'life.readCheck': '只能查看自己的对照检查（书记：本支部党员的）',
  'rectify.queue': '只有乡镇、县级管理员有待销号的支部整改事项',
  'study.publish': '只有管理员可以向本辖区发布学习文章',
  'study.read': '该文章不在您所在组织的范围内',
  'dashboard.view': '只能查看本辖区的数据看板',
  'inspection.record': '只能巡查本辖区的支部',
  'inspection.view': '只能查看本辖区的巡查记录',
  'notice.publish': '只能向本支部（管理员：本辖区）发布通知',
  'notice.manage': '只能查看和提醒本支部（管理员：本辖区）发布的通知',
  'notice.read': '这条通知不是发给您的',
  'task.assignBranch': '只能向本辖区的支部下发任务',
  'task.assignMember': '只能向本支部（管理员：本辖区）的其他党员下发任务',
  'task.report': '只有接收任务的党员（支部任务：支部书记）可以上报',
  'task.manage': '只有任务的发布人或其上级可以查看督办情况',
  'task.decide': '只有任务的发布人或其上级可以验收或退回，且不能验收自己上报的任务',
  'scorecard.define': '只有本县管理员可以设置支部评分标准和计算季度评分',
  'scorecard.view': '只能查看本辖区的支部评分',
  'scorecard.enter': '只能为本辖区的支部录入评分或标记软弱涣散',
  'zhengdun.manage': '只有支部的上级管理员（乡镇、县）可以制定和验收整顿方案',
  'zhengdun.report': '只有本支部书记可以报告整顿进展',
  'zhengdun.lift': '只有县级管理员可以为整顿支部摘帽',
  'zhengdun.view': '只能查看本支部（管理员：本辖区）的整顿方案',
};
