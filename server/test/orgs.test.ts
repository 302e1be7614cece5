import { startTestApp, type TestApp } from './support/harness';
import { buildMember, type County } from './support/factories';
import { InviteModel, OrgModel } from '../src/modules/orgs/orgs.model';
import { UserModel } from '../src/modules/users/users.model';
import { AuditModel } from '../src/modules/audit/audit.model';
import { client } from './support/client';
import { countyWithStaff } from './support/org-staff';

let t: TestApp;
let county: County;
let admin: { id: string };
let townAdmin: { id: string };
let secretaryA: { id: string };
let memberA: { id: string };
const as = (id: string) => client(t, id);

beforeAll(async () => {
  t = await startTestApp();
  ({ county, admin, townAdmin, secretaryA } = await countyWithStaff());
  memberA = await buildMember({ branch: county.branchA, contact: '13912345678' });
});
afterAll(() => t.close());

async function newcomer(openid: string) {
  const res = await t.http().post('/api/v1/auth/dev').send({ openid });
  return res.body as { token: string; user: { id: string } };
}

describe('org tree', () => {
  test('when a member reads an org, then its path and children come back', async () => {
    const res = await as(memberA.id).get(`/orgs/${county.villageA.id}`);
    expect(res.status).toBe(200);
    expect(res.body.path.map((o: { name: string }) => o.name)).toEqual(['测试县', '甲镇']);
    expect(res.body.children.map((o: { name: string }) => o.name).sort()).toEqual(
      ['甲村第二党支部', '甲村党支部'].sort(),
    );
    // The fence is for those who use it (admins, the village's secretaries, the posted cadre), not every member.
    expect(res.body.fence).toBeNull();
    const bySecretary = await as(secretaryA.id).get(`/orgs/${county.villageA.id}`);
    expect(bySecretary.body.fence).toEqual({ lat: 30.5447, lng: 119.9752, radiusM: 500 });
  });

  test('when an admin creates a village with a fence under their subtree, then it is placed with its path', async () => {
    const res = await as(admin.id).post('/orgs', {
      name: '新村',
      type: 'village',
      parentId: county.townA.id,
      fence: { lat: 30.1, lng: 120.1 },
    });
    expect(res.status).toBe(201);
    expect(res.body.fence).toEqual({ lat: 30.1, lng: 120.1, radiusM: 500 });
    const stored = await OrgModel.findById(res.body.id).lean();
    expect(stored?.path).toEqual([county.county.id, county.townA.id]);
  });

  test('when a township admin creates under another township, then 403', async () => {
    const res = await as(townAdmin.id).post('/orgs', { name: '越权村', type: 'village', parentId: county.townA.id });
    expect(res.status).toBe(403);
    expect(await OrgModel.countDocuments({ name: '越权村' })).toBe(0);
  });

  test('when a secretary tries to create an org, then 403', async () => {
    const res = await as(secretaryA.id).post('/orgs', { name: 'x', type: 'branch', parentId: county.villageA.id });
    expect(res.status).toBe(403);
  });

  test('when an admin sets a village fence with |lat| > 90, then 400 and the fence is unchanged', async () => {
    const res = await as(admin.id).patch(`/orgs/${county.villageA.id}`, {
      fence: { lat: 91, lng: 119.9, radiusM: 500 },
    });
    expect(res.status).toBe(400);
    expect((await OrgModel.findById(county.villageA.id).lean())?.fence?.lat).toBe(30.5447);
  });

  test('when an admin moves a fence, then it is saved and audited', async () => {
    const res = await as(admin.id).patch(`/orgs/${county.villageB.id}`, {
      fence: { lat: 30.49, lng: 120.03, radiusM: 800 },
    });
    expect(res.status).toBe(200);
    expect(res.body.fence).toEqual({ lat: 30.49, lng: 120.03, radiusM: 800 });
    expect(await AuditModel.countDocuments({ action: 'org.update', targetId: county.villageB.id })).toBe(1);
  });
});

