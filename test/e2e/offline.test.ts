/**
 * 弱网队列 end to end in Chromium: the demo cadre taps 打卡 with the browser offline (context.setOffline); the
 * check-in waits in the offline queue (shown on the page), and when the browser comes back online it is sent once,
 * with the device's capture time stored beside the server's receive time.
 *
 * Run: `npx jest --selectProjects e2e -- offline`. Screenshots: test/artifacts/screenshots/offline-*.png.
 */
import { dayKey, gcj02ToWgs84, EARTH_RADIUS_M, type LatLng, type Me, type MyMonth } from '@pioneer/shared';
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
  await until(e, 'check-in: inside', () => visibleText(e, 'checkin-distance'), (t) => t.startsWith('已在打卡范围内'));

  await e.context.setOffline(true);
  await click(e, 'check-in: tap 打卡 offline', byId(e, 'checkin-button'));
  await until(e, 'check-in: queued', () => visibleText(e, 'checkin-queued'), (t) => t.includes('联网后自动提交'), 20_000);
  await until(e, 'queue shown', () => visibleText(e, 'offline-queue'), (t) => t.includes('1条待发送'));
  await shot(e, 'offline-01-queued');

  await e.context.setOffline(false);
  await until(e, 'queue emptied', () => byId(e, 'offline-queue').count(), (n) => n === 0, 20_000);
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
