import {
  adminCovers,
  adminRootOf,
  inChainOf,
  managesMember,
  postedVillageOf,
  runsOrg,
  secretaryBranchOf,
  type MemberPlacement,
  type Placed,
} from './scope';
import { canAddQuestions, canEditQuestion } from './questions';
import { notSelf, sees, type MemberTarget, type Refusals, type RuleTable } from './rule-kit';

/** The org tree, invites and rosters, members and their transfers, county settings and the question bank. */
export interface OrgTargets {
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
  /** County settings: read by its members and admins, changed by admins over the whole county. */
  'county.view': Placed;
  'county.manage': Placed;
  /** Add questions (create, import) to the bank of this county (a root org): admins over the whole county. */
  'question.create': Placed;
  /** Edit or deactivate a question: the platform bank is read-only; a county's by admins over that county. */
  'question.edit': { owner?: string | null };
  /** See a member's phone number unmasked (audited): who runs the member. */
  'member.viewContact': MemberTarget;
  /** Export a list of members or a report with names (audited): who runs the org. */
  'member.export': Placed;
}

export const ORG_RULES: RuleTable<OrgTargets> = {
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
  'county.view': (a, county) => inChainOf(a, county._id) || adminCovers(a, county),
  'county.manage': (a, county) => adminCovers(a, county),
  'question.create': canAddQuestions,
  'question.edit': canEditQuestion,
  'member.viewContact': (a, m) => managesMember(a, m),
  'member.export': (a, org) => runsOrg(a, org),
};

export const ORG_REFUSALS: Refusals<OrgTargets> = {
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
  'county.view': '只能查看本县的设置',
  'county.manage': '只有本县管理员可以修改县级设置',
  'question.create': '只有县级管理员可以为本县题库添加题目',
  'question.edit': '平台题库只读；本县题目只有本县县级管理员可以修改',
  'member.viewContact': '只能查看本支部（管理员：本辖区）党员的联系电话',
  'member.export': '只能导出本支部（管理员：本辖区）的名单和报表',
};
