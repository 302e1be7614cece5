import { startCountyApp, type TestApp } from './support/harness';
import { buildAdmin, type County } from './support/factories';
import { startFakeWechat, type FakeWechat } from './support/fake-wechat';
import { confirmAndWait, csv, dryRun } from './support/roster-helpers';
import { UserModel } from '../src/modules/users/users.model';
import { RosterRowModel, rosterKey } from '../src/modules/roster/roster.model';

/** 人员类别 (issue 14): carried from the roster row onto the member, so 党员管理's category filter finds them. */
let t: TestApp;
let wx: FakeWechat;
let c: County;
let admin: string;
const as = (token: string) => ({ authorization: `Bearer ${token}` });
const rosterUser = async (phone: string) =>
  (await RosterRowModel.findById(rosterKey(c.county.id, phone)).lean())!.userId;
const named = (category: string) =>
  t
    .http()
    .get(`/api/v1/orgs/${c.branchA.id}/members`)
    .query({ category })
    .set(as(admin))
    .then((res) => res.body.items.map((m: { name: string; category: string }) => `${m.name}:${m.category}`).sort());
const importRows = async (...rows: string[]) =>
  confirmAndWait(t.http(), admin, (await dryRun(t.http(), admin, csv(...rows))).body.key);

beforeAll(async () => {
  wx = await startFakeWechat();
  ({ t, county: c } = await startCountyApp({ wechat: { appId: wx.appId, appSecret: wx.appSecret, baseUrl: wx.url } }));
  admin = t.tokenFor((await buildAdmin({ of: c.county, branch: c.branchA })).id);
  await importRows('类甲,13822220001,甲村党支部,正式党员,,,党员,', '类乙,13822220002,甲村党支部,预备党员,,,党员,');
});
afterAll(async () => {
  await t.close();
  await wx.close();
});

test('an imported roster row puts its 人员类别 on the member, and the filter finds them by it', async () => {
  expect(await named('预备党员')).toEqual(['类乙:预备党员']);
  expect(await named('正式党员')).toEqual(['类甲:正式党员']);
});

test('an edited file moves the member to the new category (the roster row and the member agree)', async () => {
  const done = await importRows('类乙,13822220002,甲村党支部,正式党员,,,党员,');
  expect(done.counts).toMatchObject({ updated: 1 });
  expect(await named('预备党员')).toEqual([]);
  expect(await named('正式党员')).toEqual(['类乙:正式党员', '类甲:正式党员']);
});

test('a member imported before the category lived on the user gets it when their row binds, and on re-import', async () => {
  const phone = '13822220001';
  await UserModel.updateOne({ _id: await rosterUser(phone) }, { $unset: { category: '' } });
  expect(await named('正式党员')).toEqual(['类乙:正式党员']);
  const s = (await t.http().post('/api/v1/auth/wechat').send({ code: 'good-lei-jia' })).body as { token: string };
  expect(
    (
      await t
        .http()
        .post('/api/v1/me/roster/phone')
        .set(as(s.token))
        .send({ code: `phone-${phone}` })
    ).status,
  ).toBe(200);
  expect((await t.http().post('/api/v1/me/roster/bind').set(as(s.token))).status).toBe(200);
  expect(await named('正式党员')).toEqual(['类乙:正式党员', '类甲:正式党员']);
  // Re-import of the same file: the legacy member is "updated" once, then unchanged.
  await UserModel.updateOne({ _id: await rosterUser('13822220002') }, { $unset: { category: '' } });
  expect((await importRows('类乙,13822220002,甲村党支部,正式党员,,,党员,')).counts).toMatchObject({ updated: 1 });
  expect((await importRows('类乙,13822220002,甲村党支部,正式党员,,,党员,')).counts).toMatchObject({ unchanged: 1 });
  expect(await named('正式党员')).toEqual(['类乙:正式党员', '类甲:正式党员']);
});

test('an admin edits a member’s 人员类别; a word outside the roster’s is refused and writes nothing', async () => {
  const id = await rosterUser('13822220002');
  const set = (category: string) => t.http().patch(`/api/v1/members/${id}`).set(as(admin)).send({ category });
  expect((await set('预备党员')).status).toBe(200);
  expect(await named('预备党员')).toEqual(['类乙:预备党员']);
  const bad = await set('积极分子');
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body)).toContain('人员类别应为 正式党员 或 预备党员');
  expect((await UserModel.findById(id).lean())?.category).toBe('预备党员');
});
