/**
 * @slow A big scope's board is trimmed in small steps (issue 17): before, the award that filled a board to twice its
 * capacity re-read every cut row's total at once (~120 key reads per board, ~405 commands for one award in the
 * benchmark). Now a trim cuts at most a step of rows, so no award sends more than a bounded number of commands,
 * and the board still equals the order of the totals.
 */
import { periodId } from '@pioneer/shared';
import { setSharedViewMs } from '../src/db/shared-view';
import { startTestApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildCounty } from './support/factories';
import { withCommandCount } from '../src/db/engine-commands';
import { BOARD_CAPACITY } from '../src/modules/points/board';
import { MemberTotalsModel } from '../src/modules/points/points.model';
import { awardPoints } from '../src/modules/points/points.service';
import { UserModel } from '../src/modules/users/users.model';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => {
  setSharedViewMs(0);
  return t.close();
});

/**
 * One award's commands at most: the points path with its boards (~8: no scope or board read first, every reached
 * board in one bulk write), the county's floors and org names read once, and one trim per award: a read, the cut
 * (whose before-image shows rows raised meanwhile) and a put-back (before: a key read of each cut row's member, 24).
 */
const MOST_PER_AWARD = 8 + 2 + 3;

test('when awards push a big scope past its boards, then no award pays for a whole trim and the board equals the totals', async () => {
  const county = await buildCounty();
  const n = BOARD_CAPACITY * 2 + 40;
  const orgPath = [...county.branchA.path, county.branchA.id];
  const ids = Array.from({ length: n }, (_, i) => `trim${String(i).padStart(4, '0')}`);
  await UserModel.insertMany(
    ids.map((id, i) => ({ _id: id, name: `党员${i}`, roles: ['member'], orgId: county.branchA.id, orgPath })),
  );
  // Distinct scores in a shuffled order, 8 at a time; every award's engine commands counted.
  const order = ids
    .map((id, i) => ({ id, points: i + 1 }))
    .sort((a, b) => ((a.points * 7919) % 257) - ((b.points * 7919) % 257));
  let most = 0;
  // With shared views on, as deployed: big boards are judged on the view this process holds (no read per offer).
  setSharedViewMs(2000);
  for (let i = 0; i < order.length; i += 8)
    await Promise.all(
      order.slice(i, i + 8).map(async ({ id, points }) => {
        const { commands } = await withCommandCount(() =>
          awardPoints({
            userId: id,
            reason: 'manual_adjustment',
            points,
            refType: 'test',
            refId: id,
            idempotencyKey: `trim|${id}`,
          }),
        );
        most = Math.max(most, commands);
      }),
    );
  expect(most).toBeLessThanOrEqual(MOST_PER_AWARD);
  setSharedViewMs(0);

  const key = `${periodId('month', new Date())}|${county.county.id}`;
  const docs = await MemberTotalsModel.find({}).lean<{ _id: string; t: Record<string, number> }[]>();
  const truth = docs
    .filter((d) => d.t[key] !== undefined)
    .map((d) => [d._id, d.t[key]!] as [string, number])
    .sort((a, b) => b[1] - a[1])
    .slice(0, 100);
  const admin = ids[0]!;
  await UserModel.updateOne({ _id: admin }, { $set: { roles: ['member', 'admin'], adminOrgId: county.county.id } });
  const res = await t
    .http()
    .get('/api/v1/leaderboards/members')
    .query({ scope: county.county.id, period: 'month', limit: 100 })
    .set(bearer(t, admin));
  expect(res.status).toBe(200);
  expect(res.body.items.map((i: { userId: string; points: number }) => [i.userId, i.points])).toEqual(truth);
}, 600_000);
