import { startTestApp, type TestApp } from './support/harness';
import { buildMember, buildOrg, buildSecretary, type County } from './support/factories';
import { InviteModel, OrgModel } from '../src/modules/orgs/orgs.model';
import { UserModel } from '../src/modules/users/users.model';
import { AuditModel } from '../src/modules/audit/audit.model';
import { memberPoints } from '../src/modules/points/standings';
import { awardPoints } from '../src/modules/points/points.service';
import { periodId } from '@pioneer/shared';
import { client } from './support/client';
import { countyWithStaff } from './support/org-staff';

/** 组织架构 and 邀请码 (issue 14): tree, create, rename, fence, move, dissolve, invite list and revoke. */
let t: TestApp;
let county: County;
let admin: { id: string };
let townAdmin: { id: string };
let secretaryA: { id: string };
const as = (id: string) => client(t, id);

beforeAll(async () => {
  t = await startTestApp();
  ({ county, admin, townAdmin, secretaryA } = await countyWithStaff());
});
afterAll(() => t.close());

const names = (n: { name: string; children: unknown[] }): unknown => ({
  [n.name]: (n.children as Array<{ name: string; children: unknown[] }>).map(names),
});

describe('组织架构: the tree', () => {
  test('when the county admin reads the tree, then the whole county comes nested, children by name (pinyin order)', async () => {
    const res = await as(admin.id).get(`/orgs/${county.county.id}/tree`);
    expect(res.status).toBe(200);
    expect(names(res.body)).toEqual({
      测试县: [
        { 甲镇: [{ 甲村: [{ 甲村党支部: [] }, { 甲村第二党支部: [] }] }] },
        { 乙乡: [{ 乙村: [{ 乙村党支部: [] }] }] },
      ],
    });
    const village = res.body.children[0].children[0];
    expect(village.fence).toEqual({ lat: 30.5447, lng: 119.9752, radiusM: 500 });
  });

  test('when a township admin asks for the county tree or another township, then 403; their own township they get', async () => {
    expect((await as(townAdmin.id).get(`/orgs/${county.county.id}/tree`)).status).toBe(403);
    expect((await as(townAdmin.id).get(`/orgs/${county.townA.id}/tree`)).status).toBe(403);
    const own = await as(townAdmin.id).get(`/orgs/${county.townB.id}/tree`);
    expect(own.status).toBe(200);
    expect(own.body.name).toBe('乙乡');
  });

  test('when a secretary asks for a tree, then 403', async () => {
    expect((await as(secretaryA.id).get(`/orgs/${county.branchA.id}/tree`)).status).toBe(403);
  });
});

describe('组织架构: moving an org', () => {
  test('when a village with 100 members is moved to another township, then every path follows and earned points stay where they were earned', async () => {
    const town1 = await buildOrg('township', '迁出镇', county.county);
    const town2 = await buildOrg('township', '迁入镇', county.county);
    const village = await buildOrg('village', '搬迁村', town1);
    const b1 = await buildOrg('branch', '搬迁村一支部', village);
    const b2 = await buildOrg('branch', '搬迁村二支部', village);
    const members: Array<{ id: string }> = [];
    for (let i = 0; i < 100; i++) members.push(await buildMember({ branch: i % 2 ? b1 : b2, name: `迁${i}` }));
    await awardPoints({
      userId: members[0]!.id,
      reason: 'manual_adjustment',
      points: 7,
      refType: 'test',
      refId: 'move',
      idempotencyKey: `move|${members[0]!.id}`,
    });
    const month = periodId('month', new Date());

    const res = await as(admin.id).post(`/orgs/${village.id}/move`, { parentId: town2.id });
    expect(res.status).toBe(200);

    const newPath = [county.county.id, town2.id];
    expect(await OrgModel.findById(village.id).lean()).toMatchObject({ parentId: town2.id, path: newPath });
    for (const b of [b1, b2]) expect((await OrgModel.findById(b.id).lean())?.path).toEqual([...newPath, village.id]);
    const moved = await UserModel.find({ _id: { $in: members.map((m) => m.id) } }).lean();
    expect(moved).toHaveLength(100);
    for (const u of moved) expect(u.orgPath).toEqual([...newPath, village.id, u.orgId]);
    expect(await UserModel.countDocuments({ orgPath: town1.id })).toBe(0);
    // Member counts follow; the county's is unchanged.
    expect((await OrgModel.findById(town1.id).lean())?.memberCount).toBe(0);
    expect((await OrgModel.findById(town2.id).lean())?.memberCount).toBe(100);
    // Points earned before the move stay with the old township; nothing is rewritten to the new one.
    expect(await memberPoints(members[0]!.id, month, town1.id)).toBe(7);
    expect(await memberPoints(members[0]!.id, month, town2.id)).toBeNull();
    expect(await AuditModel.countDocuments({ action: 'org.move', targetId: village.id })).toBe(1);
  });

  test('when an org is moved under itself or its own child, then 400 and nothing moves', async () => {
    const res = await as(admin.id).post(`/orgs/${county.townA.id}/move`, { parentId: county.villageA.id });
    expect(res.status).toBe(400);
    expect((await OrgModel.findById(county.townA.id).lean())?.parentId).toBe(county.county.id);
  });

  test('when a branch is moved under a county-level agency, then allowed; a village under a village is refused', async () => {
    const agency = await buildOrg('agency', '县委机关', county.county);
    const branch = await buildOrg('branch', '机关临时支部', county.villageB);
    expect((await as(admin.id).post(`/orgs/${branch.id}/move`, { parentId: agency.id })).status).toBe(200);
    const bad = await as(admin.id).post(`/orgs/${county.villageB.id}/move`, { parentId: county.villageA.id });
    expect(bad.status).toBe(400);
  });

  test('when a township admin moves an org into or out of their township, then 403 and nothing moves', async () => {
    const into = await as(townAdmin.id).post(`/orgs/${county.branchA2.id}/move`, { parentId: county.villageB.id });
    expect(into.status).toBe(403);
    const own = await as(townAdmin.id).post(`/orgs/${county.townB.id}/move`, { parentId: county.townA.id });
    expect(own.status).toBe(403);
    expect((await OrgModel.findById(county.branchA2.id).lean())?.parentId).toBe(county.villageA.id);
  });
});

