/**
 * The orgs' subtree documents (issue 18): what the 数据看板 reads by key instead of scanning the orgs. Kept as orgs
 * are created, renamed, moved and dissolved and as members come and go — after concurrent member moves, an org move
 * and an org created and dissolved, every document equals one recomputed from the orgs and a recount of members.
 */
import { client } from './support/client';
import { startCountyApp, type TestApp } from './support/harness';
import { buildAdmin, buildMember, buildOrg, type County } from './support/factories';
import { ACTIVE_MEMBER } from '../src/modules/orgs/org-move';
import { OrgModel, type OrgDoc } from '../src/modules/orgs/orgs.model';
import { subtreesOf } from '../src/modules/orgs/subtree';
import { SubtreeModel } from '../src/modules/orgs/subtree.model';
import { placeInBranch } from '../src/modules/users/users.service';
import { UserModel, type UserDoc } from '../src/modules/users/users.model';

let t: TestApp;
let c: County;
let admin: { id: string };
const as = (id: string) => client(t, id);

beforeAll(async () => {
  ({ t, county: c } = await startCountyApp());
  admin = await buildAdmin({ of: c.county, branch: await buildOrg('agency', '县委组织部', c.county) });
});
afterAll(() => t.close());

/** What every subtree document should say: from the orgs, with each memberCount recounted from the members. */
async function expected() {
  const orgs = await OrgModel.find({ $or: [{ _id: c.county.id }, { path: c.county.id }] }).lean<OrgDoc[]>();
  for (const o of orgs) o.memberCount = await UserModel.countDocuments({ orgPath: o._id, ...ACTIVE_MEMBER });
  const cadres = await UserModel.find({ roles: 'cadre', orgPath: c.county.id }).lean<UserDoc[]>();
  const norm = (d: object) => JSON.parse(JSON.stringify(d)) as unknown;
  return subtreesOf(orgs, cadres, 20)
    .map((d) => norm({ ...d, req: undefined }))
    .sort((a, b) => String((a as { _id: string })._id).localeCompare(String((b as { _id: string })._id)));
}
async function stored() {
  const docs = await SubtreeModel.find({}).sort({ _id: 1 }).lean();
  return docs.map((d) => JSON.parse(JSON.stringify({ ...d, req: undefined })) as unknown);
}

test('created orgs, members and a rename are in their ancestors’ documents', async () => {
  const res = await as(admin.id).post('/orgs', { parentId: c.villageB.id, type: 'branch', name: '乙村第二支部' });
  expect(res.status).toBe(201);
  await buildMember({ branch: { id: res.body.id, name: '', path: [c.county.id, c.townB.id, c.villageB.id] } });
  expect((await as(admin.id).patch(`/orgs/${c.townB.id}`, { name: '乙镇' })).status).toBe(200);
  const county = await SubtreeModel.findById(c.county.id).lean();
  expect(county!.kids[c.townB.id]).toEqual({ name: '乙镇', type: 'township', m: 1 });
  expect(county!.branches[res.body.id]).toEqual([c.county.id, c.townB.id, c.villageB.id]);
  expect(await stored()).toEqual(await expected());
});

test('concurrent member moves, an org move, an org dissolved: every document equals a recount', async () => {
  const branches = [c.branchA, c.branchA2, c.branchB];
  const people = await Promise.all(Array.from({ length: 12 }, (_, i) => buildMember({ branch: branches[i % 3]! })));
  // Twelve members change branch at once, some twice; a few cadres among them.
  await UserModel.updateMany({ _id: { $in: people.slice(0, 3).map((p) => p.id) } }, { $addToSet: { roles: 'cadre' } });
  await Promise.all(people.map((p, i) => placeInBranch(p.id, branches[(i + 1) % 3]!.id)));
  await Promise.all(people.slice(0, 6).map((p, i) => placeInBranch(p.id, branches[(i + 2) % 3]!.id)));
  // Kept as they moved (no rebuild has run yet).
  expect(await stored()).toEqual(await expected());
  // 甲村 (with its two branches) moves under 乙乡; an empty org is created and dissolved.
  expect((await as(admin.id).post(`/orgs/${c.villageA.id}/move`, { parentId: c.townB.id })).status).toBe(200);
  const spare = await as(admin.id).post('/orgs', { parentId: c.townA.id, type: 'village', name: '空村' });
  expect((await as(admin.id).delete(`/orgs/${spare.body.id}`)).status).toBe(204);
  const docs = await stored();
  expect(docs).toEqual(await expected());
  const townB = (await SubtreeModel.findById(c.townB.id).lean())!;
  expect(Object.keys(townB.kids).sort()).toEqual([c.villageA.id, c.villageB.id].sort());
  expect(townB.self.m).toBe(await UserModel.countDocuments({ orgPath: c.townB.id, ...ACTIVE_MEMBER }));
  expect(await SubtreeModel.findById(spare.body.id).lean()).toBeNull();
});
