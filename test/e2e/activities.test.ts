/**
 * End-to-end: 组织生活 in the H5 app (Chromium). The branch secretary opens the demo county's 主题党日 on 签到管理
 * and shows the rotating QR with its code under it; a member on another phone finds the activity on 首页 and signs
 * in with the current code; the secretary's live list updates — checked against the API at each step.
 */
import type { Activity, Attendance, Me, QrReply, RecordBook } from '@pioneer/shared';
import {
  api,
  byId,
  click,
  devLogin,
  PHONE,
  shot,
  startE2E,
  stepper,
  stopE2E,
  until,
  visibleText,
  type E2E,
} from './support';

/** The QR <img> inside a Taro <Image>: its src and its size on screen, once it has loaded. */
async function qrImage(
  e: E2E,
  id: string,
): Promise<{ src: string; width: number; height: number; centre: number; loaded: boolean }> {
  const img = byId(e, id).first().locator('img').filter({ visible: true }).first();
  if ((await img.count()) === 0) return { src: '', width: 0, height: 0, centre: 0, loaded: false };
  const box = await img.boundingBox();
  const loaded = await img.evaluate(
    (el) =>
      (el as unknown as { complete: boolean; naturalWidth: number }).complete &&
      (el as unknown as { naturalWidth: number }).naturalWidth > 0,
  );
  return {
    src: (await img.getAttribute('src')) ?? '',
    width: box?.width ?? 0,
    height: box?.height ?? 0,
    centre: box ? box.x + box.width / 2 : 0,
    loaded,
  };
}

jest.setTimeout(240_000);

let e: E2E;
let phone: E2E;
let secretaryToken: string;
let activity: Activity;
const step = stepper(() => e?.timings);

beforeAll(async () => {
  e = await startE2E();
  const context = await e.browser.newContext(PHONE);
  phone = { ...e, context, page: await context.newPage() };
  phone.page.on('pageerror', (err) => e.uncaught.push(`member phone: ${err.message}`));
}, 420_000);
afterAll(async () => {
  await phone?.context.close().catch(() => undefined);
  await stopE2E(e, 'activities');
});

