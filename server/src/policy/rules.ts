import {
  adminCovers,
  adminRootOf,
  inChainOf,
  isCadre,
  managesMember,
  postedVillageOf,
  runsOrg,
  secretaryBranchOf,
  secretaryCovers,
  type MemberPlacement,
  type Placed,
  type Principal,
} from './scope';
import { canAddQuestions, canEditQuestion } from './questions';
import type { NoticeAudience } from '@pioneer/shared';

/**
 * Every action a route takes on something, with what it is taken on. One rule per action (the shape of outline's
 * server/policies: allow(User, action, Model, rule)); services call `authorize(actor, action, target)` and never
 * re-derive who manages what.
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

export interface Targets {
  /** Read an org: members of its chain, managers of it, the cadre posted to it. */
  'org.view': Placed;
  /** Read a village's check-in fence: its admins, secretaries of branches in it, the cadre posted to it. */
  'org.viewFence': Placed;
  /** Create an org under this parent / rename it / draw its fence: admins over it. */
  'org.create': Placed;
  'org.manage': Placed;
  /** Branch-level work on an org: its secretary or an admin over it. */
  'org.run': Placed;
  'invite.create': Placed;
  /** 党员名册导入 into an org's subtree (each row's grants are 'member.setRoles'). */
  'roster.import': Placed;
  /** Confirm or refuse an H5 roster binding of the branch (no SMS: the secretary knows their members). */
  'roster.confirmBind': Placed;
  /** List and revoke a branch's invites: its secretary or an admin over it. */
  'invite.manage': Placed;
  /** Move an org under another parent: both inside the admin's subtree, and never the root they run. */
  'org.move': { org: Placed; parent: Placed };
  /** Dissolve an (empty) org: inside the admin's subtree, never the root they run. */
  'org.dissolve': Placed;
  /** Mark a member 停止党籍/出党/去世 (or back to 正常): their secretary or an admin over them, never oneself. */
  'member.setStatus': MemberTarget;
  /** 组织关系转接: started by who runs the member's branch, decided by who runs the receiving branch. */
  'transfer.start': MemberTarget;
  'transfer.decide': Placed;
  /** Withdraw a pending transfer: who runs the sending branch (the side that started it). */
  'transfer.withdraw': Placed;
  'member.list': Placed;
  'member.create': Placed;
  /** Act on one member (a secretary: their branch; an admin: their subtree). */
  'member.manage': MemberPlacement;
  /** Change a member's roles, branch or scopes: every power before and after lies inside the actor's subtree. */
  'member.setRoles': { before: Placed[]; after: Placed[] };
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
  /** County settings: read by its members and admins, changed by admins over the whole county. */
  'county.view': Placed;
  'county.manage': Placed;
  /** Add questions (create, import) to the bank of this county (a root org): admins over the whole county. */
  'question.create': Placed;
  /** Edit or deactivate a question: the platform bank is read-only; a county's by admins over that county. */
  'question.edit': { owner?: string | null };
  /** See a member's phone number unmasked (audited): who runs the member. */
  'member.viewContact': MemberTarget;
  /** See a wish's resident's contact unmasked (audited): who runs the wish's org. */
  'wish.viewContact': PlacedItem;
  /** Export a list of members or a report with names (audited): who runs the org. */
  'member.export': Placed;
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

export type Action = keyof Targets;

type Rule<A extends Action> = (actor: Actor, target: Targets[A]) => boolean;

/**
 * The award rule (issue 13, self-dealing): whoever decides an award is never the one who receives it. Every action
 * that pays someone at another's decision — 'award.decide', points.adjust, checkin.review, commitment.review and
 * .evaluate, record.review, wish.review, post.proxyRecord, activity.recordAttendance, review.grade, review.confirm — goes through it.
 */
const notSelf = (actor: Actor, award: Award) => award.beneficiaryId !== actor.id;

/** A secretary's own commitment is decided a level up: by an admin over the branch, not by a co-secretary. */
function decidesCommitment(actor: Actor, m: MemberTarget): boolean {
  if (!notSelf(actor, { beneficiaryId: m._id }) || !managesMember(actor, m)) return false;
  const ownerRunsBranch = secretaryBranchOf({ roles: m.roles ?? [], orgId: m.orgId }) !== null;
  const root = adminRootOf(actor);
  return !ownerRunsBranch || (root !== null && (m.orgPath ?? []).includes(root));
}

const placedOf = (item: PlacedItem): Placed => ({
  _id: item.orgId,
  path: item.orgPath.filter((id) => id !== item.orgId),
});
/** A notice for secretaries or cadres reaches only members holding that role. */
const audienceFits = (actor: Actor, audience: NoticeAudience) =>
  audience === 'all' || actor.roles.includes(audience === 'secretaries' ? 'secretary' : 'cadre');
