import { startCountyApp, type TestApp } from './support/harness';
import { buildAdmin, buildCounty, buildMember, type County } from './support/factories';
import { givePoints } from './support/points-helpers';
import { SettingModel } from '../src/modules/settings/settings.model';
import { client } from './support/client';

let t: TestApp;
let county: County;
const as = (id: string) => client(t, id);

async function give(userId: string, points: number, at: Date, tag: string) {
  await givePoints(userId, points, `lb|${tag}|${userId}`, { refId: tag, at });
}

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  // These tests read boards across the county: open them to everyone in scope (the default is own branch only).
  await SettingModel.create({ _id: `ranking|${county.county.id}`, visibility: 'scope' });
});
afterAll(() => t.close());

describe('member leaderboard', () => {
  let a: { id: string }, b: { id: string }, c: { id: string }, d: { id: string }, e: { id: string };

  beforeAll(async () => {
    [a, b, c, d, e] = await Promise.all(
      [county.branchA, county.branchA, county.branchA2, county.branchB, county.branchA].map((branch, i) =>
        buildMember({ branch, name: `成员${'甲乙丙丁戊'[i]}` }),
      ),
    );
    const t0 = Date.now() - 60_000;
    // b reaches 10 before c does; both tie on 10.
    await give(a.id, 15, new Date(t0), 'a');
    await give(b.id, 10, new Date(t0 + 1000), 'b');
    await give(c.id, 10, new Date(t0 + 2000), 'c');
    await give(d.id, 4, new Date(t0 + 3000), 'd');
  });

  test('when the county board is read, then ties share a rank (1, 2, 2, 4) and are listed in the order they reached the score', async () => {
    const res = await as(a.id).get('/leaderboards/members').query({ scope: county.county.id, period: 'month' });
    expect(res.status).toBe(200);
    expect(
      res.body.items.map((i: { userId: string; rank: number; points: number }) => [i.userId, i.rank, i.points]),
    ).toEqual([
      [a.id, 1, 15],
      [b.id, 2, 10],
      [c.id, 2, 10],
      [d.id, 4, 4],
    ]);
    expect(res.body.items[0]).toMatchObject({ name: '成员甲', orgName: '甲村党支部' });
    expect(res.body.me).toEqual({ rank: 1, points: 15 });
  });

  test('when the board of one branch is read, then only its members are on it', async () => {
    const res = await as(b.id).get('/leaderboards/members').query({ scope: county.branchA.id, period: 'all' });
    expect(res.body.items.map((i: { userId: string }) => i.userId)).toEqual([a.id, b.id]);
    expect(res.body.me).toEqual({ rank: 2, points: 10 });
  });

  test('when only my rank is asked for (limit 0, as 首页 does), then it comes without board rows', async () => {
    const res = await as(b.id)
      .get('/leaderboards/members')
      .query({ scope: county.branchA.id, period: 'all', limit: 0 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ items: [], me: { rank: 2, points: 10 }, restricted: false });
  });

  test('when c passes b, then the order and my rank follow at once', async () => {
    await give(c.id, 1, new Date(), 'c-more');
    const res = await as(b.id).get('/leaderboards/members').query({ scope: county.county.id, period: 'week' });
    expect(res.body.items.slice(0, 3).map((i: { userId: string; rank: number }) => [i.userId, i.rank])).toEqual([
      [a.id, 1],
      [c.id, 2],
      [b.id, 3],
    ]);
    expect(res.body.me).toEqual({ rank: 3, points: 10 });
  });

  test('when a member with no points asks, then they see the board and no rank', async () => {
    const res = await as(e.id).get('/leaderboards/members').query({ scope: county.county.id });
    expect(res.status).toBe(200);
    expect(res.body.me).toBeNull();
  });

  test('when limit is given, then only that many rows come back; over 100 is refused', async () => {
    const two = await as(a.id).get('/leaderboards/members').query({ scope: county.county.id, limit: 2 });
    expect(two.body.items).toHaveLength(2);
    const tooMany = await as(a.id).get('/leaderboards/members').query({ scope: county.county.id, limit: 101 });
    expect(tooMany.status).toBe(400);
  });

  test('when a member asks for the board of another township, then 403', async () => {
    const res = await as(a.id).get('/leaderboards/members').query({ scope: county.townB.id });
    expect(res.status).toBe(403);
  });

  test('when a county admin asks for any township, then it is allowed', async () => {
    const admin = await buildAdmin({ of: county.county, branch: county.branchA });
    const res = await as(admin.id).get('/leaderboards/members').query({ scope: county.townB.id });
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { userId: string }) => i.userId)).toEqual([d.id]);
  });

  test('when last month is over, then this month starts empty while the year keeps it', async () => {
    const member = await buildMember({ branch: county.branchB });
    const lastYear = new Date(Date.now() - 400 * 24 * 3600 * 1000);
    await give(member.id, 50, lastYear, 'old');
    const month = await as(member.id).get('/leaderboards/members').query({ scope: county.branchB.id, period: 'month' });
    const all = await as(member.id).get('/leaderboards/members').query({ scope: county.branchB.id, period: 'all' });
    expect(month.body.me).toBeNull();
    expect(all.body.me).toEqual({ rank: 1, points: 50 });
  });
});

