/**
 * @slow 承诺墙 pages (issue 17 target 5): a page is one stored document, kept by the writers of everything a card
 * shows (the commitment's moves, the member's name, 亮身份 and branch, an account closed). After a storm of
 * concurrent moves the pages say what commitments:rebuild computes from the source documents; a stop between a
 * wall's head and its pages is repaired at start-up; no stored card holds a full phone number.
 */
import path from 'node:path';
import mongoose from 'mongoose';
import type { Commitment, MyCommitment, WallPage } from '@pioneer/shared';
import { CLOSED_MEMBER_NAME } from '@pioneer/shared/src/privacy';
import { currentYear } from '../src/modules/commitments/commitments.service';
import { rebuildCommitmentWalls, repairWalls } from '../src/jobs/commitments-rebuild';
import { indexKey, walls } from '../src/modules/commitments/wall-pages';
import { placeInBranch } from '../src/modules/users/users.service';
import { closeAccount } from '../src/modules/privacy/closure.service';
import { OrgModel } from '../src/modules/orgs/orgs.model';
import { UserModel } from '../src/modules/users/users.model';
import { startCountyApp, type TestApp } from './support/harness';
import { buildAdmin, buildCounty, buildMember, buildSecretary, type County } from './support/factories';
import { bearer, client } from './support/client';

let t: TestApp;
const year = currentYear();
const as = (id: string) => client(t, id);
const post = (userId: string, id: string, action: string, body: object = {}) =>
  t
    .http()
    .post(`/api/v1/commitments/${encodeURIComponent(id)}/${action}`)
    .set(bearer(t, userId))
    .send(body);

async function approved(userId: string, secretaryId: string): Promise<Commitment> {
  const res = await as(userId).put('/commitments/mine', { year, items: [{ text: `承诺${userId.slice(-4)}` }] });
  const c = (res.body as MyCommitment).commitment!;
  expect((await post(userId, c.id, 'submit')).status).toBe(200);
  expect((await post(secretaryId, c.id, 'review', { decision: 'approve' })).status).toBe(200);
  return c;
}

