import type { Dashboard } from '@pioneer/shared';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildAdmin, buildMember, type County } from './support/factories';
import { body, near } from './support/checkin-helpers';
import { rebuildDashboard } from '../src/jobs/dashboard-rebuild';
import { flushCounters, holdCounterWrites } from '../src/modules/dashboard/counters';
import { countersId, DashboardCountersModel } from '../src/modules/dashboard/dashboard.model';

/**
 * Issue 17 (H7d): a paying write's 数据看板 counters are written after its reply (dashboard/counters.ts
 * `countAwardAfterReply`), grouped; this process's dashboard reads wait for them; a write lost after the reply is
 * repaired by dashboard:rebuild.
 */
let t: TestApp;
let county: County;
let admin: { id: string };
const auth = (id: string) => bearer(t, id);
const checkIn = (userId: string) =>
  t
    .http()
    .post('/api/v1/checkins')
    .set(auth(userId))
    .send(body(near(10)));
const cadre = () => buildMember({ branch: county.branchA, roles: ['member', 'cadre'], postedTo: county.villageA });
const board = async (org?: string) =>
  (
    await t
      .http()
      .get('/api/v1/dashboard')
      .query({ period: 'month', ...(org ? { org } : {}) })
      .set(auth(admin.id))
  ).body as Dashboard;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Resolves to 'late' if `p` has not settled within `ms`. */
const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, sleep(ms).then(() => 'late' as const)]);

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  admin = await buildAdmin({ of: county.county, branch: county.branchB });
  expect((await checkIn((await cadre()).id)).status).toBe(201); // the counters' documents exist
  await flushCounters();
});
afterAll(() => t.close());

test("when the counters' write cannot go, then a paying check-in still replies: its counters are not on the request", async () => {
  const c = await cadre();
  const before = (await board()).values.cadreDays;
  const hold = holdCounterWrites();
  try {
    const res = await within(checkIn(c.id), 5_000);
    expect(res === 'late' ? res : res.status).toBe(201);
    for (let i = 0; i < 100 && hold.gathered() === 0; i++) await sleep(10); // counted after the reply
    expect(hold.gathered()).toBe(1);
  } finally {
    hold.release();
  }
  await flushCounters();
  expect((await board()).values.cadreDays).toBe(before + 1);
});

test("when a check-in's counters are still on their way, then this process's dashboard read waits for them", async () => {
  const c = await cadre();
  const before = (await board()).values.cadreDays;
  const hold = holdCounterWrites();
  let released = false;
  try {
    expect((await checkIn(c.id)).status).toBe(201);
    const read = board();
    expect(await within(read, 300)).toBe('late'); // waits for this process's counting
    released = true;
    hold.release();
    expect((await read).values.cadreDays).toBe(before + 1);
  } finally {
    if (!released) hold.release();
  }
});

test('when the counters write is lost after the reply (the engine refused it, as a crash would lose it), then dashboard:rebuild puts them right', async () => {
  const c = await cadre();
  await flushCounters();
  const id = countersId(county.villageA.id, new Date().getFullYear());
  const good = await DashboardCountersModel.findById(id).lean();
  // The village's document made unwritable for a count: `kids` a number, so `kids.<branch>.<slot>.cadreDays` cannot
  // move (a village keeps no `self`: its board reads its township's `kids.<village>`, dashboard/leaf-counters.ts).
  await DashboardCountersModel.collection.updateOne({ _id: id as never }, { $set: { kids: 5 } }, { upsert: true });
  expect((await checkIn(c.id)).status).toBe(201);
  await flushCounters(); // the write failed: the reply had gone, nothing to tell, no unhandled rejection
  expect((await DashboardCountersModel.findById(id).lean<{ kids: unknown }>())!.kids).toBe(5);
  await DashboardCountersModel.collection.updateOne({ _id: id as never }, { $set: { kids: good?.kids ?? {} } });
  // The branch's board misses the day (its county's and township's documents took theirs: an unordered write; the
  // branch's counts are its village's `kids.<branch>`).
  const lost = (await board(county.branchA.id)).values.cadreDays;
  await rebuildDashboard();
  expect((await board(county.branchA.id)).values.cadreDays).toBe(lost + 1);
});
