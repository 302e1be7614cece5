/**
 * 弱网队列 end to end in Chromium: the demo cadre taps 打卡 with the browser offline (context.setOffline); the
 * check-in waits in the offline queue (shown on the page), and when the browser comes back online it is sent once,
 * with the device's capture time stored beside the server's receive time. Then a member signs in to an activity
 * with the 6-digit code while offline: the sign-in waits, is sent once on reconnect and counts at the capture time.
 *
 * Run: `npx jest --selectProjects e2e -- offline`. Screenshots: test/artifacts/screenshots/offline-*.png.
 */
import {
  dayKey,
  gcj02ToWgs84,
  EARTH_RADIUS_M,
  type Activity,
  type LatLng,
  type LedgerPage,
  type Me,
  type MyMonth,
  type QrReply,
} from '@pioneer/shared';
import { ActivityModel, ActivitySigninModel } from '../../server/src/modules/activities/activities.model';
import { CheckinModel } from '../../server/src/modules/checkins/checkins.model';
import { api, byId, click, devLogin, shot, startE2E, stepper, stopE2E, until, visibleText, type E2E } from './support';

jest.setTimeout(240_000);

let e: E2E;
const step = stepper(() => e?.timings);

function browserFixNorthOf(fence: LatLng, metres: number) {
  const wgs = gcj02ToWgs84({ lat: fence.lat + (metres * 180) / (Math.PI * EARTH_RADIUS_M), lng: fence.lng });
  return { latitude: wgs.lat, longitude: wgs.lng, accuracy: 20 };
}

beforeAll(async () => {
  e = await startE2E({ permissions: ['geolocation'], geolocation: { latitude: 0, longitude: 0, accuracy: 20 } });
});
afterAll(() => stopE2E(e, 'offline'));

step('offline, 打卡 is kept and shown as waiting; back online it is sent exactly once', async () => {
  const token = await devLogin(e, 'demo-cadre', '赵驻村');
  const me = await api<Me>(e, 'GET', '/me', token);
  await e.context.setGeolocation(browserFixNorthOf(me.postedVillage!.fence!, 80));
  const before = (await api<MyMonth>(e, 'GET', '/checkins/mine', token)).items.length;
  await e.page.goto(`${e.app.baseUrl}/#/pages/checkin/index`);
  await until(
    e,
    'check-in: inside',
    () => visibleText(e, 'checkin-distance'),
    (t) => t.startsWith('已在打卡范围内'),
  );

  await e.context.setOffline(true);
  await click(e, 'check-in: tap 打卡 offline', byId(e, 'checkin-button'));
  await until(
    e,
    'check-in: queued',
    () => visibleText(e, 'checkin-queued'),
    (t) => t.includes('联网后自动提交'),
    20_000,
  );
  await until(
    e,
    'queue shown',
    () => visibleText(e, 'offline-queue'),
    (t) => t.includes('1条待发送'),
  );
  await shot(e, 'offline-01-queued');

  await e.context.setOffline(false);
  await until(
    e,
    'queue emptied',
    () => byId(e, 'offline-queue').count(),
    (n) => n === 0,
    20_000,
  );
  const after = await api<MyMonth>(e, 'GET', '/checkins/mine', token);
  expect(after.items.length).toBe(before + 1);
  expect(after.items[0]).toMatchObject({ status: 'valid', withinFence: true, day: dayKey(Date.now()) });
  const stored = await CheckinModel.findById(after.items[0]!.id).lean();
  expect(stored?.capturedAt).toBeTruthy();
  expect(stored!.at.getTime()).toBeGreaterThanOrEqual(stored!.capturedAt!.getTime());
  // A second online event (flaky network) sends nothing more.
  await e.page.evaluate('window.dispatchEvent(new Event("online"))');
  await new Promise((r) => setTimeout(r, 1000));
  expect((await api<MyMonth>(e, 'GET', '/checkins/mine', token)).items.length).toBe(before + 1);
  await shot(e, 'offline-02-sent');
});

step(
  'offline, an activity sign-in by code is kept and shown as waiting; back online it is sent exactly once',
  async () => {
    const secretaryToken = await devLogin(e, 'demo-secretary', '李书记');
    const soon = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
    const activity = await api<Activity>(e, 'POST', '/activities', secretaryToken, {
      type: 'red_saturday',
      title: '红色星期六：清扫村道',
      startsAt: soon(-5),
      endsAt: soon(120),
    });
    const token = await devLogin(e, 'demo-member', '陈党员');
    const me = await api<Me>(e, 'GET', '/me', token);
    await e.page.goto(`${e.app.baseUrl}/#/pages/activity/index?id=${activity.id}`);
    await until(
      e,
      'activity: open',
      () => visibleText(e, 'activity-status'),
      (t) => t === '签到中',
    );

    await e.context.setOffline(true);
    const capturedBefore = Date.now();
    const { code } = await api<QrReply>(e, 'GET', `/activities/${activity.id}/qr`, secretaryToken);
    await byId(e, 'activity-code').first().locator('input').fill(code);
    await click(e, 'sign in offline', byId(e, 'activity-signin'));
    await until(
      e,
      'sign-in: queued',
      () => visibleText(e, 'activity-queued'),
      (t) => t.includes('联网后自动提交'),
      20_000,
    );
    await until(
      e,
      'queue shown',
      () => visibleText(e, 'offline-queue'),
      (t) => t.includes('1条待发送') && t.includes('活动签到'),
    );
    expect(await ActivitySigninModel.countDocuments({ activityId: activity.id })).toBe(0);
    await shot(e, 'offline-03-signin-queued');

    // The server checks the code at the capture time (an expired one: server/test/activities-offline.test.ts).
    await e.context.setOffline(false);
    await until(
      e,
      'sign-in: sent',
      () => visibleText(e, 'activity-signed'),
      (t) => t.startsWith('已签到'),
      20_000,
    );
    expect(await byId(e, 'offline-queue').count()).toBe(0);
    await e.page.evaluate('window.dispatchEvent(new Event("online"))');
    await new Promise((r) => setTimeout(r, 1000));
    const signins = await ActivitySigninModel.find({ activityId: activity.id }).lean();
    expect(signins.map((s) => s.userId)).toEqual([me.id]);
    expect(signins[0]!.at.getTime()).toBeGreaterThanOrEqual(capturedBefore - 1000);
    const stored = (await ActivityModel.findById(activity.id).lean())!.signins as Record<
      string,
      { offline?: { capturedAt: string; receivedAt: string } }
    >;
    expect(Date.parse(stored[me.id]!.offline!.receivedAt)).toBeGreaterThanOrEqual(
      Date.parse(stored[me.id]!.offline!.capturedAt),
    );
    const ledger = await api<LedgerPage>(e, 'GET', '/points/ledger', token);
    expect(ledger.items.filter((i) => i.refType === 'activity' && i.refId === activity.id)).toHaveLength(1);
    await shot(e, 'offline-04-signin-sent');
  },
);
