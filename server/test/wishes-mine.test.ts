import type { Wish, WishPage } from '@pioneer/shared';
import { startTestApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildCounty, buildMember } from './support/factories';

/** Issue 15: a wish I claimed was nowhere in 我的认领. `GET /wishes?mine=true` lists what I claimed, and only that. */
let t: TestApp;
const auth = (id: string) => bearer(t, id);
const post = (userId: string, path: string, body: object = {}) =>
  t.http().post(`/api/v1${path}`).set(auth(userId)).send(body);
const mine = async (userId: string) =>
  ((await t.http().get('/api/v1/wishes?mine=true').set(auth(userId)).expect(200)).body as WishPage).items;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

test('when I claim a wish, then it is in my list (claimed, then fulfilled) and in nobody else’s', async () => {
  const county = await buildCounty();
  const secretary = await buildMember({ branch: county.branchA, roles: ['member', 'secretary'] });
  const [me, other] = [await buildMember({ branch: county.branchA }), await buildMember({ branch: county.branchA })];
  const wishes: Wish[] = [];
  for (const title of ['想要一台收音机', '想学用智能手机']) {
    const w = await post(secretary.id, '/wishes', {
      title,
      description: '独居老人',
      residentName: '王大妈',
      orgId: county.branchA.id,
    });
    wishes.push(w.body as Wish);
  }
  expect(await mine(me.id)).toEqual([]);
  await post(me.id, `/wishes/${wishes[0]!.id}/claim`).expect(200);
  await post(other.id, `/wishes/${wishes[1]!.id}/claim`).expect(200);
  expect((await mine(me.id)).map((w) => [w.id, w.status, w.mine])).toEqual([[wishes[0]!.id, 'claimed', true]]);
  await post(me.id, `/wishes/${wishes[0]!.id}/fulfil`, { note: '已送到家' }).expect(200);
  expect((await mine(me.id)).map((w) => w.status)).toEqual(['fulfilled']);
  expect((await mine(other.id)).map((w) => w.id)).toEqual([wishes[1]!.id]);
});
