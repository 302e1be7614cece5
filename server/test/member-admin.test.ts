import { startCountyApp, type TestApp } from './support/harness';
import { client } from './support/client';
import { buildAdmin, buildCounty, buildMember, buildSecretary, type County } from './support/factories';
import { awardPoints } from '../src/modules/points/points.service';
import { SettingModel } from '../src/modules/settings/settings.model';
import { OrgModel } from '../src/modules/orgs/orgs.model';
import { UserModel } from '../src/modules/users/users.model';
import { AuditModel } from '../src/modules/audit/audit.model';
import { PendingTransferModel, TransferModel } from '../src/modules/users/transfers.model';

/** 党员管理 (issue 14): search and filters, 党籍 status (off lists and boards), 组织关系转接. */
let t: TestApp;
let county: County;
let admin: { id: string };
let townAdmin: { id: string };
let secretaryA: { id: string };
let secretaryA2: { id: string };
let secretaryB: { id: string };
const as = (id: string) => client(t, id);
const count = async (id: string) => (await OrgModel.findById(id).lean())!.memberCount;

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  await SettingModel.create({ _id: `ranking|${county.county.id}`, visibility: 'scope' });
  admin = await buildAdmin({ of: county.county, branch: county.branchB, name: '县管理员' });
  townAdmin = await buildAdmin({ of: county.townB, branch: county.branchB, name: '乙乡委员' });
  secretaryA = await buildSecretary(county.branchA, '甲书记');
  secretaryA2 = await buildSecretary(county.branchA2, '甲二书记');
  secretaryB = await buildSecretary(county.branchB, '乙书记');
});
afterAll(() => t.close());

describe('党员管理: search and filters', () => {
  beforeAll(async () => {
    await buildMember({ branch: county.branchA, name: '王建国', contact: '13800001234' });
    await buildMember({ branch: county.branchA2, name: '王小红', contact: '13900005678' });
    await buildMember({ branch: county.branchA, name: '李四', roles: ['member', 'cadre'], postedTo: county.villageA });
  });
  const names = (res: { body: { items: Array<{ name: string }> } }) => res.body.items.map((i) => i.name).sort();

  test('when an admin searches by name or phone tail, then only matches of the subtree come back, phones masked', async () => {
    const byName = await as(admin.id).get(`/orgs/${county.townA.id}/members`).query({ q: '王' });
    expect(byName.status).toBe(200);
    expect(names(byName)).toEqual(['王小红', '王建国'].sort());
    const byPhone = await as(admin.id).get(`/orgs/${county.townA.id}/members`).query({ q: '1234' });
    expect(names(byPhone)).toEqual(['王建国']);
    expect(byPhone.body.items[0]).toMatchObject({ contact: '138****1234', status: 'active', pendingTransferTo: null });
  });

  test('when filtered by branch and role, then only those members; a regex in the search is text', async () => {
    const branch = await as(admin.id).get(`/orgs/${county.townA.id}/members`).query({ org: county.branchA2.id });
    expect(names(branch)).toEqual(['王小红', '甲二书记'].sort());
    const cadres = await as(admin.id).get(`/orgs/${county.townA.id}/members`).query({ role: 'cadre' });
    expect(names(cadres)).toEqual(['李四']);
    const regex = await as(admin.id).get(`/orgs/${county.townA.id}/members`).query({ q: '.*' });
    expect(regex.body.items).toEqual([]);
  });

  test('when a secretary lists their branch, then only it; another branch (also as a filter) or a wrong-scope admin is 403', async () => {
    expect(names(await as(secretaryA.id).get(`/orgs/${county.branchA.id}/members`))).toEqual(
      ['李四', '王建国', '甲书记'].sort(),
    );
    expect((await as(secretaryA.id).get(`/orgs/${county.branchA2.id}/members`)).status).toBe(403);
    expect(
      (await as(secretaryA.id).get(`/orgs/${county.branchA.id}/members`).query({ org: county.branchA2.id })).status,
    ).toBe(403);
    expect((await as(townAdmin.id).get(`/orgs/${county.townA.id}/members`)).status).toBe(403);
  });

  test('when a page limit or cursor is out of bounds, then 400', async () => {
    expect((await as(admin.id).get(`/orgs/${county.townA.id}/members`).query({ limit: 1e9 })).status).toBe(400);
    expect(
      (
        await as(admin.id)
          .get(`/orgs/${county.townA.id}/members`)
          .query({ cursor: 'x'.repeat(65) })
      ).status,
    ).toBe(400);
  });
});