describe('组织架构: dissolving an org', () => {
  test('when the org has members or children, then 409 with the reason and nothing changes', async () => {
    const withMembers = await as(admin.id).delete(`/orgs/${county.branchA.id}`);
    expect(withMembers.status).toBe(409);
    expect(withMembers.body.error.code).toBe('ORG_NOT_EMPTY');
    expect(withMembers.body.error.message).toMatch(/名党员/);
    const withChildren = await as(admin.id).delete(`/orgs/${county.villageA.id}`);
    expect(withChildren.status).toBe(409);
    expect(withChildren.body.error.message).toMatch(/下级组织/);
    expect((await OrgModel.findById(county.villageA.id).lean())?.dissolvedAt).toBeNull();
  });

  test('when an empty branch is dissolved, then it leaves the tree, its invites stop working, and it is audited', async () => {
    const empty = await buildOrg('branch', '空支部', county.villageB);
    const invite = await as(admin.id).post(`/orgs/${empty.id}/invites`);
    const res = await as(admin.id).delete(`/orgs/${empty.id}`);
    expect(res.status).toBe(204);
    const tree = await as(admin.id).get(`/orgs/${county.townB.id}/tree`);
    expect(JSON.stringify(tree.body)).not.toContain('空支部');
    expect((await InviteModel.findById(invite.body.code).lean())?.revokedAt).toBeTruthy();
    expect((await as(admin.id).get(`/orgs/${empty.id}`)).status).toBe(404);
    expect(await AuditModel.countDocuments({ action: 'org.dissolve', targetId: empty.id })).toBe(1);
  });

  test('when a township admin dissolves an org outside their township, or their own township, then 403', async () => {
    const empty = await buildOrg('branch', '甲村空支部', county.villageA);
    expect((await as(townAdmin.id).delete(`/orgs/${empty.id}`)).status).toBe(403);
    expect((await as(townAdmin.id).delete(`/orgs/${county.townB.id}`)).status).toBe(403);
    expect((await OrgModel.findById(empty.id).lean())?.dissolvedAt).toBeNull();
  });
});

describe('邀请码: list and revoke', () => {
  test('when a secretary lists their invites, then each shows its uses left; a revoked code is refused on join', async () => {
    const made = await as(secretaryA.id).post(`/orgs/${county.branchA.id}/invites`, { maxUses: 3, expiresInDays: 5 });
    const joiner = await t.http().post('/api/v1/auth/dev').send({ openid: 'invite-list-joiner' });
    expect((await as(joiner.body.user.id).post('/me/join', { inviteCode: made.body.code })).status).toBe(200);

    const list = await as(secretaryA.id).get(`/orgs/${county.branchA.id}/invites`);
    expect(list.status).toBe(200);
    expect(list.body.items.find((i: { code: string }) => i.code === made.body.code)).toMatchObject({
      maxUses: 3,
      uses: 1,
      usesLeft: 2,
      revoked: false,
      expired: false,
    });

    const revoked = await as(secretaryA.id).post(`/invites/${made.body.code}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ revoked: true, usesLeft: 0 });
    const late = await t.http().post('/api/v1/auth/dev').send({ openid: 'invite-list-late' });
    const refused = await as(late.body.user.id).post('/me/join', { inviteCode: made.body.code });
    expect(refused.status).toBe(410);
    expect(refused.body.error.code).toBe('INVITE_REVOKED');
    expect((await UserModel.findById(late.body.user.id).lean())?.orgId).toBeNull();
    expect(await AuditModel.countDocuments({ action: 'invite.revoke' })).toBe(1);
  });

  test('when a secretary of another branch or a township admin elsewhere lists or revokes, then 403 and the code still works', async () => {
    const made = await as(secretaryA.id).post(`/orgs/${county.branchA.id}/invites`);
    const otherSecretary = await buildSecretary(county.branchB);
    for (const who of [otherSecretary.id, townAdmin.id]) {
      expect((await as(who).get(`/orgs/${county.branchA.id}/invites`)).status).toBe(403);
      expect((await as(who).post(`/invites/${made.body.code}/revoke`)).status).toBe(403);
    }
    expect((await InviteModel.findById(made.body.code).lean())?.revokedAt).toBeNull();
  });
});
