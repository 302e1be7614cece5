import { startCountyApp, type TestApp } from './support/harness';
import { buildAdmin, buildMember, buildSecretary, type County } from './support/factories';
import { currentYear } from '../src/modules/commitments/commitments.service';
import { AuditModel } from '../src/modules/audit/audit.model';
import { LedgerModel } from '../src/modules/points/points.model';
import { UserModel } from '../src/modules/users/users.model';
import { client } from './support/client';

/**
 * Issue 13 findings 2, 3, 5 and 10, each reproduced against the real app: roles carried across orgs, admins acting
 * above their scope, self-dealing, and the org tree readable by anyone. The rules live in server/src/policy.
 */
let t: TestApp;
let county: County;
let countyAdmin: { id: string };
let townAdminA: { id: string };
let townAdminB: { id: string };
const as = (id: string) => client(t, id);
const api = (path: string) => `/api/v1${path}`;
const year = currentYear();
const commitmentOf = (userId: string) => encodeURIComponent(`${userId}|${year}`);

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  countyAdmin = await buildAdmin({ of: county.county, branch: county.branchB, name: '县组织部' });
  townAdminA = await buildAdmin({ of: county.townA, branch: county.branchA2, name: '甲镇组织委员' });
  townAdminB = await buildAdmin({ of: county.townB, branch: county.branchB, name: '乙乡组织委员' });
});
afterAll(() => t.close());

async function inviteTo(branchId: string, by: string): Promise<string> {
  const res = await as(by).post(`/orgs/${branchId}/invites`, { maxUses: 5 });
  expect(res.status).toBe(201);
  return res.body.code as string;
}

/** A member's commitment of this year, written and submitted by them. */
async function submitted(userId: string): Promise<string> {
  expect((await as(userId).put('/commitments/mine', { year, items: [{ text: '带头参加志愿服务' }] })).status).toBe(200);
  expect((await as(userId).post(`/commitments/${commitmentOf(userId)}/submit`)).status).toBe(200);
  return commitmentOf(userId);
}

