/**
 * What a client sends to a list is bounded by what exists (issue 13, finding 1): a points-history cursor from the
 * future starts at this month and one page reads at most 24 months; an activity window spans two years at most.
 * The bad-input sweep sends huge values to every list route; these pin the specific answers.
 */
import { monthKey } from '@pioneer/shared';
import { FeedModel } from '../src/modules/points/points.model';
import { indexKey, queues } from '../src/modules/commitments/commitments.store';
import { QUEUE_SHOWN } from '../src/modules/commitments/wall.service';
import { currentYear } from '../src/modules/commitments/commitments.service';
import { UserModel } from '../src/modules/users/users.model';
import { startCountyApp, type TestApp } from './support/harness';
import { buildAdmin, buildMember, buildSecretary, type County } from './support/factories';
import { client } from './support/client';

let t: TestApp;
let county: County;
let admin: { id: string };
let secretary: { id: string };
let member: { id: string };
const as = (id: string) => client(t, id);

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  admin = await buildAdmin({ of: county.county, branch: county.branchB, name: '王组织' });
  secretary = await buildSecretary(county.branchA, '甲书记');
  member = await buildMember({ branch: county.branchA, name: '陈党员' });
  for (const delta of [3, 4]) {
    const res = await as(admin.id).post('/points/adjustments', { userId: member.id, delta, reason: '协助组织换届' });
    expect(res.status).toBe(201);
  }
});
afterAll(() => t.close());

describe('points history cursor', () => {
  test('when the cursor names a month after this one, then the page starts at this month instead of walking empty months', async () => {
    const first = await as(member.id).get('/points/ledger?limit=10');
    expect(first.body.items).toHaveLength(2);
    const reads: string[] = [];
    const findById = FeedModel.findById.bind(FeedModel);
    const spy = jest.spyOn(FeedModel, 'findById').mockImplementation(((id: string) => {
      reads.push(id);
      return findById(id);
    }) as never);
    try {
      const future = await as(member.id).get('/points/ledger?limit=10&cursor=9999-12:99999');
      expect(future.status).toBe(200);
      expect(future.body.items).toEqual(first.body.items);
      expect(reads[0]).toBe(`${member.id}|${monthKey(new Date())}`);
      expect(reads.length).toBeLessThanOrEqual(24);
    } finally {
      spy.mockRestore();
    }
    const ancient = await as(member.id).get('/points/ledger?cursor=1999-12:0');
    expect(ancient.body).toEqual({ items: [], nextCursor: null });
  });
});

describe('activity window', () => {
  test('when the window spans more than two years, then 400 with the reason; two years is fine', async () => {
    const wide = await as(secretary.id).get('/activities?from=2000-01-01T00:00:00Z&to=2030-01-01T00:00:00Z');
    expect(wide.status).toBe(400);
    expect(wide.body.error.message).toContain('跨度');
    const twoYears = await as(secretary.id).get('/activities?from=2025-01-01T00:00:00Z&to=2026-12-31T00:00:00Z');
    expect(twoYears.status).toBe(200);
  });
});

describe('record book year', () => {
  test('when the quarter lies outside 2000..next year, then 400; this quarter is fine', async () => {
    for (const quarter of ['9999-Q4', '1999-Q4', `${new Date().getUTCFullYear() + 2}-Q1`]) {
      const res = await as(secretary.id).get(`/activities/record-book?quarter=${quarter}`);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('统计年份');
    }
    expect((await as(secretary.id).get('/activities/record-book')).status).toBe(200);
  });
});

describe('commitment review queue', () => {
  test('when 150 commitments wait in one branch, then one load reads at most 100 of them and still counts all 150', async () => {
    const year = currentYear();
    const waiting = await Promise.all(
      Array.from({ length: 150 }, (_, i) => buildMember({ branch: county.branchA2, name: `待审${i}` })),
    );
    const at = Date.now();
    await queues().updateOne(
      { _id: indexKey(county.branchA2.id, year) },
      { $set: { submitted: Object.fromEntries(waiting.map((m, i) => [m.id, at + i])) } },
      { upsert: true },
    );
    const findById = UserModel.findById.bind(UserModel);
    let userReads = 0;
    const spy = jest.spyOn(UserModel, 'findById').mockImplementation(((id: string) => {
      userReads += 1;
      return findById(id);
    }) as never);
    let res;
    try {
      res = await as(admin.id).get(`/commitments/queue?org=${county.branchA2.id}&year=${year}`);
    } finally {
      spy.mockRestore();
    }
    expect(res.status).toBe(200);
    // None of them has a commitment document: the 100 read are dropped, the 50 beyond are counted from the index.
    expect(res.body.counts.submitted).toBe(50);
    expect(userReads).toBeLessThanOrEqual(2 * QUEUE_SHOWN + 5);
  });
});
