import { startCountyApp, type TestApp } from './support/harness';
import { buildAdmin, buildSecretary, type County } from './support/factories';
import { startFakeWechat, type FakeWechat } from './support/fake-wechat';
import { confirmAndWait, csv, dryRun } from './support/roster-helpers';
import { LoginModel, UserModel } from '../src/modules/users/users.model';
import { RosterRowModel, rosterKey } from '../src/modules/roster/roster.model';

let t: TestApp;
let wx: FakeWechat;
let c: County;
let admin: string;
let secretaryA: string;
let secretaryB: string;
beforeAll(async () => {
  wx = await startFakeWechat();
  ({ t, county: c } = await startCountyApp({ wechat: { appId: wx.appId, appSecret: wx.appSecret, baseUrl: wx.url } }));
  admin = t.tokenFor((await buildAdmin({ of: c.county, branch: c.branchA })).id);
  secretaryA = t.tokenFor((await buildSecretary(c.branchA)).id);
  secretaryB = t.tokenFor((await buildSecretary(c.branchB)).id);
  const dry = await dryRun(
    t.http(),
    admin,
    csv(
      '刘书记,13811110001,甲村党支部,正式党员,1990-07-01,支部书记,支部书记,',
      '刘二,13811110002,甲村党支部,正式党员,,,党员,',
      '刘三,13811110003,甲村党支部,预备党员,,,党员,',
      '刘四,13811110004,甲村党支部,正式党员,,,党员,',
    ),
  );
  await confirmAndWait(t.http(), admin, dry.body.key);
});
afterAll(async () => {
  await t.close();
  await wx.close();
});

const signIn = async (who: string) =>
  (
    await t
      .http()
      .post('/api/v1/auth/wechat')
      .send({ code: `good-${who}` })
  ).body as { token: string; user: { id: string } };
const as = (token: string) => ({ authorization: `Bearer ${token}` });
const rosterUser = async (phone: string) =>
  (await RosterRowModel.findById(rosterKey(c.county.id, phone)).lean())!.userId;

