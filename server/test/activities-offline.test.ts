/**
 * Activity sign-ins sent from the offline queue (issue 9): the code, token or fix is checked against the capture
 * time, which must lie in the activity's sign-in window and within OFFLINE_SIGNIN_RULES.maxGapMinutes of receipt.
 */
import { OFFLINE_SIGNIN_RULES, type Activity } from '@pioneer/shared';
import { ActivityModel } from '../src/modules/activities/activities.model';
import { qrToken } from '../src/modules/activities/signin-token';
import { LedgerModel } from '../src/modules/points/points.model';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildMember, buildSecretary, type County } from './support/factories';

let t: TestApp;
let county: County;
let secretary: { id: string };
const auth = (id: string) => bearer(t, id);
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
const FENCE = { lat: 30.5447, lng: 119.9752, radiusM: 200 };

async function create(startedMinutesAgo: number, lastsMinutes: number, extra: object = {}): Promise<Activity> {
  const res = await t
    .http()
    .post('/api/v1/activities')
    .set(auth(secretary.id))
    .send({
      type: 'theme_day',
      title: '主题党日',
      startsAt: minutesAgo(startedMinutesAgo).toISOString(),
      endsAt: minutesAgo(startedMinutesAgo - lastsMinutes).toISOString(),
      ...extra,
    });
  expect(res.status).toBe(201);
  return res.body as Activity;
}
const member = () => buildMember({ branch: county.branchA });
const codeAt = (activityId: string, at: Date) => qrToken(t.config.jwtSecret, activityId, at).code;
const signin = (userId: string, activityId: string, body: object, key?: string) => {
  const req = t.http().post(`/api/v1/activities/${activityId}/signin`).set(auth(userId));
  if (key) req.set('Idempotency-Key', key);
  return req.send(body);
};
const paid = async (userId: string) => LedgerModel.find({ userId, reason: 'activity_attended' }).lean();

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  secretary = await buildSecretary(county.branchA);
});
afterAll(() => t.close());

describe('POST /activities/:id/signin from the offline queue', () => {
  test('when a code typed offline 20 minutes ago arrives, then it counts at the capture time, once, with the gap kept; live, that code is expired', async () => {
    const a = await create(30, 120);
    const m = await member();
    const capturedAt = minutesAgo(20);
    const code = codeAt(a.id, capturedAt);
    expect((await signin(m.id, a.id, { code })).body.error.code).toBe('TOKEN_EXPIRED');

    const res = await signin(m.id, a.id, { code, capturedAt: capturedAt.toISOString() }, 'offline-signin-1');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ at: capturedAt.toISOString(), late: false, pointsAwarded: 3 });
    const again = await signin(m.id, a.id, { code, capturedAt: capturedAt.toISOString() }, 'offline-signin-1');
    expect(again.body).toEqual(res.body);
    expect(
      (await signin(m.id, a.id, { code, capturedAt: capturedAt.toISOString() }, 'offline-signin-2')).body.error.code,
    ).toBe('ALREADY_SIGNED_IN');

    const ledger = await paid(m.id);
    expect(ledger.map((e) => [e.delta, e.at.toISOString()])).toEqual([[3, capturedAt.toISOString()]]);
    const doc = await ActivityModel.findById(a.id).lean();
    const stored = (
      doc!.signins as Record<
        string,
        { at: string; offline?: { capturedAt: string; receivedAt: string; lateUpload: boolean } }
      >
    )[m.id]!;
    expect(stored.at).toBe(capturedAt.toISOString());
    expect(stored.offline).toMatchObject({ capturedAt: capturedAt.toISOString(), lateUpload: true });
    expect(Date.now() - Date.parse(stored.offline!.receivedAt)).toBeLessThan(60_000);
  });

  test('when a code valid now is sent with an earlier capture time, then it is refused: the code must have been valid when captured', async () => {
    const a = await create(30, 120);
    const m = await member();
    const res = await signin(m.id, a.id, { code: codeAt(a.id, new Date()), capturedAt: minutesAgo(20).toISOString() });
    expect(res.body.error.code).toBe('TOKEN_EXPIRED');
    expect(await paid(m.id)).toHaveLength(0);
  });

  test('when a QR token scanned offline arrives later, then it is checked at the capture time and marked late from it', async () => {
    const a = await create(40, 120);
    const m = await member();
    const capturedAt = minutesAgo(20);
    const res = await signin(m.id, a.id, {
      token: qrToken(t.config.jwtSecret, a.id, capturedAt).token,
      capturedAt: capturedAt.toISOString(),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ at: capturedAt.toISOString(), late: true });
  });

  test(`when it arrives more than ${OFFLINE_SIGNIN_RULES.maxGapMinutes} minutes after capture, then 422 CAPTURE_TOO_OLD and nothing is paid`, async () => {
    const a = await create(300, 600);
    const m = await member();
    const capturedAt = minutesAgo(OFFLINE_SIGNIN_RULES.maxGapMinutes + 5);
    const res = await signin(m.id, a.id, { code: codeAt(a.id, capturedAt), capturedAt: capturedAt.toISOString() });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('CAPTURE_TOO_OLD');
    expect(await paid(m.id)).toHaveLength(0);
  });

  test('when the capture time is outside the sign-in window, then ACTIVITY_NOT_OPEN; when it is ahead of the server, then 400', async () => {
    const a = await create(10, 120);
    const m = await member();
    const early = minutesAgo(60); // sign-in opens 30 minutes before the start, i.e. 40 minutes ago
    expect(
      (await signin(m.id, a.id, { code: codeAt(a.id, early), capturedAt: early.toISOString() })).body.error.code,
    ).toBe('ACTIVITY_NOT_OPEN');
    const ahead = new Date(Date.now() + 5 * 60_000);
    const res = await signin(m.id, a.id, { code: codeAt(a.id, ahead), capturedAt: ahead.toISOString() });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('手机时间');
  });

  test('when the activity has ended (or the secretary closed it) since the capture, then the offline sign-in still counts; a live one does not', async () => {
    const a = await create(90, 60);
    await t.http().patch(`/api/v1/activities/${a.id}`).set(auth(secretary.id)).send({ status: 'closed' });
    const [m1, m2] = [await member(), await member()];
    const capturedAt = minutesAgo(45);
    expect(
      (await signin(m1.id, a.id, { code: codeAt(a.id, capturedAt), capturedAt: capturedAt.toISOString() })).status,
    ).toBe(201);
    expect((await signin(m2.id, a.id, { code: codeAt(a.id, new Date()) })).body.error.code).toBe('ACTIVITY_NOT_OPEN');
  });

  test('when a location fix was captured offline, then the fence test uses the captured fix', async () => {
    const a = await create(20, 120, { place: { name: '村委会', fence: FENCE } });
    const m = await member();
    const capturedAt = minutesAgo(15).toISOString();
    const outside = await signin(m.id, a.id, {
      lat: FENCE.lat + 0.01,
      lng: FENCE.lng,
      accuracy: 20,
      coordType: 'gcj02',
      capturedAt,
    });
    expect(outside.body.error.code).toBe('OUT_OF_FENCE');
    const inside = await signin(m.id, a.id, {
      lat: FENCE.lat,
      lng: FENCE.lng,
      accuracy: 20,
      coordType: 'gcj02',
      capturedAt,
    });
    expect(inside.status).toBe(201);
    expect(inside.body.at).toBe(capturedAt);
  });
});