const sees = (actor: Actor, org: Placed) => inChainOf(actor, org._id) || runsOrg(actor, org);

export const RULES: { [A in Action]: Rule<A> } = {
  'org.view': (a, org) => sees(a, org) || postedVillageOf(a) === org._id,
  'org.viewFence': (a, org) =>
    adminCovers(a, org) || postedVillageOf(a) === org._id || (secretaryBranchOf(a) !== null && inChainOf(a, org._id)),
  'org.create': (a, parent) => adminCovers(a, parent),
  'org.manage': (a, org) => adminCovers(a, org),
  'org.run': (a, org) => runsOrg(a, org),
  'invite.create': (a, org) => runsOrg(a, org),
  'roster.import': (a, org) => adminCovers(a, org),
  'roster.confirmBind': (a, branch) => runsOrg(a, branch),
  'invite.manage': (a, org) => runsOrg(a, org),
  'org.move': (a, t) => adminCovers(a, t.org) && adminCovers(a, t.parent) && t.org._id !== adminRootOf(a),
  'org.dissolve': (a, org) => adminCovers(a, org) && org._id !== adminRootOf(a),
  'member.setStatus': (a, m) => notSelf(a, { beneficiaryId: m._id }) && managesMember(a, m),
  'transfer.start': (a, m) => notSelf(a, { beneficiaryId: m._id }) && managesMember(a, m),
  'transfer.decide': (a, branch) => runsOrg(a, branch),
  'transfer.withdraw': (a, branch) => runsOrg(a, branch),
  'member.list': (a, org) => runsOrg(a, org),
  'member.create': (a, branch) => runsOrg(a, branch),
  'member.manage': (a, m) => managesMember(a, m),
  'member.setRoles': (a, t) => [...t.before, ...t.after].every((org) => adminCovers(a, org)),
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
  'county.view': (a, county) => inChainOf(a, county._id) || adminCovers(a, county),
  'county.manage': (a, county) => adminCovers(a, county),
  'question.create': canAddQuestions,
  'question.edit': canEditQuestion,
  'member.viewContact': (a, m) => managesMember(a, m),
  'wish.viewContact': (a, w) => runsOrg(a, placedOf(w)),
  'member.export': (a, org) => runsOrg(a, org),
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

/** Why it was refused, per action, in the words the pages show. */
export const REFUSALS: Record<Action, string> = {
  'org.view': '只能查看本人所在组织（管理员：本辖区）',
  'org.viewFence': '只有管理员、本村支部书记和驻村干部可以查看打卡范围',
  'org.create': '只能在本辖区内新建组织',
  'org.manage': '只能修改本辖区内的组织',
  'org.run': '只能管理本支部（管理员：本辖区）的事务',
  'invite.create': '只能为本支部（管理员：本辖区）生成邀请码',
  'roster.import': '只有管理员可以向本辖区导入党员名册',
  'roster.confirmBind': '只能确认本支部（管理员：本辖区）的名册绑定',
  'invite.manage': '只能管理本支部（管理员：本辖区）的邀请码',
  'org.move': '只能在本辖区内调整组织隶属关系，且不能移动您管理的最上级组织',
  'org.dissolve': '只能撤销本辖区内的下级组织',
  'member.setStatus': '只能变更本支部（管理员：本辖区）其他党员的党籍状态，不能变更自己的',
  'transfer.start': '只能转出本支部（管理员：本辖区）的其他党员，不能转接自己',
  'transfer.decide': '只有接收支部的书记或其上级管理员可以接收或退回',
  'transfer.withdraw': '只有转出支部的书记或其上级管理员可以撤回转接',
  'member.list': '只能查看本支部（管理员：本辖区）的党员',
  'member.create': '只能在本支部（管理员：本辖区）添加党员',
  'member.manage': '只能管理本支部（管理员：本辖区）的党员',
  'member.setRoles': '只能调整权限全在本辖区内的党员，且只能授予本辖区内的权限',
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
  'county.view': '只能查看本县的设置',
  'county.manage': '只有本县管理员可以修改县级设置',
  'question.create': '只有县级管理员可以为本县题库添加题目',
  'question.edit': '平台题库只读；本县题目只有本县县级管理员可以修改',
  'member.viewContact': '只能查看本支部（管理员：本辖区）党员的联系电话',
  'wish.viewContact': '只有负责该心愿的书记或管理员可以查看群众联系方式',
  'member.export': '只能导出本支部（管理员：本辖区）的名单和报表',
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
