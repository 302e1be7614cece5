/**
 * Offline check-ins count on the day they were captured (issue 9): the attendance day, month and the day's point
 * follow the device's capture time when the gap is acceptable; a wrong device clock and a stale fix are refused.
 */
import { CHECKIN_RULES, dayKey, monthKey } from '@pioneer/shared';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildMember, type County } from './support/factories';
import { body, near } from './support/checkin-helpers';
import { CheckinModel } from '../src/modules/checkins/checkins.model';
import { readMonth } from '../src/modules/checkins/records';
import { checkIn } from '../src/modules/checkins/checkins.service';
import { loadSessionUser } from '../src/modules/users/users.service';
import { LedgerModel } from '../src/modules/points/points.model';

let t: TestApp;
let county: County;
const auth = (id: string) => bearer(t, id);
const cadre = () => buildMember({ branch: county.branchA, roles: ['member', 'cadre'], postedTo: county.villageA });
const send = (userId: string, capturedAt: string, key?: string) => {
  const req = t.http().post('/api/v1/checkins').set(auth(userId));
  if (key) req.set('Idempotency-Key', key);
  return req.send(body(near(100), { capturedAt }));
};
const HOUR = 3_600_000;

beforeAll(async () => ({ t, county } = await startCountyApp()));
afterAll(() => t.close());

describe('POST /checkins with a capture time', () => {
  test('when a stored offline check-in is resent after its capture has become too old, then the resend gets it, a new one is refused', async () => {
    const c = await cadre();
    const actor = (await loadSessionUser(c.id))!;
    const capturedAt = new Date(Date.now() - 70 * HOUR).toISOString();
    const first = await checkIn(actor, body(near(100), { capturedAt }), { idempotencyKey: 'stale-resend-1' });
    const later = new Date(Date.now() + 3 * HOUR);
    const resend = await checkIn(actor, body(near(100), { capturedAt }), {
      idempotencyKey: 'stale-resend-1',
      now: later,
    });
    expect(resend).toMatchObject({ id: first.id, day: first.day, pointsAwarded: 0 });
    await expect(
      checkIn(actor, body(near(100), { capturedAt }), { idempotencyKey: 'stale-resend-2', now: later }),
    ).rejects.toMatchObject({ code: 'CAPTURE_TOO_OLD' });
    expect(await CheckinModel.countDocuments({ userId: c.id })).toBe(1);
  });

  test('when a check-in captured yesterday 23:50 (Shanghai) arrives today, then it counts for yesterday, and a resend pays once', async () => {
    const c = await cadre();
    const yesterday = dayKey(Date.now() - 24 * HOUR);
    const capturedAt = new Date(`${yesterday}T23:50:00+08:00`).toISOString();
    const first = await send(c.id, capturedAt, 'offline-late-night-1');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ day: yesterday, status: 'valid', pointsAwarded: 1 });
    expect(first.body.flags).toContain('late_upload');
    const again = await send(c.id, capturedAt, 'offline-late-night-1');
    expect(again.body.id).toBe(first.body.id);

    const stored = await CheckinModel.find({ userId: c.id }).lean();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ day: yesterday, month: monthKey(new Date(capturedAt)) });
    expect(stored[0]!.capturedAt?.toISOString()).toBe(capturedAt);
    // The receive time is kept beside it: the server's "now", not the capture time.
    expect(Date.now() - stored[0]!.at.getTime()).toBeLessThan(60_000);
    const month = await readMonth(c.id, monthKey(new Date(capturedAt)));
    expect(Object.keys(month.days)).toEqual([yesterday]);
    const ledger = await LedgerModel.find({ userId: c.id, reason: 'checkin' }).lean();
    expect(ledger.map((e) => [e._id, e.delta, dayKey(e.at)])).toEqual([[`checkin|${c.id}|${yesterday}`, 1, yesterday]]);
  });

  test('when the same offline fix is resent without the replay (a new key for the same capture), then the day still pays once', async () => {
    const c = await cadre();
    const capturedAt = new Date(Date.now() - 2 * HOUR).toISOString();
    const a = await send(c.id, capturedAt, 'offline-dup-a');
    const b = await send(c.id, capturedAt, 'offline-dup-b');
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.pointsAwarded + b.body.pointsAwarded).toBe(1);
    expect((await LedgerModel.find({ userId: c.id, reason: 'checkin' }).lean()).length).toBe(1);
  });

  test(`when the capture time is more than ${CHECKIN_RULES.maxClockSkewMinutes} minutes ahead of the server, then 400 and nothing is stored; 1 minute ahead is today`, async () => {
    const c = await cadre();
    const ahead = await send(c.id, new Date(Date.now() + 5 * 60_000).toISOString());
    expect(ahead.status).toBe(400);
    expect(ahead.body.error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(ahead.body.error.message).toContain('手机时间');
    expect(await CheckinModel.countDocuments({ userId: c.id })).toBe(0);
    const skew = await send(c.id, new Date(Date.now() + 60_000).toISOString());
    expect(skew.status).toBe(201);
    expect(skew.body.day).toBe(dayKey(new Date()));
  });

  test(`when the fix was captured more than ${CHECKIN_RULES.maxUploadGapHours} h ago, then 422 CAPTURE_TOO_OLD and nothing is stored; just inside, it counts on its own day`, async () => {
    const c = await cadre();
    const stale = await send(c.id, new Date(Date.now() - (CHECKIN_RULES.maxUploadGapHours + 1) * HOUR).toISOString());
    expect(stale.status).toBe(422);
    expect(stale.body.error.code).toBe('CAPTURE_TOO_OLD');
    expect(await CheckinModel.countDocuments({ userId: c.id })).toBe(0);
    const oldest = new Date(Date.now() - (CHECKIN_RULES.maxUploadGapHours - 1) * HOUR);
    const ok = await send(c.id, oldest.toISOString());
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ day: dayKey(oldest), pointsAwarded: 1 });
    expect(ok.body.flags).toContain('late_upload');
  });
});