describe('org leaderboard', () => {
  test('when townships are ranked, then it is by points per member, not by raw totals', async () => {
    const c2 = await buildCounty();
    // Township A: 4 members, 40 points in all (10 each); township B: 1 member with 20.
    const bigBranch = await Promise.all(Array.from({ length: 4 }, () => buildMember({ branch: c2.branchA })));
    const small = await buildMember({ branch: c2.branchB });
    await Promise.all(bigBranch.map((m, i) => give(m.id, 10, new Date(), `big${i}`)));
    await give(small.id, 20, new Date(), 'small');
    const admin = await buildAdmin({ of: c2.county, branch: c2.branchB });
    const res = await as(admin.id).get('/leaderboards/orgs').query({ parent: c2.county.id, period: 'month' });
    expect(res.status).toBe(200);
    // Township B now has 2 members (small + admin): 20 / 2 = 10; township A: 40 / 4 = 10 -> tie on average, A has more points.
    expect(
      res.body.items.map((i: { name: string; rank: number; members: number; points: number; average: number }) => [
        i.name,
        i.rank,
        i.members,
        i.points,
        i.average,
      ]),
    ).toEqual([
      ['甲镇', 1, 4, 40, 10],
      ['乙乡', 1, 2, 20, 10],
    ]);
    await give(small.id, 2, new Date(), 'small-more');
    const after = await as(admin.id).get('/leaderboards/orgs').query({ parent: c2.county.id, period: 'month' });
    expect(after.body.items[0]).toMatchObject({ name: '乙乡', rank: 1, average: 11 });
    expect(after.body.items[1]).toMatchObject({ name: '甲镇', rank: 2 });
  });

  test('when branches of a village are ranked, then a branch with no points shows 0 and ranks last', async () => {
    const member = await buildMember({ branch: county.branchA });
    const res = await as(member.id).get('/leaderboards/orgs').query({ parent: county.villageA.id, period: 'all' });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(2);
    expect(res.body.items[0].average).toBeGreaterThanOrEqual(res.body.items[1].average);
  });
});

describe('org leaderboard rounding', () => {
  test('when two averages round to the same tenth, then the higher exact average still ranks first', async () => {
    const c3 = await buildCounty();
    const a = await Promise.all(Array.from({ length: 3 }, () => buildMember({ branch: c3.branchA })));
    const b = await Promise.all(Array.from({ length: 6 }, () => buildMember({ branch: c3.branchB })));
    const admin = await buildAdmin({ of: c3.county, branch: c3.branchB });
    await give(a[0]!.id, 17, new Date(), 'r-a');
    await give(b[0]!.id, 40, new Date(), 'r-b');
    const res = await as(admin.id).get('/leaderboards/orgs').query({ parent: c3.county.id, period: 'month' });
    // 甲镇 17 / 3 = 5.67; 乙乡 40 / 7 = 5.71: both show 5.7, but 乙乡 is ahead.
    expect(
      res.body.items.map((i: { name: string; rank: number; average: number }) => [i.name, i.rank, i.average]),
    ).toEqual([
      ['乙乡', 1, 5.7],
      ['甲镇', 2, 5.7],
    ]);
  });
});

describe('hidden members and ranks (issue 13, finding 13)', () => {
  test('when hidden members rank above me, then my rank is the one the rows shown to me give, with no gap to count them by', async () => {
    const c4 = await buildCounty();
    await SettingModel.create({ _id: `ranking|${c4.county.id}`, visibility: 'scope' });
    const [top, second, me, below] = await Promise.all([0, 1, 2, 3].map(() => buildMember({ branch: c4.branchA })));
    await give(top!.id, 30, new Date(), 'h-top');
    await give(second!.id, 20, new Date(), 'h-second');
    await give(me!.id, 10, new Date(), 'h-me');
    await give(below!.id, 5, new Date(), 'h-below');
    for (const hider of [top!, second!])
      expect((await as(hider.id).patch('/me', { hideFromRankings: true })).status).toBe(200);

    for (const query of [{ limit: 20 }, { limit: 0 }]) {
      const res = await as(me!.id)
        .get('/leaderboards/members')
        .query({ scope: c4.county.id, period: 'month', ...query });
      expect(res.body.me).toEqual({ rank: 1, points: 10 });
      if (query.limit > 0) {
        const rows = res.body.items.map((i: { userId: string; rank: number }) => [i.userId, i.rank]);
        expect(rows).toEqual([
          [me!.id, 1],
          [below!.id, 2],
        ]);
      }
    }
    const seenByBelow = await as(below!.id)
      .get('/leaderboards/members')
      .query({ scope: c4.county.id, period: 'month' });
    expect(seenByBelow.body.me).toEqual({ rank: 2, points: 5 });
    // A hidden member still sees their own rank among the members shown to them (the other hidden one not counted).
    const seenBySecond = await as(second!.id)
      .get('/leaderboards/members')
      .query({ scope: c4.county.id, period: 'month' });
    expect(seenBySecond.body.me).toEqual({ rank: 1, points: 20 });
    expect(seenBySecond.body.items.map((i: { userId: string; rank: number }) => [i.userId, i.rank])).toEqual([
      [second!.id, 1],
      [me!.id, 2],
      [below!.id, 3],
    ]);
  });
});