/** Every page of a wall as served, walked by its cursor. */
async function served(viewer: string, orgId: string, limit: number) {
  const pages: WallPage[] = [];
  let cursor: string | null = '';
  while (cursor !== null) {
    const res = await as(viewer).get(
      `/commitments/wall?org=${orgId}&year=${year}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(res.status).toBe(200);
    pages.push(res.body as WallPage);
    cursor = (res.body as WallPage).nextCursor;
  }
  return pages;
}

let county: County;
let admin: { id: string };
beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  admin = await buildAdmin({ of: county.county, branch: county.branchB });
});
afterAll(() => t.close());

const orgsOf = () => [county.county, county.townA, county.townB, county.branchA, county.branchB];
/** Every wall as served, without when each page was read (`asOf`: the moment of the read, not its content). */
const snapshot = async () =>
  (await Promise.all(orgsOf().flatMap((o) => [20, 3].map((limit) => served(admin.id, o.id, limit))))).map((pages) =>
    pages.map(({ asOf: _read, ...page }) => page),
  );

test('after a storm of concurrent approvals, progress, name, 亮身份 and branch changes, the rebuild equals the live pages', async () => {
  const secA = await buildSecretary(county.branchA);
  const secB = await buildSecretary(county.branchB);
  const sec = (b: typeof county.branchA) => (b === county.branchA ? secA : secB).id;
  const placed = await Promise.all(
    Array.from({ length: 16 }, (_, i) => {
      const branch = i % 2 ? county.branchB : county.branchA;
      return buildMember({ branch, name: `墙${i}`, contact: `1391234${String(5600 + i)}` }).then((m) => ({
        ...m,
        branch,
      }));
    }),
  );
  const first = placed.slice(0, 8);
  const commits: Commitment[] = [];
  for (const m of first) commits.push(await approved(m.id, sec(m.branch)));
  await Promise.all([
    ...placed.slice(8).map((m) => approved(m.id, sec(m.branch))),
    // A member's own notes one after the other (two at once on one commitment: one may get a clean 409).
    ...first.map(async (m, i) => {
      for (const k of [1, 2])
        expect((await post(m.id, commits[i]!.id, 'progress', { text: `践诺${i}-${k}` })).status).toBe(201);
    }),
    ...first.slice(0, 4).map((m, i) => as(m.id).patch('/me', { name: `改名${i}`, identity: { dutyTitle: '网格员' } })),
    placeInBranch(first[4]!.id, county.branchA2.id),
    placeInBranch(placed[1]!.id, county.branchA2.id),
  ]);
  // And after the storm, with nothing else moving: a name, a duty and a branch change alone reach the cards.
  expect((await as(first[5]!.id).patch('/me', { name: '后改名', identity: { dutyTitle: '网格员' } })).status).toBe(200);
  await placeInBranch(first[6]!.id, county.branchA2.id);
  const live = await snapshot();

  // What the sources say: every member once, newest progress first, with today's name, duty and branch.
  const county20 = live[0]!.flatMap((p) => p.items);
  expect(live[0]![0]!.total).toBe(16);
  expect(county20).toHaveLength(16);
  const users = new Map(
    (await UserModel.find({ _id: { $in: placed.map((m) => m.id) } }).lean()).map((u) => [u._id, u]),
  );
  const branches = new Map((await OrgModel.find({}).lean()).map((o) => [o._id as string, o.name as string]));
  for (const { card } of county20) {
    const u = users.get(card.userId)!;
    expect(card.name).toBe(u.name);
    expect(card.branch).toBe(branches.get(u.orgId!));
    expect(card.contact).toMatch(/^139\*\*\*\*56\d\d$/);
  }
  expect(county20.filter((c) => c.card.dutyTitle === '网格员')).toHaveLength(5);
  expect(county20.find((c) => c.card.userId === first[5]!.id)?.card.name).toBe('后改名');
  expect(county20.find((c) => c.card.userId === first[6]!.id)?.card.branch).toBe('甲村第二党支部');
  const latest = county20.map((c) =>
    Math.max(...[c.commitment.reviewedAt!, ...c.commitment.progress.map((p) => p.at)].map(Date.parse)),
  );
  expect([...latest].sort((a, b) => b - a)).toEqual(latest);
  expect(county20.filter((c) => c.commitment.progress.length === 2)).toHaveLength(8);

  await rebuildCommitmentWalls();
  expect(await snapshot()).toEqual(live);

  // Masked at rest too: no stored card or page holds a full number.
  for (const name of ['commitment_cards', 'commitment_wall_pages']) {
    const raw = JSON.stringify(await mongoose.connection.collection(name).find({}).toArray());
    expect(raw).toContain('139****56');
    expect(raw).not.toMatch(/1391234\d{4}/);
  }
}, 180_000);

test('a closed account shows as 已注销党员 with no photo or contact, and a renamed branch shows its new name', async () => {
  const c = await buildCounty();
  const sec = await buildSecretary(c.branchA);
  const m = await buildMember({ branch: c.branchA, name: '将注销', contact: '13712345678' });
  await approved(m.id, sec.id);
  await closeAccount(m.id, path.join(t.config.dataDir, 'closure-test'));
  await OrgModel.updateOne({ _id: c.branchA.id }, { $set: { name: '甲村新党支部' } });
  const [page] = await served(sec.id, c.branchA.id, 20);
  expect(page!.items.map((i) => i.card)).toEqual([
    expect.objectContaining({ name: CLOSED_MEMBER_NAME, photoUrl: null, contact: null, branch: '甲村新党支部' }),
  ]);
  expect(JSON.stringify(page)).not.toContain('将注销');
});

test('when a stop fell between a wall head and its pages, the start-up repair writes the pages the head says', async () => {
  const c = await buildCounty();
  const sec = await buildSecretary(c.branchA);
  const a = await buildMember({ branch: c.branchA, name: '先' });
  const b = await buildMember({ branch: c.branchA, name: '后' });
  await approved(a.id, sec.id);
  await approved(b.id, sec.id);
  const names = async () => (await served(sec.id, c.branchA.id, 20))[0]!.items.map((i) => i.card.name);
  expect(await names()).toEqual(['后', '先']);
  // The head of the branch moved (先 active now), the process stopped before its pages.
  await walls().updateOne(
    { _id: indexKey(c.branchA.id, year) },
    { $max: { [`members.${a.id}`]: Date.now() + 60_000 }, $inc: { v: 1 }, $set: { 'dirty.stopped': Date.now() } },
  );
  expect(await names()).toEqual(['后', '先']);
  expect(await repairWalls()).toBeGreaterThanOrEqual(1);
  expect(await names()).toEqual(['先', '后']);
  expect((await walls().findOne({ _id: indexKey(c.branchA.id, year) }))?.dirty).toEqual({});
});