describe('组织生活 in the H5 app', () => {
  step(
    'the secretary opens 签到管理 of the open 主题党日 and the page shows the QR with the current code under it',
    async () => {
      secretaryToken = await devLogin(e, 'demo-secretary', '李书记');
      const list = await api<{ items: Activity[] }>(e, 'GET', '/activities', secretaryToken);
      activity = list.items.find((a) => a.type === 'theme_day' && a.status === 'open')!;
      expect(activity).toBeDefined();
      await e.page.goto(`${e.app.baseUrl}/#/console/activity-manage/index?id=${activity.id}`);
      const code = await until(
        e,
        'manage: code',
        () => visibleText(e, 'manage-code'),
        (t) => /^\d{6}$/.test(t),
      );
      const qr = await api<QrReply>(e, 'GET', `/activities/${activity.id}/qr`, secretaryToken);
      // The code rotates every 30 s; the page may show the previous slot's for a moment.
      expect(code.length).toBe(qr.code.length);
      expect(await visibleText(e, 'manage-counts')).toContain('已到 0');
      // The QR is drawn by the server from the same token; large enough to scan across a room.
      const img = await until(
        e,
        'manage: QR image',
        () => qrImage(e, 'manage-qr-img'),
        (i) => i.loaded,
      );
      expect(img.src).toMatch(/^data:image\/png;base64,/);
      expect(img.width).toBeGreaterThanOrEqual(240);
      expect(Math.abs(img.width - img.height)).toBeLessThanOrEqual(2);
      // Centred on the 375 px phone, so no part of it is cut off by its frame.
      expect(Math.abs(img.centre - 375 / 2)).toBeLessThanOrEqual(4);
      await shot(e, 'activity-01-manage');
      await click(e, 'full screen', byId(e, 'manage-fullscreen'));
      await until(
        e,
        'manage: full screen code',
        () => visibleText(e, 'manage-full-code'),
        (t) => /^\d{6}$/.test(t),
      );
      const box = await byId(e, 'manage-full-code').first().boundingBox();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(375);
      const full = await until(
        e,
        'manage: full screen QR',
        () => qrImage(e, 'manage-full-qr'),
        (i) => i.loaded,
      );
      expect(full.src).toMatch(/^data:image\/png;base64,/);
      expect(full.width).toBeGreaterThanOrEqual(300);
      expect(full.width).toBeLessThanOrEqual(375);
      expect(Math.abs(full.centre - 375 / 2)).toBeLessThanOrEqual(4);
      await shot(e, 'activity-02-fullscreen');
      await click(e, 'leave full screen', byId(e, 'manage-full'));
      await until(
        e,
        'manage: back',
        () => byId(e, 'manage-list').count(),
        (n) => n === 1,
      );
    },
  );

  step('a member finds it on 首页, types the code shown on the secretary’s screen and is signed in', async () => {
    const token = await devLogin(phone, 'demo-member', '陈党员');
    const me = await api<Me>(e, 'GET', '/me', token);
    await until(
      phone,
      'home: activity card',
      () => visibleText(phone, 'home-activity-title'),
      (t) => t.includes(activity.title),
    );
    await shot(phone, 'activity-03-home');
    await click(phone, 'open activity', byId(phone, 'home-activity'));
    await until(
      phone,
      'activity: title',
      () => visibleText(phone, 'activity-title'),
      (t) => t === activity.title,
    );
    const code = await visibleText(e, 'manage-code');
    await byId(phone, 'activity-code').first().locator('input').fill(code);
    await click(phone, 'sign in', byId(phone, 'activity-signin'));
    await until(
      phone,
      'activity: signed in',
      () => visibleText(phone, 'activity-signed'),
      (t) => t.startsWith('已签到'),
    );
    await shot(phone, 'activity-04-signed');
    const mine = await api<Activity>(e, 'GET', `/activities/${activity.id}`, token);
    expect(mine.mine.signedInAt).not.toBeNull();
    const attendance = await api<Attendance>(e, 'GET', `/activities/${activity.id}/attendance`, secretaryToken);
    expect([...attendance.present, ...attendance.late].map((p) => p.userId)).toContain(me.id);
  });

  step('the secretary’s live list shows the member without a reload', async () => {
    await until(
      e,
      'manage: list updated',
      () => visibleText(e, 'manage-counts'),
      (t) => t.includes('已到 1'),
      20_000,
    );
    const row = e.page.locator('[data-testid="manage-row"]').filter({ visible: true }).filter({ hasText: '陈党员' });
    expect(await row.count()).toBeGreaterThan(0);
    await shot(e, 'activity-05-list');
  });

  step('the secretary opens 组织生活 and the quarter’s 三会一课台账, which agree with the API', async () => {
    await e.page.goto(`${e.app.baseUrl}/#/pages/activities/index`);
    await until(
      e,
      'activities: list',
      () => byId(e, 'acts-item').count(),
      (n) => n >= 3,
    );
    await shot(e, 'activity-06-list');
    await click(e, 'open record book', byId(e, 'acts-records'));
    const book = await api<RecordBook>(e, 'GET', '/activities/record-book', secretaryToken);
    const branch = book.branches[0]!;
    const text = await until(
      e,
      'record book: branch',
      () => visibleText(e, 'rb-branch'),
      (t) => t.includes(branch.branch.name),
    );
    expect(text).toContain(`出勤率 ${Math.round(branch.attendanceRate * 100)}%`);
    const committee = branch.byType.find((x) => x.type === 'committee')!;
    expect(text).toMatch(new RegExp(`支委会\\s*${committee.held} / 应开 ${committee.required}`));
    await shot(e, 'activity-07-record-book');
  });

  step('the browser saw no unexpected API error, CSP block or exception', async () => {
    expect(e.apiFailures).toEqual([]);
    expect(e.blockedByCsp).toEqual([]);
    expect(e.uncaught).toEqual([]);
  });
});
