import { ACTIVITY_FREQUENCIES } from '@pioneer/shared';
import type { WalkSeed } from './route-walk-seed';

/**
 * Who may pass each route's authorization, for the route walk (authz-route-walk.test.ts). Every route of the app
 * needs a row: a new route without one fails the walk, so its author has to decide who may call it.
 *
 * The walkers: `none` (no token), `stranger` (signed in, in no branch), and the demo roles of branch 甲村党支部
 * under 甲镇: `member`, `cadre` (posted to 甲村), `secretary`; `townAdmin` runs the other township (乙乡, so every
 * target here is outside their scope) and `countyAdmin` the county. The targets all sit in 甲村党支部.
 * "Allowed" means the answer is neither 401 nor 403 (a 404/409/400 from the service means authorization passed).
 */
export const WHO = ['none', 'stranger', 'member', 'cadre', 'secretary', 'townAdmin', 'countyAdmin'] as const;
export type Who = (typeof WHO)[number];

export interface RouteRow {
  allow: readonly Who[];
  body?: (s: WalkSeed) => unknown;
  query?: (s: WalkSeed) => Record<string, string | number>;
  params?: (s: WalkSeed) => Record<string, string>;
  /** Login routes answer 401 for a bad credential: only "never 403" is asserted. */
  login?: true;
  /** Acts on the caller's own thing (my claim): for anyone else there is none, so 404 counts as a refusal too. */
  own?: true;
}

const PUBLIC: readonly Who[] = WHO;
const SIGNED_IN: readonly Who[] = WHO.filter((w) => w !== 'none');
/** Signed in and placed in the county (the stranger is in no org). */
const IN_COUNTY: readonly Who[] = ['member', 'cadre', 'secretary', 'townAdmin', 'countyAdmin'];
/** In 甲村党支部's chain, or an admin over it. */
const BRANCH_VIEW: readonly Who[] = ['member', 'cadre', 'secretary', 'countyAdmin'];
/** Its secretary or an admin over it. */
const BRANCH_RUN: readonly Who[] = ['secretary', 'countyAdmin'];
const BRANCH_MEMBERS: readonly Who[] = ['member', 'cadre', 'secretary'];
const COUNTY_ADMIN: readonly Who[] = ['countyAdmin'];
const ADMINS: readonly Who[] = ['townAdmin', 'countyAdmin'];
/** Anyone who manages something: lists scoped by what each manages (empty outside it). */
const MANAGERS: readonly Who[] = ['secretary', 'townAdmin', 'countyAdmin'];

