/**
 * 整顿 (issue 18 item 3): a weak branch's plan from opening to 摘帽. Only a 软弱涣散 branch gets one; the secretary
 * reports, the township accepts or returns items and accepts the plan, the county lifts it. Illegal moves are 422,
 * racing moves have one winner, every move is in the plan's history and the audit log, overdue items are listed.
 */
import { dayKey, type Plan } from '@pioneer/shared';
import { client } from './support/client';
import { startCountyApp, type TestApp } from './support/harness';
import { buildAdmin, buildMember, buildOrg, buildSecretary, type County } from './support/factories';
import { AuditModel } from '../src/modules/audit/audit.model';
import { listPlans } from '../src/modules/rectification-plans/plans.list';
import type { SessionUser } from '../src/http/types';

let t: TestApp;
let c: County;
let countyAdmin: { id: string };
let townA: { id: string };
let secretary: { id: string };
let otherSecretary: { id: string };
let member: { id: string };
const as = (id: string) => client(t, id);
const Q = '2026Q3';
const photo = '/api/v1/uploads/2026-11/0123456789abcdef0123456789abcdef.jpg';
const today = dayKey(new Date());

beforeAll(async () => {
  ({ t, county: c } = await startCountyApp());
  const office = await buildOrg('agency', '县委组织部', c.county);
  countyAdmin = await buildAdmin({ of: c.county, branch: office });
  townA = await buildAdmin({ of: c.townA, branch: office, name: '乡镇干部' });
  secretary = await buildSecretary(c.branchA2, '王书记');
  otherSecretary = await buildSecretary(c.branchA);
  member = await buildMember({ branch: c.branchA2 });
  // 甲村第二党支部 is marked 软弱涣散 for Q3 by its township.
  const flag = await as(townA.id).put('/scorecards/flags', {
    branch: c.branchA2.id,
    quarter: Q,
    flagged: true,
    reason: '长期不开展组织生活',
  });
  expect(flag.status).toBe(200);
});
afterAll(() => t.close());

const url = (branchId: string, tail = '') => `/rectification-plans/${branchId}/${Q}${tail}`;
const post = (who: string, path: string, body: object = {}) => as(who).post(path, body);
const items = [
  { text: '调整充实支部班子', owner: '王书记', deadline: today },
  { text: '每月按时召开支部党员大会', owner: '组织委员', deadline: today },
];

