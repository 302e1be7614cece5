import pino from 'pino';
import { startTestApp, type TestApp } from './support/harness';
import { buildAdmin, buildCounty, buildMember, buildOrg } from './support/factories';
import { reconcileAll } from '../src/jobs/reconcile-all';
import { OrgModel } from '../src/modules/orgs/orgs.model';
import { MOVE_BATCH, OrgMoveModel } from '../src/modules/orgs/org-move';
import { moveOrg } from '../src/modules/orgs/org-tree.service';
import { UserModel } from '../src/modules/users/users.model';
import { AuditModel } from '../src/modules/audit/audit.model';
import { loadSessionUser } from '../src/modules/users/users.service';

/** 组织架构 (issue 14): a process stopping in the middle of an org move is finished by the start-up repairs. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

test('a move stopped after its first batch is finished at start-up: every path, count and the audit line follow', async () => {
  const county = await buildCounty();
  const admin = await buildAdmin({ of: county.county, branch: county.branchA });
  const town1 = await buildOrg('township', '断电迁出镇', county.county);
  const town2 = await buildOrg('township', '断电迁入镇', county.county);
  const village = await buildOrg('village', '断电村', town1);
  const branch = await buildOrg('branch', '断电村党支部', village);
  const n = MOVE_BATCH * 2 + 10;
  for (let i = 0; i < n; i += 10)
    await Promise.all(Array.from({ length: 10 }, (_, k) => buildMember({ branch, name: `断${i + k}` })));

  // The "crash": the process stops right after the first batch of members is re-pathed.
  const crash = new Error('stopped');
  await expect(
    moveOrg((await loadSessionUser(admin.id))!, village.id, { parentId: town2.id }, () => {
      throw crash;
    }),
  ).rejects.toBe(crash);
  expect(await UserModel.countDocuments({ orgPath: town2.id })).toBe(MOVE_BATCH);
  expect(await UserModel.countDocuments({ orgPath: town1.id })).toBe(n - MOVE_BATCH);
  expect((await OrgModel.findById(village.id).lean())?.parentId).toBe(town1.id);
  expect(await OrgMoveModel.countDocuments({ _id: village.id })).toBe(1);

  // Start-up (main.ts) runs the repairs before serving.
  await reconcileAll(pino({ level: 'silent' }));

  const newPath = [county.county.id, town2.id];
  expect(await OrgModel.findById(village.id).lean()).toMatchObject({ parentId: town2.id, path: newPath });
  expect((await OrgModel.findById(branch.id).lean())?.path).toEqual([...newPath, village.id]);
  expect(await UserModel.countDocuments({ orgPath: town1.id })).toBe(0);
  const moved = await UserModel.find({ orgPath: village.id }).lean();
  expect(moved).toHaveLength(n);
  for (const u of moved) expect(u.orgPath).toEqual([...newPath, village.id, branch.id]);
  expect((await OrgModel.findById(town1.id).lean())?.memberCount).toBe(0);
  expect((await OrgModel.findById(town2.id).lean())?.memberCount).toBe(n);
  expect(await OrgMoveModel.countDocuments({ _id: village.id })).toBe(0);
  expect(await AuditModel.find({ action: 'org.move', targetId: village.id }).lean()).toEqual([
    expect.objectContaining({ actorId: admin.id, details: expect.objectContaining({ parentId: town2.id }) }),
  ]);
  // A second start-up finds nothing left to do.
  await reconcileAll(pino({ level: 'silent' }));
  expect(await AuditModel.countDocuments({ action: 'org.move', targetId: village.id })).toBe(1);
});