describe('党员管理: 党籍 status', () => {
  test('when a member is marked 去世, then they leave lists, boards, ranks and member counts, and the audit says why', async () => {
    const gone = await buildMember({ branch: county.branchB, name: '老党员' });
    const other = await buildMember({ branch: county.branchB, name: '乙支党员' });
    const at = new Date(Date.now() - 60_000);
    await awardPoints({
      userId: gone.id,
      reason: 'manual_adjustment',
      points: 50,
      refType: 'test',
      refId: 'st',
      idempotencyKey: `st|${gone.id}`,
      at,
    });
    await awardPoints({
      userId: other.id,
      reason: 'manual_adjustment',
      points: 5,
      refType: 'test',
      refId: 'st',
      idempotencyKey: `st|${other.id}`,
      at,
    });
    const before = await count(county.townB.id);

    const res = await as(secretaryB.id).post(`/members/${gone.id}/status`, { status: 'deceased', reason: '因病去世' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('deceased');
    expect(await count(county.townB.id)).toBe(before - 1);

    const list = await as(secretaryB.id).get(`/orgs/${county.branchB.id}/members`);
    expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(gone.id);
    const history = await as(secretaryB.id).get(`/orgs/${county.branchB.id}/members`).query({ status: 'deceased' });
    expect(history.body.items.map((i: { id: string }) => i.id)).toEqual([gone.id]);

    const board = await as(other.id).get('/leaderboards/members').query({ scope: county.branchB.id, period: 'month' });
    expect(board.body.items.map((i: { userId: string }) => i.userId)).not.toContain(gone.id);
    expect(board.body.me.rank).toBe(1);
    const audit = await AuditModel.findOne({ action: 'member.status', targetId: gone.id }).lean();
    expect(audit?.details).toMatchObject({ status: 'deceased', reason: '因病去世' });
    const log = await as(secretaryB.id).get('/audit').query({ org: county.branchB.id });
    expect(log.body.items.find((i: { action: string }) => i.action === 'member.status')).toMatchObject({
      actionLabel: '变更党籍状态',
      summary: '党籍：去世',
      reason: '因病去世',
    });
  });

  test('when a member no longer 正常 turns their ranking switch off, then they still stay off the boards', async () => {
    const left = await buildMember({ branch: county.branchB, name: '出党者' });
    await awardPoints({
      userId: left.id,
      reason: 'manual_adjustment',
      points: 80,
      refType: 'test',
      refId: 'lf',
      idempotencyKey: `lf|${left.id}`,
    });
    await as(admin.id).post(`/members/${left.id}/status`, { status: 'left', reason: '组织处理' });
    await as(left.id).patch('/me', { hideFromRankings: false });
    const board = await as(admin.id).get('/leaderboards/members').query({ scope: county.branchB.id, period: 'month' });
    expect(board.body.items.map((i: { userId: string }) => i.userId)).not.toContain(left.id);
  });

  test('when a secretary marks another secretary or themself, or a township admin marks outside, then 403 and nothing changes', async () => {
    expect(
      (await as(secretaryB.id).post(`/members/${secretaryB.id}/status`, { status: 'suspended', reason: '自己' }))
        .status,
    ).toBe(403);
    const co = await buildSecretary(county.branchA, '副书记');
    expect(
      (await as(secretaryA.id).post(`/members/${co.id}/status`, { status: 'suspended', reason: '停止党籍' })).status,
    ).toBe(403);
    const plain = await buildMember({ branch: county.branchA, name: '甲支普通党员' });
    expect(
      (await as(townAdmin.id).post(`/members/${plain.id}/status`, { status: 'suspended', reason: '越权' })).status,
    ).toBe(403);
    expect((await UserModel.findById(co.id).lean())?.status).toBe('active');
    expect((await UserModel.findById(plain.id).lean())?.status).toBe('active');
  });

  test('when an admin marks a secretary 停止党籍, then the secretary role goes; back to 正常 restores the count, not the role', async () => {
    const sec = await buildSecretary(county.branchA2, '被停书记');
    const before = await count(county.branchA2.id);
    const res = await as(admin.id).post(`/members/${sec.id}/status`, { status: 'suspended', reason: '停止党籍一年' });
    expect(res.status).toBe(200);
    expect(res.body.roles).toEqual(['member']);
    expect(await count(county.branchA2.id)).toBe(before - 1);
    await as(admin.id).post(`/members/${sec.id}/status`, { status: 'active', reason: '恢复党籍' });
    expect(await count(county.branchA2.id)).toBe(before);
    expect((await UserModel.findById(sec.id).lean())?.roles).toEqual(['member']);
  });
});

describe('组织关系转接', () => {
  test('when a secretary transfers a member and the receiving secretary accepts, then the member moves, counts follow and history is kept', async () => {
    const m = await buildMember({ branch: county.branchA, name: '转接党员' });
    const [a, a2] = [await count(county.branchA.id), await count(county.branchA2.id)];
    const start = await as(secretaryA.id).post('/transfers', {
      userId: m.id,
      toOrgId: county.branchA2.id,
      reason: '工作调动',
    });
    expect(start.status).toBe(201);
    expect(start.body).toMatchObject({
      state: 'pending',
      from: { name: '甲村党支部' },
      to: { name: '甲村第二党支部' },
    });
    // Until accepted the member stays; both sides see it.
    expect((await UserModel.findById(m.id).lean())?.orgId).toBe(county.branchA.id);
    const incoming = await as(secretaryA2.id).get('/transfers').query({ org: county.branchA2.id });
    expect(incoming.body.incoming.map((x: { id: string }) => x.id)).toEqual([start.body.id]);
    const outgoing = await as(secretaryA.id).get('/transfers').query({ org: county.branchA.id });
    expect(outgoing.body.outgoing.map((x: { id: string }) => x.id)).toEqual([start.body.id]);
    expect(outgoing.body.incoming).toEqual([]);
    const row = await as(secretaryA.id).get(`/orgs/${county.branchA.id}/members`).query({ q: '转接党员' });
    expect(row.body.items[0].pendingTransferTo).toBe('甲村第二党支部');

    // The sending secretary cannot accept their own transfer out.
    expect((await as(secretaryA.id).post(`/transfers/${start.body.id}/accept`)).status).toBe(403);
    const accept = await as(secretaryA2.id).post(`/transfers/${start.body.id}/accept`, { comment: '欢迎' });
    expect(accept.status).toBe(200);
    expect(accept.body.state).toBe('accepted');
    const moved = await UserModel.findById(m.id).lean();
    expect(moved).toMatchObject({
      orgId: county.branchA2.id,
      orgPath: [county.county.id, county.townA.id, county.villageA.id, county.branchA2.id],
    });
    expect([await count(county.branchA.id), await count(county.branchA2.id)]).toEqual([a - 1, a2 + 1]);
    expect(await PendingTransferModel.findById(m.id).lean()).toBeNull();
    const history = await as(secretaryA2.id).get(`/members/${m.id}/transfers`);
    expect(history.body.items.map((x: { state: string }) => x.state)).toEqual(['accepted']);
    // Too late to reject, and accepting again moves nobody twice.
    expect((await as(secretaryA2.id).post(`/transfers/${start.body.id}/reject`)).status).toBe(422);
    expect((await as(secretaryA2.id).post(`/transfers/${start.body.id}/accept`)).status).toBe(200);
    expect(await count(county.branchA2.id)).toBe(a2 + 1);
    expect(
      await AuditModel.countDocuments({ action: { $in: ['transfer.start', 'transfer.accept'] }, targetId: m.id }),
    ).toBe(2);
  });

  test('when a secretary is transferred out, then they are no longer secretary of the branch they left', async () => {
    const sec = await buildSecretary(county.branchA, '调走书记');
    const start = await as(admin.id).post('/transfers', { userId: sec.id, toOrgId: county.branchB.id });
    expect(start.status).toBe(201);
    expect((await as(secretaryB.id).post(`/transfers/${start.body.id}/accept`)).status).toBe(200);
    expect(await UserModel.findById(sec.id).lean()).toMatchObject({ orgId: county.branchB.id, roles: ['member'] });
    expect((await AuditModel.findOne({ action: 'transfer.accept', targetId: sec.id }).lean())?.details).toMatchObject({
      dropped: ['secretary'],
    });
  });

  test('when two transfers are started at once for one member, then one is pending and the other is 409', async () => {
    const m = await buildMember({ branch: county.branchA, name: '并发转接' });
    const send = (to: string) => as(admin.id).post('/transfers', { userId: m.id, toOrgId: to });
    const results = await Promise.all([send(county.branchA2.id), send(county.branchB.id), send(county.branchA2.id)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(await TransferModel.countDocuments({ userId: m.id, state: 'pending' })).toBe(1);
    // A pending transfer blocks a 党籍 change until it is decided.
    expect((await as(admin.id).post(`/members/${m.id}/status`, { status: 'left', reason: '测试' })).status).toBe(409);
  });

  test('when the receiving side rejects, then the member stays and a new transfer can start', async () => {
    const m = await buildMember({ branch: county.branchA, name: '被退回' });
    const start = await as(secretaryA.id).post('/transfers', { userId: m.id, toOrgId: county.branchB.id });
    expect((await as(townAdmin.id).post(`/transfers/${start.body.id}/reject`, { comment: '材料不全' })).status).toBe(
      200,
    );
    expect((await UserModel.findById(m.id).lean())?.orgId).toBe(county.branchA.id);
    expect((await as(secretaryA.id).post('/transfers', { userId: m.id, toOrgId: county.branchB.id })).status).toBe(201);
  });

  test('who may start: not another branch’s secretary, not a township admin outside, not to a non-branch or another county', async () => {
    const m = await buildMember({ branch: county.branchA, name: '越权转接' });
    expect((await as(secretaryB.id).post('/transfers', { userId: m.id, toOrgId: county.branchB.id })).status).toBe(403);
    expect((await as(townAdmin.id).post('/transfers', { userId: m.id, toOrgId: county.branchB.id })).status).toBe(403);
    expect(
      (await as(secretaryA.id).post('/transfers', { userId: secretaryA.id, toOrgId: county.branchB.id })).status,
    ).toBe(403);
    expect((await as(secretaryA.id).post('/transfers', { userId: m.id, toOrgId: county.villageB.id })).status).toBe(
      400,
    );
    const far = await buildCounty();
    expect((await as(secretaryA.id).post('/transfers', { userId: m.id, toOrgId: far.branchA.id })).status).toBe(400);
    expect(await TransferModel.countDocuments({ userId: m.id })).toBe(0);
  });

  test('who may decide: a township admin outside the receiving branch is 403; the lists are scoped', async () => {
    const m = await buildMember({ branch: county.branchB, name: '乙转甲' });
    const start = await as(secretaryB.id).post('/transfers', { userId: m.id, toOrgId: county.branchA.id });
    expect((await as(townAdmin.id).post(`/transfers/${start.body.id}/accept`)).status).toBe(403);
    expect((await as(secretaryB.id).get('/transfers').query({ org: county.branchA.id })).status).toBe(403);
    const forTown = await as(townAdmin.id).get('/transfers').query({ org: county.townB.id });
    expect(forTown.body.outgoing.map((x: { id: string }) => x.id)).toContain(start.body.id);
    expect(forTown.body.incoming.map((x: { id: string }) => x.id)).not.toContain(start.body.id);
  });
});
