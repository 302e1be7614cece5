/**
 * @slow Walls above the branch stay bounded: a county wall keeps the WALL_RECENT most recent members (trimmed once it
 * passes twice that) while its total still counts every approved member, from the per-branch counts.
 */
import { startTestApp, type TestApp } from './support/harness';
import { buildCounty } from './support/factories';
import {
  indexKey,
  readWall,
  touchWall,
  WALL_RECENT,
  walls,
  type CommitmentDoc,
} from '../src/modules/commitments/commitments.store';

let t: TestApp;
let county: Awaited<ReturnType<typeof buildCounty>>;
const YEAR = 2026;

/** What touchWall reads of a commitment: its member, year and org path. */
const approvedIn = (branch: { id: string; path: string[] }, userId: string) =>
  ({ userId, year: YEAR, orgPath: [...branch.path, branch.id] }) as unknown as CommitmentDoc;

beforeAll(async () => {
  t = await startTestApp();
  county = await buildCounty();
});
afterAll(() => t.close());

test('when more than twice WALL_RECENT members are approved, then the county wall keeps the latest WALL_RECENT and the total counts all', async () => {
  const n = 2 * WALL_RECENT + 1;
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < n; i += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, n - i) }, (_, k) => {
        const branch = (i + k) % 3 === 0 ? county.branchB : county.branchA;
        return touchWall(approvedIn(branch, `m${String(i + k).padStart(4, '0')}`), new Date(t0 + (i + k) * 60_000));
      }),
    );
  }
  const wall = await readWall(county.county.id, YEAR);
  expect(wall.total).toBe(n);
  const kept = Object.keys(wall.members).sort();
  expect(kept).toHaveLength(WALL_RECENT);
  // The latest ones: members n - WALL_RECENT .. n - 1.
  expect(kept[0]).toBe(`m${String(n - WALL_RECENT).padStart(4, '0')}`);
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
  await touchWall(approvedIn(county.branchB, 'm0000'), new Date()); // m0000 is in branch B (0 % 3)
  const after = await readWall(county.county.id, YEAR);
  expect(after.total).toBe(before);
  expect(Object.keys(after.members)).toContain('m0000');
});