describe('finding 2: a change of org re-decides the branch-bound roles', () => {
  test('the secretary of A who joins B with an ordinary invite is secretary of neither', async () => {
    const secretary = await buildSecretary(county.branchA, '甲支书记');
    const secretaryB = await buildSecretary(county.branchB, '乙支书记');
    const memberB = await buildMember({ branch: county.branchB, name: '乙支党员' });
    const wish = await as(secretaryB.id).post('/wishes', {
      title: '修水管',
      description: '厨房水管漏水',
      residentName: '张大爷',
      residentContact: '13900001111',
      orgId: county.branchB.id,
    });
    expect(wish.status).toBe(201);
    const commitment = await submitted(memberB.id);

    const joined = await as(secretary.id).post('/me/join', {
      inviteCode: await inviteTo(county.branchB.id, secretaryB.id),
    });
    expect(joined.status).toBe(200);
    expect(joined.body.roles).toEqual(['member']);

    expect((await as(secretary.id).get(`/orgs/${county.branchB.id}/members`)).status).toBe(403);
    expect((await as(secretary.id).get(`/orgs/${county.branchA.id}/members`)).status).toBe(403);
    expect(
      (await as(secretary.id).post('/points/adjustments', { userId: memberB.id, delta: 1000, reason: '表现突出' }))
        .status,
    ).toBe(403);
    const seen = await as(secretary.id).get(`/wishes/${wish.body.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.residentContact).toBeNull();
    expect((await as(secretary.id).post(`/commitments/${commitment}/review`, { decision: 'approve' })).status).toBe(
      403,
    );
    expect(await LedgerModel.countDocuments({ userId: memberB.id })).toBe(0);

    const audit = await AuditModel.findOne({ action: 'member.join', targetId: secretary.id }).lean();
    expect(audit?.details).toMatchObject({ orgId: county.branchB.id, from: county.branchA.id, dropped: ['secretary'] });
    const log = await as(secretaryB.id).get(`/audit?org=${county.branchB.id}`);
    expect(log.body.items.find((i: { action: string }) => i.action === 'member.join')).toMatchObject({
      actionLabel: '凭邀请码加入支部',
      summary: '不再担任：支部书记',
    });
  });

  test('a posted cadre who joins another branch is no longer posted', async () => {
    const cadre = await buildMember({
      branch: county.branchA,
      roles: ['member', 'cadre'],
      postedTo: county.villageA,
      name: '甲村驻村',
    });
    const res = await as(cadre.id).post('/me/join', { inviteCode: await inviteTo(county.branchB.id, townAdminB.id) });
    expect(res.status).toBe(200);
    expect(res.body.roles).toEqual(['member']);
    expect(res.body.postedVillage).toBeNull();
    expect(
      (await as(cadre.id).post('/checkins', { lat: 30.5447, lng: 119.9752, accuracy: 10, coordType: 'gcj02' })).status,
    ).toBe(403);
  });

  test('an admin move drops secretary and cadre unless the same request grants them for the new branch', async () => {
    const moved = await buildMember({
      branch: county.branchA,
      roles: ['member', 'secretary', 'cadre'],
      postedTo: county.villageA,
      name: '调动书记',
    });
    const res = await as(countyAdmin.id).patch(`/members/${moved.id}`, { orgId: county.branchB.id });
    expect(res.status).toBe(200);
    expect(res.body.roles).toEqual(['member']);
    expect(res.body.postedVillageId).toBeNull();
    expect(await AuditModel.findOne({ action: 'member.update', targetId: moved.id }).lean()).toMatchObject({
      details: { dropped: ['secretary', 'cadre'] },
    });

    const regranted = await buildSecretary(county.branchA, '调任书记');
    const again = await as(countyAdmin.id).patch(`/members/${regranted.id}`, {
      orgId: county.branchB.id,
      roles: ['member', 'secretary'],
    });
    expect(again.status).toBe(200);
    expect(again.body.roles).toEqual(['member', 'secretary']);
    expect((await as(regranted.id).get(`/orgs/${county.branchB.id}/members`)).status).toBe(200);
    expect((await as(regranted.id).get(`/orgs/${county.branchA.id}/members`)).status).toBe(403);
  });
});

describe('finding 3: an actor changes only someone whose every power lies inside their scope', () => {
  test('a township admin cannot grant admin to a member whose stale adminOrgId is the county', async () => {
    const stale = await buildMember({
      branch: county.branchA,
      roles: ['member'],
      adminOf: county.county,
      name: '前县管理员',
    });
    const res = await as(townAdminA.id).patch(`/members/${stale.id}`, { roles: ['member', 'admin'] });
    expect(res.status).toBe(403);
    expect((await UserModel.findById(stale.id).lean())?.roles).toEqual(['member']);
  });

  test('a township admin cannot demote a county admin whose branch is in the township', async () => {
    const boss = await buildAdmin({ of: county.county, branch: county.branchA, name: '县委组织部长' });
    const res = await as(townAdminA.id).patch(`/members/${boss.id}`, { roles: ['member'] });
    expect(res.status).toBe(403);
    const after = await UserModel.findById(boss.id).lean();
    expect(after?.roles).toEqual(['member', 'admin']);
    expect(after?.adminOrgId).toBe(county.county.id);
  });

  test("granting admin needs a scope inside the actor's own; removing admin clears the scope", async () => {
    const member = await buildMember({ branch: county.branchA, name: '新任组织员' });
    const outside = await as(townAdminA.id).patch(`/members/${member.id}`, {
      roles: ['member', 'admin'],
      adminOrgId: county.townB.id,
    });
    expect(outside.status).toBe(403);
    const none = await as(townAdminA.id).patch(`/members/${member.id}`, { roles: ['member', 'admin'] });
    expect(none.status).toBe(400);
    const inside = await as(townAdminA.id).patch(`/members/${member.id}`, {
      roles: ['member', 'admin'],
      adminOrgId: county.villageA.id,
    });
    expect(inside.status).toBe(200);
    expect(inside.body.adminOrgId).toBe(county.villageA.id);
    const removed = await as(townAdminA.id).patch(`/members/${member.id}`, { roles: ['member'] });
    expect(removed.status).toBe(200);
    expect(removed.body.adminOrgId).toBeNull();
    expect((await UserModel.findById(member.id).lean())?.adminOrgId).toBeNull();
  });
});

describe('finding 5: the one who decides an award never receives it', () => {
  test('a manual adjustment to oneself is refused, for a secretary and for an admin', async () => {
    const secretary = await buildSecretary(county.branchA2, '自调书记');
    for (const who of [secretary, townAdminA]) {
      const res = await as(who.id).post('/points/adjustments', { userId: who.id, delta: 1000, reason: '自己加分' });
      expect(res.status).toBe(403);
      expect(await LedgerModel.countDocuments({ userId: who.id })).toBe(0);
    }
  });

  test("a secretary's own commitment is decided a level up: not in their queue, refused to them, decided by the township admin", async () => {
    const secretary = await buildSecretary(county.branchA2, '承诺书记');
    const coSecretary = await buildSecretary(county.branchA2, '副书记');
    const id = await submitted(secretary.id);

    const own = await as(secretary.id).get(`/commitments/queue?org=${county.branchA2.id}`);
    expect(own.status).toBe(200);
    expect(own.body.counts.submitted).toBe(0);
    expect((await as(secretary.id).post(`/commitments/${id}/review`, { decision: 'approve' })).status).toBe(403);
    expect((await as(coSecretary.id).post(`/commitments/${id}/review`, { decision: 'approve' })).status).toBe(403);

    const above = await as(townAdminA.id).get(`/commitments/queue?org=${county.townA.id}`);
    expect(above.body.counts.submitted).toBe(1);
    expect(JSON.stringify(above.body.submitted)).toContain('承诺书记');
    expect((await as(townAdminA.id).post(`/commitments/${id}/review`, { decision: 'approve' })).status).toBe(200);

    expect((await as(secretary.id).post(`/commitments/${id}/evaluate`, { rating: 'excellent' })).status).toBe(403);
    expect((await as(townAdminA.id).post(`/commitments/${id}/evaluate`, { rating: 'good' })).status).toBe(200);
  });

  test('an admin cannot review or evaluate their own commitment', async () => {
    const id = await submitted(townAdminA.id);
    expect((await as(townAdminA.id).post(`/commitments/${id}/review`, { decision: 'approve' })).status).toBe(403);
    const queue = await as(townAdminA.id).get(`/commitments/queue?org=${county.townA.id}`);
    expect(JSON.stringify(queue.body.submitted)).not.toContain('甲镇组织委员');
    expect((await as(countyAdmin.id).post(`/commitments/${id}/review`, { decision: 'approve' })).status).toBe(200);
    expect((await as(townAdminA.id).post(`/commitments/${id}/evaluate`, { rating: 'excellent' })).status).toBe(403);
  });

  test('a secretary cannot add themselves as an attendee (补录) of an activity they created', async () => {
    const secretary = await buildSecretary(county.branchA, '补录书记');
    const now = Date.now();
    const activity = await as(secretary.id).post('/activities', {
      type: 'theme_day',
      title: '过去的主题党日',
      startsAt: new Date(now - 7_200_000).toISOString(),
      endsAt: new Date(now - 3_600_000).toISOString(),
    });
    expect(activity.status).toBe(201);
    const self = await as(secretary.id).post(`/activities/${activity.body.id}/attendees`, {
      userId: secretary.id,
      reason: '本人参加',
    });
    expect(self.status).toBe(403);
    expect(await LedgerModel.countDocuments({ userId: secretary.id })).toBe(0);
    const byAdmin = await as(townAdminA.id).post(`/activities/${activity.body.id}/attendees`, {
      userId: secretary.id,
      reason: '纸质签到',
    });
    expect(byAdmin.status).toBe(201);
  });
});

describe('finding 10: the org tree is read by its chain and its managers; fences by those who use them', () => {
  test('a signed-in user in no branch reads no org', async () => {
    const stranger = (await t.http().post(api('/auth/dev')).send({ openid: 'trust-stranger' })).body as {
      token: string;
    };
    for (const org of [county.county, county.townA, county.villageA, county.branchA]) {
      expect(
        (
          await t
            .http()
            .get(api(`/orgs/${org.id}`))
            .set('authorization', `Bearer ${stranger.token}`)
        ).status,
      ).toBe(403);
    }
  });

  test("a member reads their own chain (no fence), not another township's village", async () => {
    const member = await buildMember({ branch: county.branchB, name: '乙村党员' });
    const own = await as(member.id).get(`/orgs/${county.county.id}`);
    expect(own.status).toBe(200);
    expect((await as(member.id).get(`/orgs/${county.villageA.id}`)).status).toBe(403);
    const village = await as((await buildMember({ branch: county.branchA })).id).get(`/orgs/${county.villageA.id}`);
    expect(village.status).toBe(200);
    expect(village.body.fence).toBeNull();
  });

  test('the cadre posted to a village and the admins over it read its fence; an admin elsewhere does not', async () => {
    const cadre = await buildMember({
      branch: county.branchB,
      roles: ['member', 'cadre'],
      postedTo: county.villageA,
      name: '派驻干部',
    });
    const byCadre = await as(cadre.id).get(`/orgs/${county.villageA.id}`);
    expect(byCadre.status).toBe(200);
    expect(byCadre.body.fence).toEqual({ lat: 30.5447, lng: 119.9752, radiusM: 500 });
    expect((await as(townAdminA.id).get(`/orgs/${county.villageA.id}`)).body.fence).toEqual({
      lat: 30.5447,
      lng: 119.9752,
      radiusM: 500,
    });
    expect((await as(townAdminB.id).get(`/orgs/${county.villageA.id}`)).status).toBe(403);
  });
});