const branch = (s: WalkSeed) => ({ org: s.county.branchA.id });
const countyQ = (s: WalkSeed) => ({ org: s.county.county.id });
/** The Shanghai year: 民主评议's round in the walk is 甲村党支部's of this year. */
const reviewYear = () => new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
const reviewParams = (s: WalkSeed) => ({ branchId: s.county.branchA.id, year: String(reviewYear()) });
const past = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
/** This Shanghai quarter (支部评分, 整顿). */
const walkQuarter = () => {
  const d = new Date(Date.now() + 8 * 3_600_000);
  return `${d.getUTCFullYear()}Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
};
const walkPhoto = '/api/v1/uploads/2026-11/0123456789abcdef0123456789abcdef.jpg';
const planParams = (s: WalkSeed) => ({ branchId: s.county.branchA.id, quarter: walkQuarter() });
const walkCard = (from: string) => ({
  effectiveFrom: from,
  indicators: [
    { key: 'active', label: '党员活跃率', kind: 'auto', source: 'activeRate', target: 80, weight: 60 },
    { key: 'economy', label: '集体经济', kind: 'manual', target: 10, weight: 40 },
  ],
  stars: [60, 70, 80, 90],
  candidatesPerTownship: 1,
  weakBelow: 50,
});

export const ROUTES: Record<string, RouteRow> = {
  'GET /healthz': { allow: PUBLIC },
  'GET /readyz': { allow: PUBLIC },
  'GET /api/v1/config/public': { allow: PUBLIC },
  'POST /api/v1/auth/wechat': { allow: PUBLIC, login: true, body: () => ({ code: 'walk-code' }) },
  'POST /api/v1/auth/dev': { allow: PUBLIC, body: () => ({ openid: 'walk-dev-login' }) },

  'GET /api/v1/me': { allow: SIGNED_IN },
  'PATCH /api/v1/me': { allow: SIGNED_IN, body: () => ({ careMode: false }) },
  'POST /api/v1/me/join': { allow: SIGNED_IN, body: () => ({ inviteCode: 'ZZZZZZZZ' }) },
  // 党员名册导入 and joining (issue 14): admins import into their own subtree (the 乙乡 admin too, rows outside it are
  // per-row errors); anyone signed in may try to bind (a placed member gets 409); the branch's runners confirm.
  'GET /api/v1/roster/template': { allow: ADMINS },
  'POST /api/v1/roster/imports': { allow: ADMINS },
  'GET /api/v1/roster/imports/:key': { allow: ADMINS, params: () => ({ key: 'a'.repeat(32) }) },
  'POST /api/v1/roster/imports/:key/confirm': { allow: ADMINS, params: () => ({ key: 'a'.repeat(32) }) },
  'POST /api/v1/me/roster/phone': { allow: SIGNED_IN, body: () => ({ code: 'walk-phone-code' }) },
  'POST /api/v1/me/roster/bind': { allow: SIGNED_IN },
  'POST /api/v1/me/roster/claim': { allow: SIGNED_IN, body: () => ({ phone: '13800000000', name: '路测' }) },
  'GET /api/v1/orgs/:id/bind-requests': { allow: BRANCH_RUN },
  'POST /api/v1/orgs/:id/bind-requests/:requestId/confirm': { allow: BRANCH_RUN },
  'POST /api/v1/orgs/:id/bind-requests/:requestId/reject': { allow: BRANCH_RUN },
  'POST /api/v1/orgs/:id/join-poster': { allow: BRANCH_RUN },
  'GET /api/v1/orgs/:id/members': { allow: BRANCH_RUN },
  'POST /api/v1/members': { allow: BRANCH_RUN, body: (s) => ({ name: '路测党员', orgId: s.county.branchA.id }) },
  'PATCH /api/v1/members/:userId': {
    allow: COUNTY_ADMIN,
    params: (s) => ({ userId: s.users.spare.id }),
    body: () => ({ roles: ['member'] }),
  },
  'GET /api/v1/orgs/:id': { allow: BRANCH_VIEW },
  'POST /api/v1/orgs': {
    allow: COUNTY_ADMIN,
    body: (s) => ({ name: '路测村', type: 'village', parentId: s.county.townA.id }),
  },
  'PATCH /api/v1/orgs/:id': { allow: COUNTY_ADMIN, body: () => ({ name: '甲村党支部' }) },
  'POST /api/v1/orgs/:id/invites': { allow: BRANCH_RUN, body: () => ({}) },
  // 组织架构, 邀请码, 党员管理 (issue 14): the org targets are 甲村党支部 (with members: the dissolve is refused with 409).
  'GET /api/v1/orgs/:id/tree': { allow: COUNTY_ADMIN },
  'POST /api/v1/orgs/:id/move': { allow: COUNTY_ADMIN, body: (s) => ({ parentId: s.county.villageA.id }) },
  'DELETE /api/v1/orgs/:id': { allow: COUNTY_ADMIN },
  'GET /api/v1/orgs/:id/invites': { allow: BRANCH_RUN },
  'POST /api/v1/invites/:code/revoke': { allow: BRANCH_RUN, params: (s) => ({ code: s.ids.invite }) },
  'POST /api/v1/members/:userId/status': { allow: BRANCH_RUN, body: () => ({ status: 'active', reason: '路测核对' }) },
  'GET /api/v1/members/:userId/transfers': { allow: BRANCH_RUN },
  'GET /api/v1/transfers/branches': { allow: MANAGERS },
  'GET /api/v1/transfers': { allow: BRANCH_RUN, query: branch },
  'POST /api/v1/transfers': {
    allow: BRANCH_RUN,
    body: (s) => ({ userId: s.users.spare.id, toOrgId: s.county.branchA2.id }),
  },
  // Decided by who runs the receiving branch (甲村第二党支部): not 甲村党支部's secretary.
  'POST /api/v1/transfers/:id/accept': {
    allow: COUNTY_ADMIN,
    params: (s) => ({ id: s.ids.transfer }),
    body: () => ({}),
  },
  'POST /api/v1/transfers/:id/reject': {
    allow: COUNTY_ADMIN,
    params: (s) => ({ id: s.ids.transfer }),
    body: () => ({}),
  },
  // Withdrawn by who runs the sending branch (甲村党支部).
  'POST /api/v1/transfers/:id/withdraw': { allow: BRANCH_RUN, params: (s) => ({ id: s.ids.transfer }) },

  'GET /api/v1/points/rules': { allow: SIGNED_IN },
  'GET /api/v1/points/ledger': { allow: SIGNED_IN },
  'POST /api/v1/points/adjustments': {
    allow: BRANCH_RUN,
    body: (s) => ({ userId: s.users.member.id, delta: 1, reason: '路测调整' }),
  },
  'GET /api/v1/leaderboards/members': { allow: BRANCH_VIEW, query: (s) => ({ scope: s.county.branchA.id }) },
  'GET /api/v1/leaderboards/orgs': { allow: BRANCH_VIEW, query: (s) => ({ parent: s.county.townA.id }) },

  'GET /api/v1/quiz/today': { allow: SIGNED_IN },
  'POST /api/v1/quiz/attempts': { allow: SIGNED_IN, body: () => ({ kind: 'practice' }) },
  'POST /api/v1/quiz/attempts/:id/submit': { allow: SIGNED_IN, body: () => ({ answers: [] }) },
  'POST /api/v1/quiz/attempts/:id/next': {
    allow: SIGNED_IN,
    body: (s) => ({ questionId: s.ids.question, choice: ['A'] }),
  },
  'GET /api/v1/quiz/mistakes': { allow: SIGNED_IN },
  'GET /api/v1/quiz/questions': { allow: ADMINS },
  'GET /api/v1/quiz/questions/import-template': { allow: ADMINS },
  'POST /api/v1/quiz/questions': {
    allow: COUNTY_ADMIN,
    body: () => ({
      type: 'judge',
      stem: '路测判断题：支部每月开展主题党日。',
      options: ['正确', '错误'],
      answer: ['A'],
    }),
  },
  'PATCH /api/v1/quiz/questions/:id': { allow: COUNTY_ADMIN, body: () => ({ active: true }) },
  'POST /api/v1/quiz/questions/import': { allow: COUNTY_ADMIN },

  'POST /api/v1/checkins': {
    allow: ['cadre'],
    body: () => ({ lat: 30.5447, lng: 119.9752, accuracy: 10, coordType: 'gcj02' }),
  },
  'GET /api/v1/checkins/mine': { allow: SIGNED_IN },
  'GET /api/v1/checkins/pending': { allow: BRANCH_RUN, query: branch },
  'POST /api/v1/checkins/:id/review': {
    allow: BRANCH_RUN,
    params: (s) => ({ id: s.ids.checkin }),
    body: () => ({ decision: 'approve' }),
  },
  'GET /api/v1/checkins/report': { allow: BRANCH_RUN, query: branch },
  'GET /api/v1/checkins/settings': { allow: IN_COUNTY, query: countyQ },
  'PUT /api/v1/checkins/settings': {
    allow: COUNTY_ADMIN,
    body: (s) => ({ org: s.county.county.id, requiredDays: 20 }),
  },
  'GET /api/v1/checkins/villages': { allow: COUNTY_ADMIN, query: (s) => ({ org: s.county.townA.id }) },

  'GET /api/v1/posts': { allow: BRANCH_VIEW, query: branch },
  'POST /api/v1/posts': {
    allow: BRANCH_RUN,
    body: (s) => ({
      title: '路测岗位',
      category: '交通引导',
      description: '路口引导',
      capacity: 1,
      orgId: s.county.branchA.id,
    }),
  },
  'GET /api/v1/posts/:id': { allow: BRANCH_VIEW },
  'PATCH /api/v1/posts/:id': { allow: BRANCH_RUN, body: () => ({ title: '交通引导岗' }) },
  'POST /api/v1/posts/:id/claims': { allow: BRANCH_VIEW },
  'DELETE /api/v1/posts/:id/claims/mine': { allow: BRANCH_VIEW, own: true },
  'GET /api/v1/posts/:id/claims': { allow: BRANCH_RUN },
  'GET /api/v1/claims/mine': { allow: SIGNED_IN },
  'POST /api/v1/claims/:claimId/remove': {
    allow: BRANCH_RUN,
    params: (s) => ({ claimId: s.ids.cadreClaim }),
    body: () => ({ reason: '路测移出' }),
  },
  'POST /api/v1/claims/:claimId/records': {
    allow: ['member'],
    own: true,
    params: (s) => ({ claimId: s.ids.memberClaim }),
    body: () => ({ hours: 1, note: '路测服务' }),
  },
  'GET /api/v1/records': { allow: MANAGERS },
  'POST /api/v1/records': {
    allow: BRANCH_RUN,
    body: (s) => ({
      userId: s.users.member.id,
      postId: s.ids.post,
      hours: 1,
      servedOn: new Date().toISOString().slice(0, 10),
      reason: '无智能手机',
    }),
  },
  'POST /api/v1/records/:id/confirm': { allow: BRANCH_RUN, params: (s) => ({ id: s.ids.record }), body: () => ({}) },
  'POST /api/v1/records/:id/reject': { allow: BRANCH_RUN, params: (s) => ({ id: s.ids.record }), body: () => ({}) },

  'GET /api/v1/wishes': { allow: BRANCH_VIEW, query: branch },
  'POST /api/v1/wishes': {
    allow: BRANCH_RUN,
    body: (s) => ({ title: '路测心愿', residentName: '张大爷', orgId: s.county.branchA.id }),
  },
  'GET /api/v1/wishes/:id': { allow: BRANCH_VIEW, params: (s) => ({ id: s.ids.wish }) },
  'PATCH /api/v1/wishes/:id': {
    allow: BRANCH_RUN,
    params: (s) => ({ id: s.ids.wish }),
    body: () => ({ title: '修水管' }),
  },
  'POST /api/v1/wishes/:id/claim': { allow: BRANCH_VIEW, params: (s) => ({ id: s.ids.wish }) },
  'DELETE /api/v1/wishes/:id/claim': { allow: ['member'], own: true, params: (s) => ({ id: s.ids.wish }) },
  'POST /api/v1/wishes/:id/fulfil': {
    allow: ['member'],
    params: (s) => ({ id: s.ids.claimedWish }),
    body: () => ({ note: '已修好' }),
  },
  'POST /api/v1/wishes/:id/confirm': { allow: BRANCH_RUN, params: (s) => ({ id: s.ids.wish }), body: () => ({}) },
  'POST /api/v1/wishes/:id/return': {
    allow: BRANCH_RUN,
    params: (s) => ({ id: s.ids.wish }),
    body: () => ({ comment: '请补充照片' }),
  },

  'POST /api/v1/uploads': { allow: SIGNED_IN },
  'GET /api/v1/uploads/:month/:name': { allow: PUBLIC },

  'GET /api/v1/commitments/wall': { allow: BRANCH_VIEW, query: branch },
  'GET /api/v1/commitments/mine': { allow: SIGNED_IN },
  'PUT /api/v1/commitments/mine': { allow: IN_COUNTY, body: (s) => ({ year: s.year, items: [{ text: '路测承诺' }] }) },
  'GET /api/v1/commitments/queue': { allow: BRANCH_RUN, query: branch },
  'POST /api/v1/commitments/:id/submit': { allow: ['member'] },
  'POST /api/v1/commitments/:id/review': { allow: BRANCH_RUN, body: () => ({ decision: 'approve' }) },
  'POST /api/v1/commitments/:id/progress': { allow: ['member'], body: () => ({ text: '路测践诺' }) },
  'POST /api/v1/commitments/:id/evaluate': { allow: BRANCH_RUN, body: () => ({ rating: 'good' }) },

  'GET /api/v1/settings/ranking': { allow: IN_COUNTY, query: countyQ },
  'PUT /api/v1/settings/ranking': {
    allow: COUNTY_ADMIN,
    body: (s) => ({ org: s.county.county.id, visibility: 'scope' }),
  },
  'GET /api/v1/settings/points-rules': { allow: IN_COUNTY, query: countyQ },
  'PUT /api/v1/settings/points-rules': {
    allow: COUNTY_ADMIN,
    body: (s) => ({
      org: s.county.county.id,
      effectiveFrom: s.tomorrow,
      rules: [{ reason: 'checkin', points: 1, cap: { per: 'day', max: 1 }, enabled: true }],
    }),
  },

  'GET /api/v1/activities': { allow: BRANCH_VIEW, query: branch },
  'POST /api/v1/activities': {
    allow: BRANCH_RUN,
    body: (s) => ({ type: 'group', title: '路测活动', startsAt: past(2), endsAt: past(1), org: s.county.branchA.id }),
  },
  'GET /api/v1/activities/record-book': { allow: BRANCH_RUN, query: branch },
  'GET /api/v1/activities/frequencies': { allow: MANAGERS, query: countyQ },
  'PUT /api/v1/activities/frequencies': {
    allow: COUNTY_ADMIN,
    body: (s) => ({ org: s.county.county.id, frequencies: { ...ACTIVITY_FREQUENCIES } }),
  },
  'GET /api/v1/activities/idle': { allow: COUNTY_ADMIN, query: (s) => ({ org: s.county.townA.id }) },
  'GET /api/v1/activities/:id': { allow: BRANCH_VIEW },
  'PATCH /api/v1/activities/:id': { allow: BRANCH_RUN, body: () => ({ title: '主题党日' }) },
  'POST /api/v1/activities/:id/cancel': { allow: BRANCH_RUN, body: () => ({ reason: '路测取消' }) },
  'POST /api/v1/activities/:id/leave': { allow: BRANCH_MEMBERS, body: () => ({ reason: '路测请假' }) },
  'POST /api/v1/activities/:id/leave/:userId/review': {
    allow: BRANCH_RUN,
    params: (s) => ({ userId: s.users.member.id }),
    body: () => ({ decision: 'approve' }),
  },
  'GET /api/v1/activities/:id/qr': { allow: BRANCH_RUN },
  'POST /api/v1/activities/:id/signin': { allow: BRANCH_MEMBERS, body: () => ({ code: '000000' }) },
  'POST /api/v1/activities/:id/attendees': {
    allow: BRANCH_RUN,
    body: (s) => ({ userId: s.users.member.id, reason: '纸质签到' }),
  },
  'PUT /api/v1/activities/:id/minutes': { allow: BRANCH_RUN, body: () => ({ text: '路测纪要' }) },
  'GET /api/v1/activities/:id/attendance': { allow: BRANCH_RUN },

  'GET /api/v1/audit': { allow: BRANCH_RUN, query: branch },

  // issue 24: the privacy guide and consent, 我的数据, closure (a body that fails validation: nobody is closed by the
  // walk), and the audited unmasked contacts.
  'GET /api/v1/privacy': { allow: SIGNED_IN },
  'POST /api/v1/privacy/consent': {
    allow: SIGNED_IN,
    body: () => ({ version: 'walk-old-version', decision: 'agree' }),
  },
  'PUT /api/v1/privacy/settings': {
    allow: COUNTY_ADMIN,
    body: (s) => ({ org: s.county.county.id, retentionDays: 90, contact: '县委组织部 0571-00000000' }),
  },
  'GET /api/v1/me/data': { allow: SIGNED_IN },
  'POST /api/v1/me/close': { allow: SIGNED_IN, body: () => ({ confirm: 'walk' }) },
  'GET /api/v1/members/:userId/contact': { allow: BRANCH_RUN, params: (s) => ({ userId: s.users.member.id }) },
  'GET /api/v1/wishes/:id/contact': { allow: BRANCH_RUN, params: (s) => ({ id: s.ids.wish }) },

  // 民主评议 (issue 21): the secretary opens 甲村党支部's round (the county admin then meets 409), members of the
  // branch read it and vote (an incomplete ballot: 400), the secretary closes it, reads the (withheld) results and
  // grades the member; only an admin above the branch confirms a 不合格 (here: the county's, who meets 422).
  'GET /api/v1/reviews/current': { allow: SIGNED_IN },
  'GET /api/v1/reviews/pending': { allow: ADMINS },
  'PUT /api/v1/reviews/settings': {
    allow: COUNTY_ADMIN,
    body: (s) => ({ org: s.county.county.id, excellentShare: 0.3 }),
  },
  'GET /api/v1/reviews/history/:userId': {
    allow: ['member', 'secretary', 'countyAdmin'],
    params: (s) => ({ userId: s.users.member.id }),
  },
  'POST /api/v1/reviews': {
    allow: BRANCH_RUN,
    body: (s) => ({
      org: s.county.branchA.id,
      year: reviewYear(),
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    }),
  },
  'GET /api/v1/reviews/:branchId/:year': { allow: BRANCH_VIEW, params: reviewParams },
  'POST /api/v1/reviews/:branchId/:year/ballot': {
    allow: BRANCH_MEMBERS,
    params: reviewParams,
    body: (s) => ({ ratings: [{ memberId: s.users.member.id, grade: 'qualified' }] }),
  },
  'POST /api/v1/reviews/:branchId/:year/close': { allow: BRANCH_RUN, params: reviewParams },
  'GET /api/v1/reviews/:branchId/:year/results': { allow: BRANCH_RUN, params: reviewParams },
  'GET /api/v1/reviews/:branchId/:year/export': { allow: BRANCH_RUN, params: reviewParams },
  'PUT /api/v1/reviews/:branchId/:year/grades/:userId': {
    allow: BRANCH_RUN,
    params: (s) => ({ ...reviewParams(s), userId: s.users.member.id }),
    body: () => ({ grade: 'qualified' }),
  },
  'POST /api/v1/reviews/:branchId/:year/grades/:userId/confirm': {
    allow: COUNTY_ADMIN,
    params: (s) => ({ ...reviewParams(s), userId: s.users.member.id }),
    body: () => ({ decision: 'confirm' }),
  },
  // 组织生活会 (issue 21): the secretary opens 甲村党支部's meeting with its topics; its members read it and submit
  // 对照检查; the secretary keeps the 谈心谈话 register and exports it; the county's admin reads the 优秀 share.
  'GET /api/v1/reviews/settings': { allow: COUNTY_ADMIN, query: (s) => ({ org: s.county.county.id }) },
  'POST /api/v1/life-meetings': {
    allow: BRANCH_RUN,
    body: (s) => ({ org: s.county.branchA.id, year: reviewYear(), topics: ['路测主题'] }),
  },
  'GET /api/v1/life-meetings/:branchId/:year': { allow: BRANCH_VIEW, params: reviewParams },
  'PUT /api/v1/life-meetings/:branchId/:year/check': {
    allow: BRANCH_MEMBERS,
    params: reviewParams,
    body: () => ({ text: '路测对照检查' }),
  },
  'GET /api/v1/life-meetings/:branchId/:year/checks/:userId': {
    allow: ['member', 'secretary', 'countyAdmin'],
    params: (s) => ({ ...reviewParams(s), userId: s.users.member.id }),
  },
  'POST /api/v1/life-meetings/:branchId/:year/talks': {
    allow: BRANCH_RUN,
    params: reviewParams,
    body: (s) => ({
      talkerId: s.users.secretary.id,
      talkeeId: s.users.member.id,
      date: `${reviewYear()}-01-01`,
      summary: '路测谈话',
    }),
  },
  'GET /api/v1/life-meetings/:branchId/:year/talks': { allow: BRANCH_RUN, params: reviewParams },
  'GET /api/v1/life-meetings/:branchId/:year/talks/export': { allow: BRANCH_RUN, params: reviewParams },
  // The township's list of branch items to close, the secretary's overdue items, the list's XLSX.
  'GET /api/v1/rectify/to-close': { allow: ADMINS },
  'GET /api/v1/rectify/overdue-all': { allow: ADMINS },
  'GET /api/v1/rectify/overdue': { allow: BRANCH_RUN, query: branch },
  'GET /api/v1/rectify/:branchId/:year/export': { allow: BRANCH_RUN, params: reviewParams },
  // 整改清单: the secretary records a branch-level item (n = 1) and reports it done; only an admin above the branch
  // closes a branch-level item (the county admin here).
  'POST /api/v1/rectify': {
    allow: BRANCH_RUN,
    body: (s) => ({
      org: s.county.branchA.id,
      year: reviewYear(),
      text: '路测问题',
      level: 'branch',
      deadline: new Date(Date.now() + 86_400_000).toISOString(),
    }),
  },
  'GET /api/v1/rectify/:branchId/:year': { allow: BRANCH_VIEW, params: reviewParams },
  'GET /api/v1/dashboard': { allow: COUNTY_ADMIN, query: (s) => ({ org: s.county.townA.id, period: 'month' }) },
  'POST /api/v1/inspections': {
    allow: COUNTY_ADMIN,
    body: (s) => ({ org: s.county.branchA.id, date: '2026-01-05', findings: '路测巡查' }),
  },
  'GET /api/v1/inspections': { allow: ADMINS },
  'POST /api/v1/rectify/:branchId/:year/:n/done': {
    allow: BRANCH_RUN,
    params: (s) => ({ ...reviewParams(s), n: '1' }),
    body: () => ({ evidence: '已整改' }),
  },
  'POST /api/v1/rectify/:branchId/:year/:n/close': {
    allow: COUNTY_ADMIN,
    params: (s) => ({ ...reviewParams(s), n: '1' }),
  },
  // 学习 (issue 20): the county's article at 甲村党支部 and the member's reading session of it (route-walk-seed). Its
  // readers are the branch's chain and who runs it; a session answers its owner only; admins publish to their subtree.
  'GET /api/v1/study/today': { allow: SIGNED_IN },
  'GET /api/v1/study/articles': { allow: SIGNED_IN },
  'GET /api/v1/study/articles/:id': { allow: BRANCH_VIEW, params: (s) => ({ id: s.ids.article }) },
  'POST /api/v1/study/articles/:id/sessions': { allow: BRANCH_VIEW, params: (s) => ({ id: s.ids.article }) },
  'POST /api/v1/study/sessions/:id/pause': { allow: ['member'], own: true, params: (s) => ({ id: s.ids.reading }) },
  'POST /api/v1/study/sessions/:id/resume': { allow: ['member'], own: true, params: (s) => ({ id: s.ids.reading }) },
  'POST /api/v1/study/sessions/:id/complete': {
    allow: ['member'],
    own: true,
    params: (s) => ({ id: s.ids.reading }),
    body: () => ({ reachedEnd: true }),
  },
  'GET /api/v1/study/admin/articles': { allow: ADMINS },
  'POST /api/v1/study/admin/articles': {
    allow: COUNTY_ADMIN,
    body: (s) => ({ org: s.county.branchA.id, title: '路测文章二', topic: '党史', body: '<p>正文</p>' }),
  },
  'PATCH /api/v1/study/admin/articles/:id': {
    allow: COUNTY_ADMIN,
    params: (s) => ({ id: s.ids.article }),
    body: () => ({ title: '路测文章改' }),
  },
  // 学习视频, 收藏, 学习台账 (issue 20): the county's video at 甲村党支部 and the member's watching of it; the stream
  // answers a signed address or the bearer session of whoever may read it; the 台账 is for who runs the branch.
  'GET /api/v1/study/videos': { allow: SIGNED_IN },
  'GET /api/v1/study/videos/:id': { allow: BRANCH_VIEW, params: (s) => ({ id: s.ids.video }) },
  'GET /api/v1/study/videos/:id/stream': { allow: BRANCH_VIEW, params: (s) => ({ id: s.ids.video }) },
  'POST /api/v1/study/videos/:id/watches': { allow: BRANCH_VIEW, params: (s) => ({ id: s.ids.video }) },
  'POST /api/v1/study/watches/:id/beat': {
    allow: ['member'],
    own: true,
    params: (s) => ({ id: s.ids.watch }),
    body: () => ({ position: 1 }),
  },
  'POST /api/v1/study/watches/:id/pause': {
    allow: ['member'],
    own: true,
    params: (s) => ({ id: s.ids.watch }),
    body: () => ({ position: 1 }),
  },
  'POST /api/v1/study/watches/:id/complete': { allow: ['member'], own: true, params: (s) => ({ id: s.ids.watch }) },
  'PUT /api/v1/study/favs/:id': { allow: BRANCH_VIEW, params: (s) => ({ id: s.ids.video }) },
  'DELETE /api/v1/study/favs/:id': { allow: SIGNED_IN, params: (s) => ({ id: s.ids.video }) },
  'GET /api/v1/study/admin/videos': { allow: ADMINS },
  'POST /api/v1/study/admin/videos/files': { allow: ADMINS },
  'POST /api/v1/study/admin/videos': {
    allow: COUNTY_ADMIN,
    body: (s) => ({ org: s.county.branchA.id, title: '路测视频二', topic: '党史', file: s.ids.videoFile }),
  },
  'GET /api/v1/study/ledger': {
    allow: BRANCH_RUN,
    query: (s) => ({ org: s.county.branchA.id, month: '2026-11' }),
  },
  // 通知公告 (issue 19): the secretary's notice to 甲村党支部 (route-walk-seed); its readers are the branch's chain, its
  // stats and reminders are for who runs the branch; everyone signed in has a list, a badge and 消息.
  'GET /api/v1/notices': { allow: SIGNED_IN },
  'GET /api/v1/notices/badge': { allow: SIGNED_IN },
  'GET /api/v1/todo': { allow: ['secretary'] },
  'GET /api/v1/notices/managed': { allow: MANAGERS },
  'POST /api/v1/notices': {
    allow: BRANCH_RUN,
    body: (s) => ({ org: s.county.branchA.id, title: '路测通知二', body: '<p>请按时参加</p>' }),
  },
  'GET /api/v1/notices/:id': { allow: BRANCH_VIEW, params: (s) => ({ id: s.ids.notice }) },
  'GET /api/v1/notices/:id/stats': { allow: BRANCH_RUN, params: (s) => ({ id: s.ids.notice }) },
  'POST /api/v1/notices/:id/remind': { allow: BRANCH_RUN, params: (s) => ({ id: s.ids.notice }) },
  // Attachments: uploaded by who may publish (the walk sends no file: 400); downloaded by the notice's readers (the
  // walk's notice has none: 404 past authorization).
  'POST /api/v1/notices/attachments': { allow: MANAGERS },
  'GET /api/v1/notices/:id/attachments/:index': {
    allow: BRANCH_VIEW,
    params: (s) => ({ id: s.ids.notice, index: '0' }),
  },
  'GET /api/v1/me/messages': { allow: SIGNED_IN },
  // 订阅消息 consent: a fresh wx.login code (the walk's is refused: 400, past authorization).
  'POST /api/v1/me/subscriptions': { allow: SIGNED_IN, body: () => ({ code: 'walk-code', accepted: ['task'] }) },
  'GET /api/v1/me/subscriptions': { allow: SIGNED_IN },
  // 任务督办 (issue 19): the county admin's task to 甲村党支部 (route-walk-seed): only an admin over the branch sends to
  // it, its secretary reports, the sender (or who runs the sending org) sees the board, accepts and returns.
  'POST /api/v1/tasks': {
    allow: COUNTY_ADMIN,
    body: (s) => ({ title: '路测任务二', deadline: s.tomorrow, branches: [s.county.branchA.id] }),
  },
  'GET /api/v1/tasks/sent': { allow: MANAGERS },
  'GET /api/v1/tasks/mine': { allow: SIGNED_IN },
  'GET /api/v1/tasks/:id/board': { allow: COUNTY_ADMIN, params: (s) => ({ id: s.ids.task }) },
  'GET /api/v1/tasks/:id/export': { allow: COUNTY_ADMIN, params: (s) => ({ id: s.ids.task }) },
  'POST /api/v1/tasks/:id/receivers/:receiverId/report': {
    allow: ['secretary'],
    params: (s) => ({ id: s.ids.task, receiverId: s.county.branchA.id }),
    body: () => ({ text: '已完成' }),
  },
  'POST /api/v1/tasks/:id/receivers/:receiverId/accept': {
    allow: COUNTY_ADMIN,
    params: (s) => ({ id: s.ids.task, receiverId: s.county.branchA.id }),
  },
  'POST /api/v1/tasks/:id/receivers/:receiverId/return': {
    allow: COUNTY_ADMIN,
    params: (s) => ({ id: s.ids.task, receiverId: s.county.branchA.id }),
    body: () => ({ comment: '请补充照片' }),
  },
  // 支部评分 · 星级评定 and 季度通报 (issue 18): the county's card, computed quarters and the 通报 are the county admin's
  // (the 乙乡 admin is outside 甲镇/甲村党支部); 整顿 plans of 甲村党支部 (none exists: 404/422 past authorization):
  // opened, decided and accepted by admins over the branch, progress by its secretary, lifted by the county.
  'GET /api/v1/scorecards/card': { allow: COUNTY_ADMIN, query: countyQ },
  'PUT /api/v1/scorecards/card': { allow: COUNTY_ADMIN, body: (s) => ({ ...countyQ(s), ...walkCard(s.tomorrow) }) },
  'PUT /api/v1/scorecards/manual': {
    allow: COUNTY_ADMIN,
    body: (s) => ({
      branch: s.county.branchA.id,
      quarter: walkQuarter(),
      key: 'economy',
      value: 1,
      photoUrls: [walkPhoto],
    }),
  },
  'GET /api/v1/scorecards/manual': {
    allow: COUNTY_ADMIN,
    query: (s) => ({ branch: s.county.branchA.id, quarter: walkQuarter() }),
  },
  'PUT /api/v1/scorecards/flags': {
    allow: COUNTY_ADMIN,
    body: (s) => ({ branch: s.county.branchA.id, quarter: walkQuarter(), flagged: true, reason: '路测标记' }),
  },
  'POST /api/v1/scorecards/compute': { allow: COUNTY_ADMIN, body: (s) => ({ ...countyQ(s), quarter: walkQuarter() }) },
  'GET /api/v1/scorecards/results': {
    allow: COUNTY_ADMIN,
    query: (s) => ({ org: s.county.townA.id, quarter: walkQuarter() }),
  },
  'GET /api/v1/scorecards/bulletin': {
    allow: COUNTY_ADMIN,
    query: (s) => ({ org: s.county.townA.id, quarter: walkQuarter() }),
  },
  'GET /api/v1/scorecards/bulletin.xlsx': {
    allow: COUNTY_ADMIN,
    query: (s) => ({ org: s.county.townA.id, quarter: walkQuarter() }),
  },
  'GET /api/v1/rectification-plans': { allow: BRANCH_RUN, query: branch },
  'POST /api/v1/rectification-plans/:branchId/:quarter': {
    allow: COUNTY_ADMIN,
    params: planParams,
    body: (s) => ({ items: [{ text: '路测整顿事项', owner: '书记', deadline: s.tomorrow }] }),
  },
  'GET /api/v1/rectification-plans/:branchId/:quarter': { allow: BRANCH_RUN, params: planParams },
  'POST /api/v1/rectification-plans/:branchId/:quarter/items/:n/progress': {
    allow: ['secretary'],
    params: (s) => ({ ...planParams(s), n: '1' }),
    body: () => ({ text: '已召开专题会' }),
  },
  'POST /api/v1/rectification-plans/:branchId/:quarter/items/:n/accept': {
    allow: COUNTY_ADMIN,
    params: (s) => ({ ...planParams(s), n: '1' }),
  },
  'POST /api/v1/rectification-plans/:branchId/:quarter/items/:n/return': {
    allow: COUNTY_ADMIN,
    params: (s) => ({ ...planParams(s), n: '1' }),
    body: () => ({ comment: '请补充照片' }),
  },
  'POST /api/v1/rectification-plans/:branchId/:quarter/accept': { allow: COUNTY_ADMIN, params: planParams },
  'POST /api/v1/rectification-plans/:branchId/:quarter/lift': { allow: COUNTY_ADMIN, params: planParams },
};
