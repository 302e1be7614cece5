import { flushGroupedMarks } from '../src/db/grouped-marks';
import { dayKey, monthKey } from '@pioneer/shared';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildMember, type County } from './support/factories';
import { body, near } from './support/checkin-helpers';
import { ReplayModel } from '../src/http/idempotency';
import { reconcileCheckins } from '../src/jobs/checkins-reconcile';
import { CheckinModel } from '../src/modules/checkins/checkins.model';
import { readMonth } from '../src/modules/checkins/records';
import { flushMonthLines } from '../src/modules/checkins/month-lines';
import { LedgerModel } from '../src/modules/points/points.model';

let t: TestApp;
let county: County;
const auth = (id: string) => bearer(t, id);
const cadre = () => buildMember({ branch: county.branchA, roles: ['member', 'cadre'], postedTo: county.villageA });
const checkinPoints = async (userId: string) =>
  (await LedgerModel.find({ userId, reason: 'checkin' }).lean()).reduce((s, e) => s + e.delta, 0);

/** A check-in as a crash leaves it: stored, nothing after the insert done. */
async function cutOff(userId: string, status: 'valid' | 'pending') {
  const now = new Date();
  const id = `cut-${userId.slice(-8)}-${status}`;
  await CheckinModel.create({
    _id: id,
    userId,
    branchId: county.branchA.id,
    villageId: county.villageA.id,
    at: now,
    day: dayKey(now),
    month: monthKey(now),
    lat: 30.5447,
    lng: 119.9752,
    rawLat: 30.5447,
    rawLng: 119.9752,
    coordType: 'gcj02',
    accuracy: 20,
    capturedAt: null,
    distanceM: status === 'valid' ? 10 : 900,
    withinFence: status === 'valid',
    status,
    reason: status === 'pending' ? '到镇里开会' : null,
    flags: [],
    review: null,
    settled: false,
  });
  return id;
}

beforeAll(async () => ({ t, county } = await startCountyApp()));
afterAll(() => t.close());

describe('check-ins a crash cut off', () => {
  test('when check-ins reply, then their settled marks follow within milliseconds, written together off the requests', async () => {
    const cadres = await Promise.all(Array.from({ length: 4 }, () => cadre()));
    const replies = await Promise.all(
      cadres.map((c) =>
        t
          .http()
          .post('/api/v1/checkins')
          .set(auth(c.id))
          .send(body(near(10))),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    await new Promise((r) => setTimeout(r, 200));
    const stored = await Promise.all(replies.map((r) => CheckinModel.findById(r.body.id).lean()));
    expect(stored.map((c) => c?.settled)).toEqual([true, true, true, true]);
    // Nothing left unsettled for the start-up reconciler of these.
    const left = await CheckinModel.find({ _id: { $in: replies.map((r) => r.body.id) }, settled: false }).lean();
    expect(left).toEqual([]);
  });

  test('when the start-up reconciler runs twice over an unsettled valid check-in, then it is listed and the day pays once', async () => {
    const c = await cadre();
    const id = await cutOff(c.id, 'valid');
    expect(await reconcileCheckins()).toMatchObject({ found: 1, points: 1 });
    expect(await reconcileCheckins()).toEqual({ found: 0, points: 0 });
    expect(await checkinPoints(c.id)).toBe(1);
    expect((await readMonth(c.id, monthKey(new Date()))).days[dayKey(new Date())]).toEqual({ v: 1 });
    expect(await CheckinModel.findById(id).lean()).toMatchObject({ settled: true });
  });

  test('when an unsettled pending check-in is reconciled, then it reaches the secretary queue and pays nothing', async () => {
    const c = await cadre();
    const secretary = await buildMember({ branch: county.branchA, roles: ['member', 'secretary'] });
    const id = await cutOff(c.id, 'pending');
    await reconcileCheckins();
    const queue = await t.http().get('/api/v1/checkins/pending').set(auth(secretary.id));
    expect(queue.body.items.map((i: { id: string }) => i.id)).toContain(id);
    expect(await checkinPoints(c.id)).toBe(0);
  });

  test('when the cadre retries with the same key after the crash, then the retry settles it and pays the day once', async () => {
    const c = await cadre();
    const first = await t
      .http()
      .post('/api/v1/checkins')
      .set(auth(c.id))
      .set('Idempotency-Key', 'retry-after-crash-1')
      .send(body(near(10)));
    expect(first.body.pointsAwarded).toBe(1);
    // Simulate the crash after the insert: undo everything the settle wrote, leave the check-in unsettled (its
    // queued month line and settled mark written first, as they are within milliseconds).
    await flushMonthLines();
    await flushGroupedMarks();
    await LedgerModel.deleteMany({ userId: c.id });
    await CheckinModel.updateOne({ _id: first.body.id }, { $set: { settled: false } });
    // ...and the reply was never stored, as when the process dies before answering.
    await ReplayModel.deleteMany({});
    const retry = await t
      .http()
      .post('/api/v1/checkins')
      .set(auth(c.id))
      .set('Idempotency-Key', 'retry-after-crash-1')
      .send(body(near(10)));
    expect(retry.body.id).toBe(first.body.id);
    expect(await checkinPoints(c.id)).toBe(1);
  });
});
