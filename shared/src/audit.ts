/**
 * The audit log's vocabulary, shared so the server's filter and the 操作记录 page agree: every action a service
 * records, its Chinese name and the group the page filters by. An action missing here still shows (as `other`,
 * under its code): a module that adds one should add its name here.
 */
export const AUDIT_GROUPS = [
  'roles',
  'points',
  'reviews',
  'attendance',
  'posts',
  'orgs',
  'settings',
  'questions',
  'privacy',
  'county',
  'other',
] as const;
export type AuditGroup = (typeof AUDIT_GROUPS)[number];

export const AUDIT_GROUP_LABELS: Record<AuditGroup, string> = {
  roles: '成员与角色',
  points: '积分调整',
  reviews: '审核',
  attendance: '活动补录',
  posts: '岗位与服务',
  orgs: '组织架构',
  settings: '设置',
  questions: '题库',
  privacy: '个人信息访问',
  county: '评分与整顿',
  other: '其他',
};

export const AUDIT_ACTIONS = {
  'member.create': { label: '添加党员', group: 'roles' },
  'member.update': { label: '修改成员角色或归属', group: 'roles' },
  'member.join': { label: '凭邀请码加入支部', group: 'roles' },
  'points.adjust': { label: '调整积分', group: 'points' },
  'commitment.approve': { label: '承诺审核通过', group: 'reviews' },
  'commitment.return': { label: '承诺退回修改', group: 'reviews' },
  'commitment.evaluate': { label: '年终评诺', group: 'reviews' },
  'checkin.approve': { label: '异常打卡通过', group: 'reviews' },
  'checkin.reject': { label: '异常打卡驳回', group: 'reviews' },
  'post.record.confirm': { label: '服务记录确认', group: 'reviews' },
  'post.record.reject': { label: '服务记录驳回', group: 'reviews' },
  'wish.confirm': { label: '微心愿确认完成', group: 'reviews' },
  'wish.reject': { label: '微心愿退回', group: 'reviews' },
  'activity.attendee_added': { label: '活动补录签到', group: 'attendance' },
  'activity.cancel': { label: '取消活动', group: 'attendance' },
  'post.claim.remove': { label: '移出岗位认领人', group: 'posts' },
  'post.record.proxy': { label: '代为登记服务记录', group: 'posts' },
  'org.create': { label: '新建组织', group: 'orgs' },
  'org.update': { label: '修改组织', group: 'orgs' },
  'org.move': { label: '调整组织隶属', group: 'orgs' },
  'org.dissolve': { label: '撤销组织', group: 'orgs' },
  'invite.revoke': { label: '作废邀请码', group: 'roles' },
  'member.status': { label: '变更党籍状态', group: 'roles' },
  'transfer.start': { label: '发起组织关系转接', group: 'roles' },
  'transfer.accept': { label: '接收组织关系转接', group: 'roles' },
  'transfer.reject': { label: '退回组织关系转接', group: 'roles' },
  'transfer.cancel': { label: '撤回组织关系转接', group: 'roles' },
  'settings.ranking': { label: '修改排名可见范围', group: 'settings' },
  'settings.points_rules': { label: '修改积分规则', group: 'settings' },
  'checkin.settings': { label: '修改考勤设置', group: 'settings' },
  'activities.frequencies': { label: '修改三会一课频次', group: 'settings' },
  'question.create': { label: '新增题目', group: 'questions' },
  'question.update': { label: '修改题目', group: 'questions' },
  'question.import': { label: '导入题库', group: 'questions' },
  'privacy.contact_view': { label: '查看党员完整手机号', group: 'privacy' },
  'privacy.resident_contact_view': { label: '查看群众联系方式', group: 'privacy' },
  'privacy.export': { label: '导出名单或报表', group: 'privacy' },
  'settings.privacy': { label: '修改隐私设置', group: 'settings' },
  'member.close': { label: '注销账号', group: 'roles' },
  'notice.publish': { label: '发布通知公告', group: 'other' },
  'task.send': { label: '下发督办任务', group: 'other' },
  'roster.import': { label: '导入党员花名册', group: 'roles' },
  'roster.bind': { label: '花名册绑定账号', group: 'roles' },
  'roster.bindRefused': { label: '花名册绑定被拒', group: 'roles' },
  'scorecard.define': { label: '修改支部评分标准', group: 'county' },
  'scorecard.manual': { label: '录入支部评分手工指标', group: 'county' },
  'scorecard.compute': { label: '计算季度支部评分', group: 'county' },
  'scorecard.flag': { label: '认定软弱涣散支部', group: 'county' },
  'scorecard.unflag': { label: '取消软弱涣散认定', group: 'county' },
  'zhengdun.create': { label: '制定整顿方案', group: 'county' },
  'zhengdun.report': { label: '报告整顿进展', group: 'county' },
  'zhengdun.item_accept': { label: '整顿事项验收通过', group: 'county' },
  'zhengdun.item_return': { label: '整顿事项退回', group: 'county' },
  'zhengdun.accept': { label: '整顿验收', group: 'county' },
  'zhengdun.lift': { label: '软弱涣散摘帽', group: 'county' },
} as const satisfies Record<string, { label: string; group: AuditGroup }>;

/** Every action a service may record: `recordAudit` takes only these, so a new one cannot go unnamed. */
export type AuditAction = keyof typeof AUDIT_ACTIONS;

export function auditActionOf(action: string): { label: string; group: AuditGroup } {
  return (
    (AUDIT_ACTIONS as Record<string, { label: string; group: AuditGroup }>)[action] ?? { label: action, group: 'other' }
  );
}

export const AUDIT_TARGET_LABELS: Record<string, string> = {
  user: '党员',
  org: '组织',
  commitment: '承诺',
  checkin: '打卡',
  post_record: '服务记录',
  post_claim: '岗位认领',
  wish: '微心愿',
  activity: '活动',
  question: '题目',
};