describe('opening a plan', () => {
  test('a branch that is not weak gets none (422); a past deadline is refused; a secretary cannot open one', async () => {
    const res = await post(townA.id, url(c.branchA.id), { items });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('不是软弱涣散支部');
    const past = await post(townA.id, url(c.branchA2.id), { items: [{ ...items[0], deadline: '2020-01-01' }] });
    expect(past.status).toBe(400);
    expect((await post(secretary.id, url(c.branchA2.id), { items })).status).toBe(403);
  });

  test('the township opens it with the weak reason; a second opening is a conflict', async () => {
    const [a, b] = await Promise.all([
      post(townA.id, url(c.branchA2.id), { items }),
      post(townA.id, url(c.branchA2.id), { items }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const plan = (a.status === 201 ? a.body : b.body) as Plan;
    expect(plan).toMatchObject({ status: 'open', reason: '管理员认定：长期不开展组织生活', townshipName: '甲镇' });
    expect(plan.items.map((i) => i.status)).toEqual(['todo', 'todo']);
  });
});

describe('moves', () => {
  test('the secretary reports, the township accepts one item and returns the other, the county lifts', async () => {
    const progress = (who: string, n: number, body: object = { text: '已调整', photoUrls: [photo] }) =>
      post(who, url(c.branchA2.id, `/items/${n}/progress`), body);
    expect((await progress(otherSecretary.id, 1)).status).toBe(403);
    expect((await progress(member.id, 1)).status).toBe(403);
    expect((await progress(secretary.id, 1, { text: '' })).status).toBe(400);
    expect((await progress(secretary.id, 1)).status).toBe(200);
    const again = await progress(secretary.id, 1);
    expect(again.status).toBe(422);
    expect(again.body.error.message).toContain('待验收');
    // Item 2 was never reported: neither accepted nor returned.
    expect((await post(townA.id, url(c.branchA2.id, '/items/2/accept'))).status).toBe(422);
    expect((await post(townA.id, url(c.branchA2.id, '/items/1/return'), { comment: '' })).status).toBe(400);
    // Two admins accept item 1 at once: one wins, the other finds it accepted.
    const race = await Promise.all([
      post(townA.id, url(c.branchA2.id, '/items/1/accept')),
      post(countyAdmin.id, url(c.branchA2.id, '/items/1/accept')),
    ]);
    expect(race.map((r) => r.status).sort()).toEqual([200, 422]);
    // The plan cannot be accepted with item 2 open, nor lifted before acceptance.
    const early = await post(townA.id, url(c.branchA2.id, '/accept'));
    expect(early.status).toBe(422);
    expect(early.body.error.message).toContain('还有1项');
    expect((await post(countyAdmin.id, url(c.branchA2.id, '/lift'))).status).toBe(422);
    expect((await progress(secretary.id, 2, { text: '九月召开一次' })).status).toBe(200);
    expect((await post(townA.id, url(c.branchA2.id, '/items/2/return'), { comment: '只开了一次' })).status).toBe(200);
    expect((await progress(secretary.id, 2, { text: '十月、十一月均已召开', photoUrls: [photo] })).status).toBe(200);
    expect((await post(townA.id, url(c.branchA2.id, '/items/2/accept'))).status).toBe(200);
    expect((await post(townA.id, url(c.branchA2.id, '/accept'), { comment: '整顿到位' })).status).toBe(200);
    // Lifting is the county's: the township is refused; two county clicks at once lift once.
    expect((await post(townA.id, url(c.branchA2.id, '/lift'))).status).toBe(403);
    const lifts = await Promise.all([1, 2].map(() => post(countyAdmin.id, url(c.branchA2.id, '/lift'))));
    expect(lifts.map((r) => r.status).sort()).toEqual([200, 422]);
    expect((await progress(secretary.id, 1)).status).toBe(422);
  });

  test('history and audit hold every move, in order', async () => {
    const res = await as(secretary.id).get(url(c.branchA2.id));
    expect(res.status).toBe(200);
    const plan = res.body as Plan;
    expect(plan.status).toBe('lifted');
    expect(plan.history.map((h) => h.action)).toEqual([
      '制定整顿方案',
      '报告整顿进展',
      '验收事项',
      '报告整顿进展',
      '退回事项',
      '报告整顿进展',
      '验收事项',
      '整顿验收',
      '摘帽',
    ]);
    expect(plan.history[4]).toMatchObject({ by: '乡镇干部', n: 2, note: '只开了一次' });
    const audited = await AuditModel.find({ action: /^zhengdun\./ }).lean();
    expect(audited).toHaveLength(9);
    expect((await as(otherSecretary.id).get(url(c.branchA2.id))).status).toBe(403);
  });
});

describe('overdue items', () => {
  test('items past their deadline and not accepted are listed for the township, not for another branch', async () => {
    await as(countyAdmin.id).put('/scorecards/flags', {
      branch: c.branchB.id,
      quarter: Q,
      flagged: true,
      reason: '软弱',
    });
    expect((await post(countyAdmin.id, url(c.branchB.id), { items: [items[0]] })).status).toBe(201);
    const later = new Date(Date.now() + 3 * 86_400_000);
    const county = { id: countyAdmin.id, roles: ['member', 'admin'], adminOrgId: c.county.id } as SessionUser;
    const all = await listPlans(county, undefined, later);
    expect(all.plans.map((p) => p.branchId).sort()).toEqual([c.branchA2.id, c.branchB.id].sort());
    // 甲村第二's items are all accepted (and the plan lifted): only 乙村's item is overdue.
    expect(all.overdue.map((o) => [o.branchId, o.n])).toEqual([[c.branchB.id, 1]]);
    expect((await listPlans(county, undefined, new Date())).overdue).toEqual([]);
    const town = await as(townA.id).get('/rectification-plans');
    expect(town.status).toBe(200);
    expect(town.body.plans.map((p: Plan) => p.branchId)).toEqual([c.branchA2.id]);
  });
});
