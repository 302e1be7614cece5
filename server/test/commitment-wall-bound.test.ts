/**
 * @slow Walls above the branch stay bounded: a county wall keeps the WALL_RECENT most recent members (trimmed once it
 * passes twice that) while its total still counts every approved member, from the per-branch counts.
 */
import { startCountyApp, type TestApp } from './support/harness';
import type { County } from './support/factories';
import {
  indexKey,
  layoutOf,
  pageCard,
  readSlice,
  readWall,
  WALL_RECENT,
  walls,
  writePages,
  type WallDoc,
} from '../src/modules/commitments/wall-pages';
import type { StoredCard } from '../src/modules/commitments/cards';
import { putCard } from '../src/modules/commitments/card-writes';

let t: TestApp;
let county: County;
const YEAR = 2026;

/** What touchWall reads of a card: its member, year, org path, activity and version. */
const approvedIn = (branch: { id: string; path: string[] }, userId: string, at: Date) =>
  ({
    u: userId,
    v: at.getTime(),
    at: at.getTime(),
    orgPath: [...branch.path, branch.id],
    card: { userId, name: userId },
    commitment: { year: YEAR },
  }) as StoredCard;

beforeAll(async () => ({ t, county } = await startCountyApp()));
afterAll(() => t.close());

/**
 * What the live touches leave for `cards` while no wall has passed twice WALL_RECENT (nothing trimmed yet), written
 * in bulk: a touch rewrites the pages it shifts, so hundreds of touches one by one would take minutes here.
 */
async function seedUntrimmed(cards: StoredCard[]) {
  const heads = new Map<string, WallDoc>();
  const perBranch = new Map<string, number>();
  for (const c of cards) perBranch.set(c.orgPath.at(-1)!, (perBranch.get(c.orgPath.at(-1)!) ?? 0) + 1);
  for (const c of cards)
    c.orgPath.forEach((orgId, i) => {
      const _id = indexKey(orgId, YEAR);
      const head = heads.get(_id) ?? heads.set(_id, { _id, members: {}, cv: {}, v: 1 }).get(_id)!;
      head.members![c.u] = c.at;
      head.cv![c.u] = c.v;
      if (i < c.orgPath.length - 1) (head.counts ??= {})[c.orgPath.at(-1)!] = perBranch.get(c.orgPath.at(-1)!)!;
    });
  await walls().insertMany([...heads.values()]);
  const held = new Map(cards.map((c) => [c.u, pageCard(c)]));
  for (const head of heads.values())
    await writePages(
      head._id.split('|')[0]!,
      YEAR,
      head,
      layoutOf(head).pages.map((_, i) => i),
      new Map(held),
    );
}

test('when more than twice WALL_RECENT members are approved, then the county wall keeps the latest WALL_RECENT and the total counts all', async () => {
  const n = 2 * WALL_RECENT + 1;
  const t0 = Date.UTC(2026, 0, 1);
  const card = (i: number) =>
    approvedIn(
      i % 3 === 0 ? county.branchB : county.branchA,
      `m${String(i).padStart(4, '0')}`,
      new Date(t0 + i * 60_000),
    );
  const live = 12;
  await seedUntrimmed(Array.from({ length: n - live }, (_, i) => card(i)));
  // The last ones through touchWall, some at once: the county wall passes twice WALL_RECENT and is trimmed.
  for (let i = n - live; i < n; i += 4) await Promise.all([i, i + 1, i + 2, i + 3].map((k) => putCard(card(k))));
  const wall = await readWall(county.county.id, YEAR);
  expect(wall.total).toBe(n);
  const kept = Object.keys(wall.members).sort();
  expect(kept).toHaveLength(WALL_RECENT);
  // The latest ones: members n - WALL_RECENT .. n - 1.
  expect(kept[0]).toBe(`m${String(n - WALL_RECENT).padStart(4, '0')}`);
  // Its pages show the latest WALL_RECENT, newest first, and stop there.
  const top = await readSlice(county.county.id, YEAR, 0, 20);
  expect(top.cards.map((c) => c.u)[0]).toBe(`m${String(n - 1).padStart(4, '0')}`);
  expect([top.total, top.n]).toEqual([n, WALL_RECENT]);
  const lastPage = await readSlice(county.county.id, YEAR, WALL_RECENT - 20, 20);
  expect(lastPage.cards.map((c) => c.u).at(-1)).toBe(`m${String(n - WALL_RECENT).padStart(4, '0')}`);
  // A branch wall is whole.
  const branchA = await readWall(county.branchA.id, YEAR);
  expect(Object.keys(branchA.members)).toHaveLength(branchA.total);
  expect(branchA.total + (await readWall(county.branchB.id, YEAR)).total).toBe(n);
  expect((await walls().findOne({ _id: indexKey(county.townA.id, YEAR) }))?.counts).toEqual({
    [county.branchA.id]: branchA.total,
  });
}, 180_000);

test('when the same member is touched again (a retry, a new progress note), then the total does not change', async () => {
  const before = (await readWall(county.county.id, YEAR)).total;
  await putCard(approvedIn(county.branchB, 'm0000', new Date())); // m0000 is in branch B (0 % 3)
  const after = await readWall(county.county.id, YEAR);
  expect(after.total).toBe(before);
  expect(Object.keys(after.members)).toContain('m0000');
});
