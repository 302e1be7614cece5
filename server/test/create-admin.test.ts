import { startTestApp, type TestApp } from './support/harness';
import { createCountyAdmin } from '../src/jobs/create-admin';
import { OrgModel } from '../src/modules/orgs/orgs.model';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('admin:create', () => {
  test('when run on an empty database, then the county and its admin exist and the admin can sign in and build the tree', async () => {
    const created = await createCountyAdmin({ county: '新县', openid: 'wx-admin-1', name: '组织部长' });
    const again = await createCountyAdmin({ county: '新县', openid: 'wx-admin-1', name: '组织部长' });
    expect(again).toEqual(created);
    expect(await OrgModel.countDocuments({ type: 'county' })).toBe(1);
    const login = await t.http().post('/api/v1/auth/dev').send({ openid: 'wx-admin-1' });
    expect(login.body.user).toMatchObject({ name: '组织部长', adminOrg: { id: created.countyId, name: '新县' } });
    const town = await t
      .http()
      .post('/api/v1/orgs')
      .set('authorization', `Bearer ${login.body.token}`)
      .send({ name: '一镇', type: 'township', parentId: created.countyId });
    expect(town.status).toBe(201);
  });
});
