import { startTestApp, type TestApp } from './support/harness';
import { buildCounty, buildMember } from './support/factories';
import { currentYear } from '../src/modules/commitments/commitments.service';
import { AuditModel } from '../src/modules/audit/audit.model';
import { LedgerModel } from '../src/modules/points/points.model';
import { UserModel } from '../src/modules/users/users.model';

/**
 * Issue 13 findings 2, 3, 5 and 10, each reproduced against the real app: roles carried across orgs, admins acting
 * above their scope, self-dealing, and the org tree readable by anyone. The rules live in server/src/policy.
 */
let t: TestApp;
let county: Awaited<ReturnType<typeof buildCounty>>;
let countyAdmin: { id: string };
let townAdminA: { id: string };
let townAdminB: { id: string };
const auth = (id: string) => ({ authorization: `Bearer ${t.tokenFor(id)}` });
const api = (path: string) => `/api/v1${path}`;
const year = currentYear();
const commitmentOf = (userId: string) => encodeURIComponent(`${userId}|${year}`);

beforeAll(async () => {
  t = await startTestApp();
  county = await buildCounty();
  countyAdmin = await buildMember({
    branch: county.branchB,
    roles: ['member', 'admin'],
    adminOf: county.county,
    name: '县组织部',
  });
  townAdminA = await buildMember({
    branch: county.branchA2,
    roles: ['member', 'admin'],
    adminOf: county.townA,
    name: '甲镇组织委员',
  });
  townAdminB = await buildMember({
    branch: county.branchB,
    roles: ['member', 'admin'],
    adminOf: county.townB,
    name: '乙乡组织委员',
  });
});
afterAll(() => t.close());

async function inviteTo(branchId: string, by: string): Promise<string> {
  const res = await t
    .http()
    .post(api(`/orgs/${branchId}/invites`))
    .set(auth(by))
    .send({ maxUses: 5 });
  expect(res.status).toBe(201);
  return res.body.code as string;
}

/** A member's commitment of this year, written and submitted by them. */
async function submitted(userId: string): Promise<string> {
  expect(
    (
      await t
        .http()
        .put(api('/commitments/mine'))
        .set(auth(userId))
        .send({ year, items: [{ text: '带头参加志愿服务' }] })
    ).status,
  ).toBe(200);
  expect(
    (
      await t
        .http()
        .post(api(`/commitments/${commitmentOf(userId)}/submit`))
        .set(auth(userId))
    ).status,
  ).toBe(200);
  return commitmentOf(userId);
}