describe('weapp: bound by the phone WeChat vouches for', () => {
  test('a first sign-in sees the roster row of its phone, confirms, and becomes that member with its branch and roles', async () => {
    const s = await signIn('liu-shuji');
    const match = await t.http().post('/api/v1/me/roster/phone').set(as(s.token)).send({ code: 'phone-13811110001' });
    expect(match.status).toBe(200);
    expect(match.body).toEqual({ phone: '138****0001', match: { name: '刘书记', branch: '甲镇 / 甲村 / 甲村党支部' } });
    const bound = await t.http().post('/api/v1/me/roster/bind').set(as(s.token));
    expect(bound.status).toBe(200);
    expect(bound.body.user).toMatchObject({
      id: await rosterUser('13811110001'),
      name: '刘书记',
      roles: ['member', 'secretary'],
      org: { name: '甲村党支部' },
    });
    // The WeChat login now opens the roster member; the empty first-sign-in account is gone.
    const again = await signIn('liu-shuji');
    expect(again.user.id).toBe(bound.body.user.id);
    expect(await UserModel.countDocuments({ _id: s.user.id })).toBe(0);
    // Already bound: never bound twice.
    const twice = await t
      .http()
      .post('/api/v1/me/roster/phone')
      .set(as(again.token))
      .send({ code: 'phone-13811110002' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('ALREADY_IN_BRANCH');
  });

  test('a row already bound is not bound to a second WeChat account', async () => {
    const other = await signIn('liu-shuji-other');
    const match = await t
      .http()
      .post('/api/v1/me/roster/phone')
      .set(as(other.token))
      .send({ code: 'phone-13811110001' });
    expect(match.body.match).toBeNull();
    const bind = await t.http().post('/api/v1/me/roster/bind').set(as(other.token));
    expect(bind.status).toBe(409);
    expect(bind.body.error.code).toBe('ROSTER_ALREADY_BOUND');
  });

  test('two phones racing for one roster row give one binding', async () => {
    const racers = await Promise.all(Array.from({ length: 6 }, (_, i) => signIn(`racer-${i}`)));
    for (const r of racers)
      expect(
        (await t.http().post('/api/v1/me/roster/phone').set(as(r.token)).send({ code: 'phone-13811110002' })).status,
      ).toBe(200);
    const replies = await Promise.all(racers.map((r) => t.http().post('/api/v1/me/roster/bind').set(as(r.token))));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    const target = await rosterUser('13811110002');
    expect(await LoginModel.countDocuments({ userId: target })).toBe(1);
  });

  test('a phone not in the roster matches nothing and cannot bind; a bad code is a 400, not a sign-out', async () => {
    const s = await signIn('nobody');
    const match = await t.http().post('/api/v1/me/roster/phone').set(as(s.token)).send({ code: 'phone-13999999999' });
    expect(match.body).toEqual({ phone: '139****9999', match: null });
    expect((await t.http().post('/api/v1/me/roster/bind').set(as(s.token))).body.error.code).toBe('ROSTER_NOT_FOUND');
    expect((await t.http().post('/api/v1/me/roster/phone').set(as(s.token)).send({ code: 'forged' })).status).toBe(400);
  });
});

describe('H5: typed phone and name, confirmed by the branch secretary', () => {
  test('a wrong name gets the same answer as an unknown phone', async () => {
    const s = await signIn('h5-wrong');
    for (const body of [
      { phone: '13811110003', name: '刘四' },
      { phone: '13800009999', name: '刘三' },
    ]) {
      const res = await t.http().post('/api/v1/me/roster/claim').set(as(s.token)).send(body);
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe('名册中没有找到这个手机号和姓名，请核对，或用邀请码加入');
    }
  });

  test("the request waits for the branch's secretary; another branch's secretary is refused; confirm binds", async () => {
    const s = await signIn('h5-liu3');
    const claim = await t
      .http()
      .post('/api/v1/me/roster/claim')
      .set(as(s.token))
      .send({ phone: '13811110003', name: '刘三' });
    expect(claim.body).toEqual({ status: 'pending', branch: '甲镇 / 甲村 / 甲村党支部' });
    expect((await t.http().get('/api/v1/me').set(as(s.token))).body.org).toBeNull();
    const list = await t.http().get(`/api/v1/orgs/${c.branchA.id}/bind-requests`).set(as(secretaryA));
    expect(list.body).toEqual([expect.objectContaining({ id: s.user.id, name: '刘三', phone: '138****0003' })]);
    expect((await t.http().get(`/api/v1/orgs/${c.branchA.id}/bind-requests`).set(as(secretaryB))).status).toBe(403);
    expect(
      (await t.http().post(`/api/v1/orgs/${c.branchA.id}/bind-requests/${s.user.id}/confirm`).set(as(secretaryB)))
        .status,
    ).toBe(403);
    const confirmed = await t
      .http()
      .post(`/api/v1/orgs/${c.branchA.id}/bind-requests/${s.user.id}/confirm`)
      .set(as(secretaryA));
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual([]);
    const again = await signIn('h5-liu3');
    expect(again.user.id).toBe(await rosterUser('13811110003'));
  });

  test('a refused request leaves the queue and binds nothing', async () => {
    const s = await signIn('h5-liu4');
    await t.http().post('/api/v1/me/roster/claim').set(as(s.token)).send({ phone: '13811110004', name: '刘四' });
    const refused = await t
      .http()
      .post(`/api/v1/orgs/${c.branchA.id}/bind-requests/${s.user.id}/reject`)
      .set(as(secretaryA));
    expect(refused.body).toEqual([]);
    expect((await signIn('h5-liu4')).user.id).toBe(s.user.id);
  });
});

describe('join QR poster', () => {
  test('one tap for the secretary: an invite of the branch, its QR and expiry; the code joins', async () => {
    const res = await t.http().post(`/api/v1/orgs/${c.branchA.id}/join-poster`).set(as(secretaryA));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      branchName: '甲村党支部',
      code: expect.stringMatching(/^[A-Z2-9]{8}$/),
      qrPng: expect.stringMatching(/^data:image\/png;base64,/),
    });
    expect(res.body.joinUrl).toContain(`code=${res.body.code}`);
    const s = await signIn('poster-joiner');
    const joined = await t.http().post('/api/v1/me/join').set(as(s.token)).send({ inviteCode: res.body.code });
    expect(joined.body.org.name).toBe('甲村党支部');
  });

  test("another branch's secretary and a member are refused", async () => {
    expect((await t.http().post(`/api/v1/orgs/${c.branchA.id}/join-poster`).set(as(secretaryB))).status).toBe(403);
    const member = await signIn('poster-joiner');
    expect((await t.http().post(`/api/v1/orgs/${c.branchA.id}/join-poster`).set(as(member.token))).status).toBe(403);
  });
});
