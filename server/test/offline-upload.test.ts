import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildMember, type County } from './support/factories';
import { body, near } from './support/checkin-helpers';
import { CheckinModel } from '../src/modules/checkins/checkins.model';

let t: TestApp;
let county: County;
const auth = (id: string) => bearer(t, id);
const cadre = () => buildMember({ branch: county.branchA, roles: ['member', 'cadre'], postedTo: county.villageA });

beforeAll(async () => ({ t, county } = await startCountyApp()));
afterAll(() => t.close());

describe('check-ins sent from the offline queue', () => {
  test('when a fix captured 30 minutes ago arrives, then the capture time is kept beside the receive time and late_upload is flagged', async () => {
    const c = await cadre();
    const capturedAt = new Date(Date.now() - 30 * 60_000).toISOString();
    const res = await t
      .http()
      .post('/api/v1/checkins')
      .set(auth(c.id))
      .set('Idempotency-Key', 'offline-1')
      .send(body(near(100), { capturedAt }));
    expect(res.status).toBe(201);
    expect(res.body.flags).toContain('late_upload');
    expect(res.body.withinFence).toBe(true);
    const stored = await CheckinModel.findById(res.body.id).lean();
    expect(stored?.capturedAt?.toISOString()).toBe(capturedAt);
    expect(Math.abs(stored!.at.getTime() - Date.now())).toBeLessThan(10_000);
  });

  test('when the queue resends the same item (same Idempotency-Key), then it is stored and paid once', async () => {
    const c = await cadre();
    const capturedAt = new Date(Date.now() - 60_000).toISOString();
    const send = () =>
      t
        .http()
        .post('/api/v1/checkins')
        .set(auth(c.id))
        .set('Idempotency-Key', 'offline-2')
        .send(body(near(100), { capturedAt }));
    const first = await send();
    const again = await send();
    expect(again.body.id).toBe(first.body.id);
    expect(first.body.flags).not.toContain('late_upload');
    expect(await CheckinModel.countDocuments({ userId: c.id })).toBe(1);
  });

  test('when the captured fix is outside the fence, then the fence test uses it (not where the phone is when it reconnects)', async () => {
    const c = await cadre();
    const res = await t
      .http()
      .post('/api/v1/checkins')
      .set(auth(c.id))
      .send(body(near(900), { capturedAt: new Date(Date.now() - 20 * 60_000).toISOString() }));
    expect(res.status).toBe(422);
    expect(res.body.error.details).toMatchObject({ distanceM: 900 });
  });
});