describe('finding 2: a change of org re-decides the branch-bound roles', () => {
  test('the secretary of A who joins B with an ordinary invite is secretary of neither', async () => {
    const secretary = await buildMember({ branch: county.branchA, roles: ['member', 'secretary'], name: '甲支书记' });
    const secretaryB = await buildMember({ branch: county.branchB, roles: ['member', 'secretary'], name: '乙支书记' });
    const memberB = await buildMember({ branch: county.branchB, name: '乙支党员' });
    const wish = await t.http().post(api('/wishes')).set(auth(secretaryB.id)).send({
      title: '修水管',
      description: '厨房水管漏水',
      residentName: '张大爷',
      residentContact: '13900001111',
      orgId: county.branchB.id,
    });
    expect(wish.status).toBe(201);
    const commitment = await submitted(memberB.id);

    const joined = await t
      .http()
      .post(api('/me/join'))
      .set(auth(secretary.id))
      .send({ inviteCode: await inviteTo(county.branchB.id, secretaryB.id) });
    expect(joined.status).toBe(200);
    expect(joined.body.roles).toEqual(['member']);

    expect(
      (
        await t
          .http()
          .get(api(`/orgs/${county.branchB.id}/members`))
          .set(auth(secretary.id))
      ).status,
    ).toBe(403);
    expect(
      (
        await t
          .http()
          .get(api(`/orgs/${county.branchA.id}/members`))
          .set(auth(secretary.id))
      ).status,
    ).toBe(403);
    expect(
      (
        await t
          .http()
          .post(api('/points/adjustments'))
          .set(auth(secretary.id))
          .send({ userId: memberB.id, delta: 1000, reason: '表现突出' })
      ).status,
    ).toBe(403);
    const seen = await t
      .http()
      .get(api(`/wishes/${wish.body.id}`))
      .set(auth(secretary.id));
    expect(seen.status).toBe(200);
    expect(seen.body.residentContact).toBeNull();
    expect(
      (
        await t
          .http()
          .post(api(`/commitments/${commitment}/review`))
          .set(auth(secretary.id))
          .send({ decision: 'approve' })
      ).status,
    ).toBe(403);
    expect(await LedgerModel.countDocuments({ userId: memberB.id })).toBe(0);

    const audit = await AuditModel.findOne({ action: 'member.join', targetId: secretary.id }).lean();
    expect(audit?.details).toMatchObject({ orgId: county.branchB.id, from: county.branchA.id, dropped: ['secretary'] });
    const log = await t
      .http()
      .get(api(`/audit?org=${county.branchB.id}`))
      .set(auth(secretaryB.id));
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
    const res = await t
      .http()
      .post(api('/me/join'))
      .set(auth(cadre.id))
      .send({ inviteCode: await inviteTo(county.branchB.id, townAdminB.id) });
    expect(res.status).toBe(200);
    expect(res.body.roles).toEqual(['member']);
    expect(res.body.postedVillage).toBeNull();
    expect(
      (
        await t
          .http()
          .post(api('/checkins'))
          .set(auth(cadre.id))
          .send({ lat: 30.5447, lng: 119.9752, accuracy: 10, coordType: 'gcj02' })
      ).status,
    ).toBe(403);
  });

  test('an admin move drops secretary and cadre unless the same request grants them for the new branch', async () => {
    const moved = await buildMember({
      branch: county.branchA,
      roles: ['member', 'secretary', 'cadre'],
      postedTo: county.villageA,
      name: '调动书记',
    });
    const res = await t
      .http()
      .patch(api(`/members/${moved.id}`))
      .set(auth(countyAdmin.id))
      .send({ orgId: county.branchB.id });
    expect(res.status).toBe(200);
    expect(res.body.roles).toEqual(['member']);
    expect(res.body.postedVillageId).toBeNull();
    expect(await AuditModel.findOne({ action: 'member.update', targetId: moved.id }).lean()).toMatchObject({
      details: { dropped: ['secretary', 'cadre'] },
    });

    const regranted = await buildMember({ branch: county.branchA, roles: ['member', 'secretary'], name: '调任书记' });
    const again = await t
      .http()
      .patch(api(`/members/${regranted.id}`))
      .set(auth(countyAdmin.id))
      .send({ orgId: county.branchB.id, roles: ['member', 'secretary'] });
    expect(again.status).toBe(200);
    expect(again.body.roles).toEqual(['member', 'secretary']);
    expect(
      (
        await t
          .http()
          .get(api(`/orgs/${county.branchB.id}/members`))
          .set(auth(regranted.id))
      ).status,
    ).toBe(200);
    expect(
      (
        await t
          .http()
          .get(api(`/orgs/${county.branchA.id}/members`))
          .set(auth(regranted.id))
      ).status,
    ).toBe(403);
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
    const res = await t
      .http()
      .patch(api(`/members/${stale.id}`))
      .set(auth(townAdminA.id))
      .send({ roles: ['member', 'admin'] });
    expect(res.status).toBe(403);
    expect((await UserModel.findById(stale.id).lean())?.roles).toEqual(['member']);
  });

  test('a township admin cannot demote a county admin whose branch is in the township', async () => {
    const boss = await buildMember({
      branch: county.branchA,
      roles: ['member', 'admin'],
      adminOf: county.county,
      name: '县委组织部长',
    });
    const res = await t
      .http()
      .patch(api(`/members/${boss.id}`))
      .set(auth(townAdminA.id))
      .send({ roles: ['member'] });
    expect(res.status).toBe(403);
    const after = await UserModel.findById(boss.id).lean();
    expect(after?.roles).toEqual(['member', 'admin']);
    expect(after?.adminOrgId).toBe(county.county.id);
  });

  test("granting admin needs a scope inside the actor's own; removing admin clears the scope", async () => {
    const member = await buildMember({ branch: county.branchA, name: '新任组织员' });
    const outside = await t
      .http()
      .patch(api(`/members/${member.id}`))
      .set(auth(townAdminA.id))
      .send({ roles: ['member', 'admin'], adminOrgId: county.townB.id });
    expect(outside.status).toBe(403);
    const none = await t
      .http()
      .patch(api(`/members/${member.id}`))
      .set(auth(townAdminA.id))
      .send({ roles: ['member', 'admin'] });
    expect(none.status).toBe(400);
    const inside = await t
      .http()
      .patch(api(`/members/${member.id}`))
      .set(auth(townAdminA.id))
      .send({ roles: ['member', 'admin'], adminOrgId: county.villageA.id });
    expect(inside.status).toBe(200);
    expect(inside.body.adminOrgId).toBe(county.villageA.id);
    const removed = await t
      .http()
      .patch(api(`/members/${member.id}`))
      .set(auth(townAdminA.id))
      .send({ roles: ['member'] });
    expect(removed.status).toBe(200);
    expect(removed.body.adminOrgId).toBeNull();
    expect((await UserModel.findById(member.id).lean())?.adminOrgId).toBeNull();
  });
});

