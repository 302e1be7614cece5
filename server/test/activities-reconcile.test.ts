/**
 * Crash safety of attendance points: a sign-in stored but not paid (the process died in between) is paid exactly
 * once by the start-up reconciler, however often it runs; a sign-in paid before the crash is only marked.
 */
import { flushGroupedMarks } from '../src/db/grouped-marks';
import type { Activity, Attendance } from '@pioneer/shared';
import { reconcileAttendance } from '../src/jobs/activities-reconcile';
import { ActivityModel, ActivitySigninModel } from '../src/modules/activities/activities.model';
import { LedgerModel } from '../src/modules/points/points.model';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildMember, type County } from './support/factories';

let t: TestApp;
let county: County;
let secretary: { id: string };
const auth = (id: string) => bearer(t, id);
const api = (path: string) => `/api/v1/activities${path}`;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

async function create(): Promise<Activity> {
  const res = await t
    .http()
    .post(api(''))
    .set(auth(secretary.id))
    .send({ type: 'group', title: '党小组会', startsAt: minutesAgo(30), endsAt: minutesAgo(-60) });
  expect(res.status).toBe(201);
  return res.body as Activity;
}
/** What `storeSignin` writes before it pays: the state a crash right after the insert leaves. */
const crashedSignin = (activityId: string, userId: string, extra: object = {}) =>
  ActivitySigninModel.create({
    _id: `${activityId}|${userId}`,
    activityId,
    userId,
    at: new Date(),
    late: true,
    method: 'qr',
    paid: false,
    ...extra,
  });
const ledger = (userId: string, activityId: string) =>
  LedgerModel.find({ userId, reason: 'activity_attended', refId: activityId }).lean<{ delta: number }[]>();

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  secretary = await buildMember({ branch: county.branchA, roles: ['member', 'secretary'], name: '甲书记' });
});
afterAll(() => t.close());

describe('attendance points after a crash', () => {
  test('when a sign-in was stored but not paid, then the reconciler pays it once, however often it runs', async () => {
    const a = await create();
    const m = await buildMember({ branch: county.branchA, name: '崩溃党员' });
    await crashedSignin(a.id, m.id);
    expect(await ledger(m.id, a.id)).toEqual([]);

    const first = await reconcileAttendance();
    expect(first).toMatchObject({ found: 1, points: 3, failed: [] });
    const second = await reconcileAttendance();
    expect(second).toMatchObject({ found: 0, points: 0 });

    expect((await ledger(m.id, a.id)).map((e) => e.delta)).toEqual([3]);
    expect((await ActivitySigninModel.findById(`${a.id}|${m.id}`).lean())!.paid).toBe(true);
    // The attendance lists (kept on the activity) see the repaired sign-in too, late mark and all.
    const att = (
      await t
        .http()
        .get(api(`/${a.id}/attendance`))
        .set(auth(secretary.id))
    ).body as Attendance;
    expect(att.late.map((x) => x.userId)).toEqual([m.id]);
    const mine = await t.http().get('/api/v1/me').set(auth(m.id));
    expect(mine.body.points.all).toBe(3);
  });

  test('when the points had landed but the paid mark had not, then it is marked and nothing is paid twice', async () => {
    const a = await create();
    const m = await buildMember({ branch: county.branchA, name: '已付党员' });
    const res = await t
      .http()
      .post(api(`/${a.id}/attendees`))
      .set(auth(secretary.id))
      .send({ userId: m.id, reason: '纸质签到' });
    expect(res.status).toBe(201);
    await flushGroupedMarks(); // its queued paid mark, written within milliseconds, lands before the simulated loss
    await ActivitySigninModel.updateOne({ _id: `${a.id}|${m.id}` }, { $set: { paid: false } });

    const repair = await reconcileAttendance();
    expect(repair).toMatchObject({ found: 1, points: 0, failed: [] });
    expect((await ledger(m.id, a.id)).map((e) => e.delta)).toEqual([3]);
    expect((await ActivitySigninModel.findById(`${a.id}|${m.id}`).lean())!.paid).toBe(true);
  });

  test('when a sign-in has no paid flag (stored before the flag existed), then it is taken once and paid once', async () => {
    const a = await create();
    const m = await buildMember({ branch: county.branchA, name: '旧数据党员' });
    await ActivitySigninModel.collection.insertOne({
      _id: `${a.id}|${m.id}`,
      activityId: a.id,
      userId: m.id,
      at: new Date(),
      late: false,
      method: 'qr',
      reason: null,
      by: null,
    } as never);
    expect((await reconcileAttendance()).found).toBe(1);
    expect((await reconcileAttendance()).found).toBe(0);
    expect((await ledger(m.id, a.id)).map((e) => e.delta)).toEqual([3]);
  });

  test('when an offline sign-in kept its capture times beside the summary, then a re-run keeps them', async () => {
    const a = await create();
    const m = await buildMember({ branch: county.branchA, name: '离线党员' });
    const offline = { capturedAt: minutesAgo(20), receivedAt: minutesAgo(1), lateUpload: false };
    await ActivityModel.updateOne(
      { _id: a.id },
      { $set: { [`signins.${m.id}`]: { at: offline.capturedAt, late: true, method: 'qr', offline } } },
    );
    await crashedSignin(a.id, m.id, { at: new Date(offline.capturedAt) });
    expect((await reconcileAttendance()).points).toBe(3);
    const doc = await ActivityModel.findById(a.id).lean<{
      signins: Record<string, { offline?: unknown; at: string }>;
    }>();
    expect(doc!.signins[m.id]).toMatchObject({ at: offline.capturedAt, offline });
  });

  test('when the member of an unpaid sign-in is gone, then it is reported and the others are still paid', async () => {
    const a = await create();
    const m = await buildMember({ branch: county.branchA, name: '正常党员' });
    await crashedSignin(a.id, 'no-such-user');
    await crashedSignin(a.id, m.id);
    const repair = await reconcileAttendance();
    expect(repair.failed).toEqual([`${a.id}|no-such-user`]);
    expect((await ledger(m.id, a.id)).map((e) => e.delta)).toEqual([3]);
    await ActivitySigninModel.deleteOne({ _id: `${a.id}|no-such-user` });
  });

  test('when members sign in normally, then every sign-in is marked paid right after and the reconciler finds nothing', async () => {
    const a = await create();
    const m = await buildMember({ branch: county.branchA, name: '正常签到党员' });
    const qr = (
      await t
        .http()
        .get(api(`/${a.id}/qr`))
        .set(auth(secretary.id))
    ).body as { token: string };
    expect(
      (
        await t
          .http()
          .post(api(`/${a.id}/signin`))
          .set(auth(m.id))
          .send({ token: qr.token })
      ).status,
    ).toBe(201);
    // The paid mark is written with others' off the request (db/grouped-marks.ts), within milliseconds.
    await new Promise((r) => setTimeout(r, 200));
    expect((await ActivitySigninModel.findById(`${a.id}|${m.id}`).lean())!.paid).toBe(true);
    expect((await reconcileAttendance()).found).toBe(0);
    expect((await t.http().get('/api/v1/me').set(auth(m.id))).body.points.all).toBe(3);
  });
});