describe('invites and joining', () => {
  test('when a secretary invites to their branch and a newcomer joins, then the newcomer is in the branch and counted', async () => {
    const before = (await OrgModel.findById(county.county.id).lean())!.memberCount;
    const invite = await as(secretaryA.id).post(`/orgs/${county.branchA.id}/invites`, { maxUses: 5 });
    expect(invite.status).toBe(201);
    expect(invite.body.code).toMatch(/^[A-Z2-9]{8}$/);
    const person = await newcomer('joiner-1');
    const join = await t
      .http()
      .post('/api/v1/me/join')
      .set('authorization', `Bearer ${person.token}`)
      .send({ inviteCode: invite.body.code.toLowerCase() });
    expect(join.status).toBe(200);
    expect(join.body.org).toMatchObject({
      id: county.branchA.id,
      path: [{ name: '测试县' }, { name: '甲镇' }, { name: '甲村' }],
    });
    expect((await OrgModel.findById(county.county.id).lean())!.memberCount).toBe(before + 1);
  });

  test('when the same member enters the code again, then 409 ALREADY_MEMBER and no use is taken', async () => {
    const invite = await as(secretaryA.id).post(`/orgs/${county.branchA.id}/invites`, { maxUses: 5 });
    const person = await newcomer('joiner-twice');
    const h = { authorization: `Bearer ${person.token}` };
    await t.http().post('/api/v1/me/join').set(h).send({ inviteCode: invite.body.code });
    const again = await t.http().post('/api/v1/me/join').set(h).send({ inviteCode: invite.body.code });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_MEMBER');
    expect((await InviteModel.findById(invite.body.code).lean())!.uses).toBe(1);
  });

  test('when a secretary invites to another branch, then 403', async () => {
    const res = await as(secretaryA.id).post(`/orgs/${county.branchB.id}/invites`);
    expect(res.status).toBe(403);
  });

  test('when a plain member asks for an invite, then 403', async () => {
    const res = await as(memberA.id).post(`/orgs/${county.branchA.id}/invites`);
    expect(res.status).toBe(403);
  });

  test('when the code has expired, then 410 INVITE_EXPIRED', async () => {
    await InviteModel.create({
      _id: 'OLDCODE2',
      orgId: county.branchA.id,
      expiresAt: new Date(Date.now() - 1000),
      maxUses: 5,
      createdBy: secretaryA.id,
    });
    const person = await newcomer('late-joiner');
    const res = await t
      .http()
      .post('/api/v1/me/join')
      .set('authorization', `Bearer ${person.token}`)
      .send({ inviteCode: 'OLDCODE2' });
    expect(res.status).toBe(410);
    expect(res.body.error.code).toBe('INVITE_EXPIRED');
  });

  test('when the code is unknown, then 404', async () => {
    const person = await newcomer('lost-joiner');
    const res = await t
      .http()
      .post('/api/v1/me/join')
      .set('authorization', `Bearer ${person.token}`)
      .send({ inviteCode: 'NOSUCH99' });
    expect(res.status).toBe(404);
  });

  test('when ten people race for a code with 3 uses, then exactly 3 join and the rest get 410 INVITE_USED_UP', async () => {
    const invite = await as(admin.id).post(`/orgs/${county.branchB.id}/invites`, { maxUses: 3 });
    const people = await Promise.all(Array.from({ length: 10 }, (_, i) => newcomer(`racer-${i}`)));
    const replies = await Promise.all(
      people.map((p) =>
        t
          .http()
          .post('/api/v1/me/join')
          .set('authorization', `Bearer ${p.token}`)
          .send({ inviteCode: invite.body.code }),
      ),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(3);
    expect(replies.filter((r) => r.status === 410 && r.body.error.code === 'INVITE_USED_UP')).toHaveLength(7);
    expect(
      await UserModel.countDocuments({ orgId: county.branchB.id, _id: { $in: people.map((p) => p.user.id) } }),
    ).toBe(3);
    expect((await InviteModel.findById(invite.body.code).lean())!.uses).toBe(3);
  });
});

describe('members and roles', () => {
  test('when a secretary lists their branch, then contacts are masked', async () => {
    const res = await as(secretaryA.id).get(`/orgs/${county.branchA.id}/members`);
    expect(res.status).toBe(200);
    const row = res.body.items.find((m: { id: string }) => m.id === memberA.id);
    expect(row.contact).toBe('139****5678');
    expect(JSON.stringify(res.body)).not.toContain('13912345678');
  });

  test('when a secretary lists another branch, then 403', async () => {
    const res = await as(secretaryA.id).get(`/orgs/${county.branchB.id}/members`);
    expect(res.status).toBe(403);
  });

  test('when a member list is paged, then the cursor walks every member once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await as(admin.id)
        .get(`/orgs/${county.county.id}/members`)
        .query({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...res.body.items.map((m) => m.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(await UserModel.countDocuments({ orgPath: county.county.id }));
  });

  test('when an admin makes a member a cadre posted to a fenced village, then /me shows the village and fence, and it is audited', async () => {
    const target = await buildMember({ branch: county.branchA });
    const res = await as(admin.id).patch(`/members/${target.id}`, {
      roles: ['cadre'],
      postedVillageId: county.villageA.id,
    });
    expect(res.status).toBe(200);
    expect(res.body.roles.sort()).toEqual(['cadre', 'member']);
    const me = await as(target.id).get('/me');
    expect(me.body.postedVillage).toEqual({
      id: county.villageA.id,
      name: '甲村',
      type: 'village',
      fence: { lat: 30.5447, lng: 119.9752, radiusM: 500 },
    });
    expect(await AuditModel.countDocuments({ action: 'member.update', targetId: target.id })).toBe(1);
  });

  test('when a township admin edits a member of another township, then 403 and roles are unchanged', async () => {
    const res = await as(townAdmin.id).patch(`/members/${memberA.id}`, { roles: ['admin'] });
    expect(res.status).toBe(403);
    expect((await UserModel.findById(memberA.id).lean())!.roles).toEqual(['member']);
  });

  test('when a secretary tries to set roles, then 403', async () => {
    const res = await as(secretaryA.id).patch(`/members/${memberA.id}`, { roles: ['secretary'] });
    expect(res.status).toBe(403);
  });

  test('when a member is posted to a branch instead of a village, then 400', async () => {
    const res = await as(admin.id).patch(`/members/${memberA.id}`, { postedVillageId: county.branchA.id });
    expect(res.status).toBe(400);
  });

  test('when an admin moves a member to another branch, then member counts move with them', async () => {
    const mover = await buildMember({ branch: county.branchA });
    const before = await Promise.all(
      [county.townA.id, county.townB.id, county.county.id].map(
        async (id) => (await OrgModel.findById(id).lean())!.memberCount,
      ),
    );
    const res = await as(admin.id).patch(`/members/${mover.id}`, { orgId: county.branchB.id });
    expect(res.status).toBe(200);
    const after = await Promise.all(
      [county.townA.id, county.townB.id, county.county.id].map(
        async (id) => (await OrgModel.findById(id).lean())!.memberCount,
      ),
    );
    expect(after).toEqual([before[0]! - 1, before[1]! + 1, before[2]]);
  });

  test('when a member edits their identity with a bad phone number, then 400; a good one is kept in full for them', async () => {
    const bad = await as(memberA.id).patch('/me', { identity: { contact: '12345' } });
    expect(bad.status).toBe(400);
    const good = await as(memberA.id).patch('/me', {
      identity: { contact: '13800001111', dutyTitle: '网格员', partySince: 1998 },
    });
    expect(good.status).toBe(200);
    expect(good.body.identity).toMatchObject({ contact: '13800001111', dutyTitle: '网格员', partySince: 1998 });
  });
});