describe('finding 5: the one who decides an award never receives it', () => {
  test('a manual adjustment to oneself is refused, for a secretary and for an admin', async () => {
    const secretary = await buildMember({ branch: county.branchA2, roles: ['member', 'secretary'], name: '自调书记' });
    for (const who of [secretary, townAdminA]) {
      const res = await t
        .http()
        .post(api('/points/adjustments'))
        .set(auth(who.id))
        .send({ userId: who.id, delta: 1000, reason: '自己加分' });
      expect(res.status).toBe(403);
      expect(await LedgerModel.countDocuments({ userId: who.id })).toBe(0);
    }
  });

  test("a secretary's own commitment is decided a level up: not in their queue, refused to them, decided by the township admin", async () => {
    const secretary = await buildMember({ branch: county.branchA2, roles: ['member', 'secretary'], name: '承诺书记' });
    const coSecretary = await buildMember({ branch: county.branchA2, roles: ['member', 'secretary'], name: '副书记' });
    const id = await submitted(secretary.id);

    const own = await t
      .http()
      .get(api(`/commitments/queue?org=${county.branchA2.id}`))
      .set(auth(secretary.id));
    expect(own.status).toBe(200);
    expect(own.body.counts.submitted).toBe(0);
    expect(
      (
        await t
          .http()
          .post(api(`/commitments/${id}/review`))
          .set(auth(secretary.id))
          .send({ decision: 'approve' })
      ).status,
    ).toBe(403);
    expect(
      (
        await t
          .http()
          .post(api(`/commitments/${id}/review`))
          .set(auth(coSecretary.id))
          .send({ decision: 'approve' })
      ).status,
    ).toBe(403);

    const above = await t
      .http()
      .get(api(`/commitments/queue?org=${county.townA.id}`))
      .set(auth(townAdminA.id));
    expect(above.body.counts.submitted).toBe(1);
    expect(JSON.stringify(above.body.submitted)).toContain('承诺书记');
    expect(
      (
        await t
          .http()
          .post(api(`/commitments/${id}/review`))
          .set(auth(townAdminA.id))
          .send({ decision: 'approve' })
      ).status,
    ).toBe(200);

    expect(
      (
        await t
          .http()
          .post(api(`/commitments/${id}/evaluate`))
          .set(auth(secretary.id))
          .send({ rating: 'excellent' })
      ).status,
    ).toBe(403);
    expect(
      (
        await t
          .http()
          .post(api(`/commitments/${id}/evaluate`))
          .set(auth(townAdminA.id))
          .send({ rating: 'good' })
      ).status,
    ).toBe(200);
  });

  test('an admin cannot review or evaluate their own commitment', async () => {
    const id = await submitted(townAdminA.id);
    expect(
      (
        await t
          .http()
          .post(api(`/commitments/${id}/review`))
          .set(auth(townAdminA.id))
          .send({ decision: 'approve' })
      ).status,
    ).toBe(403);
    const queue = await t
      .http()
      .get(api(`/commitments/queue?org=${county.townA.id}`))
      .set(auth(townAdminA.id));
    expect(JSON.stringify(queue.body.submitted)).not.toContain('甲镇组织委员');
    expect(
      (
        await t
          .http()
          .post(api(`/commitments/${id}/review`))
          .set(auth(countyAdmin.id))
          .send({ decision: 'approve' })
      ).status,
    ).toBe(200);
    expect(
      (
        await t
          .http()
          .post(api(`/commitments/${id}/evaluate`))
          .set(auth(townAdminA.id))
          .send({ rating: 'excellent' })
      ).status,
    ).toBe(403);
  });

  test('a secretary cannot add themselves as an attendee (补录) of an activity they created', async () => {
    const secretary = await buildMember({ branch: county.branchA, roles: ['member', 'secretary'], name: '补录书记' });
    const now = Date.now();
    const activity = await t
      .http()
      .post(api('/activities'))
      .set(auth(secretary.id))
      .send({
        type: 'theme_day',
        title: '过去的主题党日',
        startsAt: new Date(now - 7_200_000).toISOString(),
        endsAt: new Date(now - 3_600_000).toISOString(),
      });
    expect(activity.status).toBe(201);
    const self = await t
      .http()
      .post(api(`/activities/${activity.body.id}/attendees`))
      .set(auth(secretary.id))
      .send({ userId: secretary.id, reason: '本人参加' });
    expect(self.status).toBe(403);
    expect(await LedgerModel.countDocuments({ userId: secretary.id })).toBe(0);
    const byAdmin = await t
      .http()
      .post(api(`/activities/${activity.body.id}/attendees`))
      .set(auth(townAdminA.id))
      .send({ userId: secretary.id, reason: '纸质签到' });
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
    const own = await t
      .http()
      .get(api(`/orgs/${county.county.id}`))
      .set(auth(member.id));
    expect(own.status).toBe(200);
    expect(
      (
        await t
          .http()
          .get(api(`/orgs/${county.villageA.id}`))
          .set(auth(member.id))
      ).status,
    ).toBe(403);
    const village = await t
      .http()
      .get(api(`/orgs/${county.villageA.id}`))
      .set(auth((await buildMember({ branch: county.branchA })).id));
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
    const byCadre = await t
      .http()
      .get(api(`/orgs/${county.villageA.id}`))
      .set(auth(cadre.id));
    expect(byCadre.status).toBe(200);
    expect(byCadre.body.fence).toEqual({ lat: 30.5447, lng: 119.9752, radiusM: 500 });
    expect(
      (
        await t
          .http()
          .get(api(`/orgs/${county.villageA.id}`))
          .set(auth(townAdminA.id))
      ).body.fence,
    ).toEqual({ lat: 30.5447, lng: 119.9752, radiusM: 500 });
    expect(
      (
        await t
          .http()
          .get(api(`/orgs/${county.villageA.id}`))
          .set(auth(townAdminB.id))
      ).status,
    ).toBe(403);
  });
});
