import type { Me } from '@pioneer/shared';

/** Every page of the desk console, by key: ConsoleFrame highlights the entry a page names. */
export type ConsoleKey =
  | 'commitment-review'
  | 'audit-log'
  | 'activities'
  | 'activity-records'
  | 'service-admin'
  | 'post-edit'
  | 'wish-edit'
  | 'checkin-review'
  | 'checkin-report'
  | 'checkin-fences'
  | 'admin-questions'
  | 'study-articles'
  | 'study-ledger'
  | 'county-settings'
  | 'org-tree'
  | 'members'
  | 'invites'
  | 'roster-import'
  | 'join-poster'
  | 'notice-manage'
  | 'task-board'
  | 'review-manage'
  | 'life-meeting'
  | 'dashboard'
  | 'inspections'
  | 'branch-scores'
  | 'scorecard-card'
  | 'scorecard-manual'
  | 'zhengdun';

export interface ConsoleItem {
  key: ConsoleKey;
  title: string;
  url: string;
  /** Who may use the page: the same test the page itself applies before showing its content. */
  allowed: (me: Me) => boolean;
}

export interface ConsoleGroup {
  title: string;
  items: ConsoleItem[];
}

const manages = (me: Me) => me.roles.includes('secretary') || me.roles.includes('admin');
const isAdmin = (me: Me) => me.roles.includes('admin');
const isCountyAdmin = (me: Me) => isAdmin(me) && me.adminOrg?.type === 'county';

/** The side navigation, grouped as the county's work is: 组织与党员 / 组织生活 / 服务 / 考勤 / 学习 / 积分与设置. */
export const CONSOLE_GROUPS: readonly ConsoleGroup[] = [
  {
    title: '总览',
    items: [
      { key: 'dashboard', title: '数据看板', url: '/console/dashboard/index', allowed: isAdmin },
      { key: 'inspections', title: '巡查记录', url: '/console/inspections/index', allowed: isAdmin },
      { key: 'branch-scores', title: '支部评分', url: '/console/branch-scores/index', allowed: isAdmin },
      { key: 'scorecard-manual', title: '手工指标录入', url: '/console/scorecard-manual/index', allowed: isAdmin },
      { key: 'zhengdun', title: '软弱涣散整顿', url: '/console/zhengdun/index', allowed: manages },
      { key: 'scorecard-card', title: '评分标准', url: '/console/scorecard-card/index', allowed: isCountyAdmin },
    ],
  },
  {
    title: '组织与党员',
    items: [
      { key: 'org-tree', title: '组织架构', url: '/console/org-tree/index', allowed: isAdmin },
      { key: 'members', title: '党员管理', url: '/console/members/index', allowed: manages },
      { key: 'invites', title: '邀请码', url: '/console/invites/index', allowed: manages },
      { key: 'join-poster', title: '入党码 · 绑定确认', url: '/console/join-poster/index', allowed: manages },
      { key: 'roster-import', title: '名册导入', url: '/console/roster-import/index', allowed: isAdmin },
      { key: 'commitment-review', title: '承诺审核', url: '/console/commitment-review/index', allowed: manages },
      { key: 'audit-log', title: '操作记录', url: '/console/audit-log/index', allowed: manages },
    ],
  },
  {
    title: '组织生活',
    items: [
      { key: 'activities', title: '活动管理', url: '/pages/activities/index', allowed: manages },
      { key: 'activity-records', title: '活动台账', url: '/console/activity-records/index', allowed: manages },
      { key: 'review-manage', title: '民主评议', url: '/console/review-manage/index', allowed: manages },
      {
        key: 'life-meeting',
        title: '组织生活会',
        url: '/console/life-meeting/index',
        allowed: (me) => me.roles.includes('secretary'),
      },
      { key: 'notice-manage', title: '通知公告', url: '/console/notice-manage/index', allowed: manages },
      { key: 'task-board', title: '任务督办', url: '/console/task-board/index', allowed: manages },
    ],
  },
  {
    title: '服务',
    items: [
      { key: 'service-admin', title: '服务管理', url: '/console/service-admin/index', allowed: manages },
      { key: 'post-edit', title: '发布岗位', url: '/console/post-edit/index', allowed: manages },
      { key: 'wish-edit', title: '登记心愿', url: '/console/wish-edit/index', allowed: manages },
    ],
  },
  {
    title: '考勤',
    items: [
      { key: 'checkin-review', title: '打卡审核', url: '/console/checkin-review/index', allowed: manages },
      { key: 'checkin-report', title: '考勤报表', url: '/console/checkin-report/index', allowed: manages },
      { key: 'checkin-fences', title: '电子围栏', url: '/console/checkin-fences/index', allowed: isAdmin },
    ],
  },
  {
    title: '学习',
    items: [
      { key: 'admin-questions', title: '题库管理', url: '/console/admin-questions/index', allowed: isAdmin },
      { key: 'study-articles', title: '学习文章', url: '/console/study-articles/index', allowed: isAdmin },
      { key: 'study-ledger', title: '学习台账', url: '/console/study-ledger/index', allowed: manages },
    ],
  },
  {
    title: '积分与设置',
    items: [
      { key: 'county-settings', title: '县级设置', url: '/console/county-settings/index', allowed: isCountyAdmin },
    ],
  },
];

/** The groups and entries this member may use; groups left empty are dropped. */
export function consoleNavFor(me: Me): ConsoleGroup[] {
  return CONSOLE_GROUPS.map((g) => ({ ...g, items: g.items.filter((i) => i.allowed(me)) })).filter(
    (g) => g.items.length > 0,
  );
}
