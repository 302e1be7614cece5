/**
 * @slow Boards at capacity: once a board has been trimmed, an award whose new score is below its floor skips it (the
 * county's floors document says it cannot be on it: no read of the scope or the board), and the board pages still
 * equal the order of the totals.
 */
import { periodId } from '@pioneer/shared';
import { startTestApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildCounty, buildMember } from './support/factories';
import { TRIM_AT } from '../src/modules/points/board';
import { BoardModel, MemberTotalsModel } from '../src/modules/points/points.model';
import { readStoredBoard } from '../src/modules/points/board-blocks';
import { givePoints } from './support/points-helpers';
import { scopeWritesLanded } from '../src/modules/points/scope-writes';
import { rebuildPoints } from '../src/jobs/points-rebuild';

let t: TestApp;
let county: Awaited<ReturnType<typeof buildCounty>>;
let members: { id: string }[];
const auth = (id: string) => bearer(t, id);
/** An award, and its scope write landed (it runs after the reply): the tests read the stored board. */
const give = async (userId: string, points: number, tag: string) => {
  await givePoints(userId, points, `cap|${tag}|${userId}`, { refId: tag });
  await scopeWritesLanded();
};
const boardKey = () => `${periodId('month', new Date())}|${county.branchA.id}`;
/** The board as stored (its blocks merged): its rows and its floor. */
async function stored(): Promise<{ m: Record<string, string>; floor: number | null }> {
  const { rows, floor } = await readStoredBoard(boardKey());
  return { m: Object.fromEntries([...rows].map(([u, r]) => [u, r.row])), floor };
}

async function truth(limit: number) {
  const key = boardKey();
  const docs = await MemberTotalsModel.find({}).lean<
    { _id: string; t: Record<string, number>; r: Record<string, number> }[]
  >();
  const totals = docs
    .filter((d) => d.t[key] !== undefined)
    .map((d) => ({ userId: d._id, points: d.t[key]!, reachedAt: d.r[key]! }));
  totals.sort((a, b) => b.points - a.points || a.reachedAt - b.reachedAt);
  return totals.slice(0, limit).map((x) => [x.userId, x.points]);
}

async function page(limit: number) {
  const res = await t
    .http()
    .get('/api/v1/leaderboards/members')
    .query({ scope: county.branchA.id, period: 'month', limit })
    .set(auth(members[0]!.id));
  expect(res.status).toBe(200);
  return res.body.items.map((i: { userId: string; points: number }) => [i.userId, i.points]);
}

beforeAll(async () => {
  t = await startTestApp();
  county = await buildCounty();
  // Past the size at which a board is trimmed (its rows written without a read are counted), and more: its floor set.
  const n = TRIM_AT + 40;
  members = await Promise.all(
    Array.from({ length: n }, (_, i) => buildMember({ branch: county.branchA, name: `党员${i}` })),
  );
  // Scores 1..n (distinct), awarded in a shuffled order, 10 at a time.
  const order = members
    .map((m, i) => ({ m, points: i + 1 }))
    .sort((a, b) => ((a.points * 7919) % 101) - ((b.points * 7919) % 101));
  for (let i = 0; i < order.length; i += 10)
    await Promise.all(order.slice(i, i + 10).map(({ m, points }) => give(m.id, points, 'seed')));
}, 240_000);
afterAll(() => t.close());

test('when a member below the floor of a trimmed board earns a point, then the board document is not touched', async () => {
  const low = members[0]!; // 1 point: last
  const before = await stored();
  await give(low.id, 1, 'low');
  const after = await stored();
  // Unchanged, even though the member may have a row from an earlier score: it sorts below every page served.
  expect(after).toEqual(before);
  expect(await page(100)).toEqual(await truth(100));
});

test('when the board page is read after awards in every order, then it equals the totals, top 100', async () => {
  expect(await page(100)).toEqual(await truth(100));
});

test('when a member climbs from below the capacity into the top 10, then the board shows them at their new score', async () => {
  const climber = members[3]!;
  await give(climber.id, 500, 'climb');
  const top = await page(10);
  expect(top[0]).toEqual([climber.id, 504]);
  expect(top).toEqual(await truth(10));
});

test('when the top member is adjusted down, then the board never shows more than their total', async () => {
  const leader = members[3]!;
  await give(leader.id, -400, 'down');
  expect(await page(100)).toEqual(await truth(100));
});

test('when points:rebuild rewrote the boards, then their floors are on the county document and a member below one leaves it untouched', async () => {
  await rebuildPoints();
  const before = await stored();
  expect(before?.floor).toEqual(expect.any(Number));
  const floors = await BoardModel.collection.findOne<{ f: Record<string, Record<string, number>> }>({
    _id: `floors|${county.county.id}` as never,
  });
  expect(floors?.f[periodId('month', new Date())]?.[county.branchA.id]).toBe(before?.floor);
  const low = members[1]!; // 2 points: far below the floor
  await give(low.id, 1, 'low-after-rebuild');
  expect(await stored()).toEqual(before);
  expect(await page(100)).toEqual(await truth(100));
});

test('when a member only ties the floor of a full board, then no row is written: they sort after the rows trimmed at it', async () => {
  const before = await stored();
  const floor = before.floor!;
  const docs = await MemberTotalsModel.find({}).lean<{ _id: string; t: Record<string, number> }[]>();
  const below = docs.find((d) => (d.t[boardKey()] ?? Infinity) < floor)!;
  // Reaching the floor's score now, later than every member already at it: a rebuild would not keep them either.
  await give(below._id, floor - below.t[boardKey()]!, 'tie');
  expect(await stored()).toEqual(before);
  expect(await page(100)).toEqual(await truth(100));
  // A point more puts them above the floor: on the board.
  await give(below._id, 1, 'above');
  const after = await stored();
  expect(Object.keys(after.m)).toContain(below._id);
  expect(await page(100)).toEqual(await truth(100));
});
