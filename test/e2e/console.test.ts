/**
 * End-to-end: the admin and secretary console in the H5 app (Chromium), at a desk (1440 px) and on a phone (375 px).
 * The county admin and the branch secretary open every console page they may use. At 1440 each page sits in the
 * desk frame (side navigation for the member's roles, the page's own entry highlighted, headings at a desk's size);
 * at 375 it is the phone page as before. Every page is screenshotted at both widths, and the walk fails on page
 * errors, API failures, and text no member should read ({v} templates, 即将上线, undefined/NaN/null).
 * The sign-in QR's full screen fills the window with no chrome at both widths and keeps the whole title.
 *
 * Run: `npx jest --selectProjects e2e test/e2e/console.test.ts`. Screenshots: test/artifacts/screenshots/console-*.png.
 */
import path from 'node:path';
import type { Activity, PostPage } from '@pioneer/shared';
import {
  api,
  byId,
  click,
  devLogin,
  shot,
  SHOTS,
  startE2E,
  stepper,
  stopE2E,
  until,
  visibleText,
  type E2E,
} from './support';

jest.setTimeout(300_000);

const DESK = { width: 1440, height: 900 };
const PHONE = { width: 375, height: 812 };
/** Text that must never reach a member: raw templates, stubs, and values that did not arrive. */
const PLACEHOLDER = /\{[a-zA-Z_]\w*\}|即将上线|undefined|NaN|\bnull\b/;

interface ConsolePage {
  key: string;
  /** The side navigation entry that is highlighted on this page. */
  nav: string;
  url: (ids: Ids) => string;
}
interface Ids {
  activity: string;
  post: string;
}

const page = (key: string, nav = key): ConsolePage => ({ key, nav, url: () => `/console/${key}/index` });
const SECRETARY_PAGES: ConsolePage[] = [
  page('commitment-review'),
  page('audit-log'),
  { key: 'activities', nav: 'activities', url: () => '/pages/activities/index' },
  { key: 'activity-manage', nav: 'activities', url: (ids) => `/console/activity-manage/index?id=${ids.activity}` },
  page('activity-records'),
  page('service-admin'),
  { key: 'post-seats', nav: 'service-admin', url: (ids) => `/console/post-seats/index?id=${ids.post}` },
  page('post-edit'),
  page('wish-edit'),
  page('checkin-review'),
  page('checkin-report'),
];
const ADMIN_ONLY: ConsolePage[] = [page('checkin-fences'), page('admin-questions'), page('county-settings')];
const ADMIN_NAV_ONLY = ['console-nav-checkin-fences', 'console-nav-admin-questions', 'console-nav-county-settings'];

let e: E2E;
const ids: Ids = { activity: '', post: '' };
const step = stepper(() => e?.timings);

beforeAll(async () => {
  e = await startE2E({ viewport: DESK, deviceScaleFactor: 1, isMobile: false, hasTouch: false });
}, 420_000);
afterAll(() => stopE2E(e, 'console'));

/** Waits for the page (and the lists inside it) to finish loading. */
async function settled(step: string): Promise<void> {
  await until(
    e,
    `${step}: loaded`,
    () => e.page.getByText('正在加载…').filter({ visible: true }).count(),
    (n) => n === 0,
  );
  await e.page.waitForTimeout(400);
  await until(
    e,
    `${step}: loaded again`,
    () => e.page.getByText('正在加载…').filter({ visible: true }).count(),
    (n) => n === 0,
  );
}

/** The visible page's text (Taro H5 keeps earlier pages of the stack in the DOM, hidden). */
async function pageText(): Promise<string> {
  return e.page.evaluate(() => {
    const pages = Array.from(document.querySelectorAll<HTMLElement>('.taro_page')).filter(
      (p) => p.offsetParent !== null || getComputedStyle(p).display !== 'none',
    );
    return (pages[pages.length - 1] ?? document.body).innerText;
  });
}

/** The largest font size (CSS px) of any visible text on the page. */
async function largestText(): Promise<{ size: number; text: string }> {
  return e.page.evaluate(() => {
    let best = { size: 0, text: '' };
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('.taro_page *'))) {
      // Words only: a photo picker's big "+" is a tap target, not type.
      const own = Array.from(el.childNodes).some(
        (n) => n.nodeType === 3 && /[\u4e00-\u9fa5A-Za-z]/.test(n.textContent!),
      );
      if (!own || el.getClientRects().length === 0) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size > best.size) best = { size, text: el.innerText.slice(0, 40) };
    }
    return best;
  });
}

function failOnProblems(where: string): void {
  const serious = [...e.uncaught, ...e.apiFailures, ...e.blockedByCsp];
  if (serious.length) throw new Error(`${where}: ${serious.join(' | ')}\n${e.problems.slice(-10).join('\n')}`);
}

async function visit(role: string, p: ConsolePage, width: 'desk' | 'phone'): Promise<void> {
  const where = `${role} ${p.key} @${width}`;
  await e.page.setViewportSize(width === 'desk' ? DESK : PHONE);
  await e.page.goto(`${e.app.baseUrl}/#${p.url(ids)}`);
  await settled(where);
  const frame = byId(e, 'console-frame');
  if (width === 'desk') {
    await until(
      e,
      `${where}: desk frame`,
      () => frame.count(),
      (n) => n === 1,
    );
    await until(
      e,
      `${where}: own entry highlighted`,
      () => byId(e, `console-nav-${p.nav}`).getAttribute('aria-current'),
      (v) => v === 'page',
    );
    // The page's own entry is in sight in the navigation, however far down its list (ConsoleFrame).
    await until(
      e,
      `${where}: own entry in sight`,
      () =>
        e.page.evaluate((key) => {
          const nav = document.querySelector('[data-testid="console-nav"]')!.getBoundingClientRect();
          const item = document.querySelector(`[data-testid="console-nav-${key}"]`)!.getBoundingClientRect();
          return item.top >= nav.top && item.bottom <= Math.min(nav.bottom, window.innerHeight);
        }, p.nav),
      (inSight) => inSight,
    );
    const biggest = await largestText();
    if (biggest.size > 30)
      throw new Error(`${where}: text at ${biggest.size}px ("${biggest.text}"): a desk heading is 20–24 px`);
  } else {
    expect(await frame.count()).toBe(0);
  }
  const text = await pageText();
  const bad = PLACEHOLDER.exec(text);
  if (bad)
    throw new Error(
      `${where}: the page shows "${bad[0]}" in: ${text.slice(Math.max(0, bad.index - 60), bad.index + 60)}`,
    );
  await shot(e, `console-${role}-${p.key}-${width === 'desk' ? 1440 : 375}`);
  failOnProblems(where);
}

describe('the console at a desk and on a phone', () => {
  step('the branch secretary walks every console page at 1440 and 375', async () => {
    const token = await devLogin(e, 'demo-secretary', '李书记');
    // One name for one role (issue 15): the demo picker and the cadre's duty say 驻村干部, as every page does.
    await e.page.goto(`${e.app.baseUrl}/#/pages/login/index`);
    await until(
      e,
      'login: demo cadre',
      () => byId(e, 'demo-login-demo-cadre').count(),
      (n) => n === 1,
    );
    expect(await pageText()).not.toContain('第一书记');
    const acts = await api<{ items: Activity[] }>(e, 'GET', '/activities', token);
    ids.activity = (acts.items.find((a) => a.status === 'open') ?? acts.items[0])!.id;
    ids.post = (await api<PostPage>(e, 'GET', '/posts?managed=true', token)).items[0]!.id;
    for (const p of SECRETARY_PAGES) {
      await visit('secretary', p, 'desk');
      // Only what a secretary may use is offered.
      for (const id of ADMIN_NAV_ONLY) expect(await byId(e, id).count()).toBe(0);
      await visit('secretary', p, 'phone');
    }
  });

  step('the county admin walks every console page at 1440 and 375', async () => {
    await devLogin(e, 'demo-admin', '王组织');
    for (const p of [...SECRETARY_PAGES, ...ADMIN_ONLY]) {
      await visit('admin', p, 'desk');
      for (const id of ADMIN_NAV_ONLY) expect(await byId(e, id).count()).toBe(1);
      await visit('admin', p, 'phone');
    }
  });

  step('member pages at a desk stay a phone-width column in the middle, with no console frame', async () => {
    await devLogin(e, 'demo-member', '陈党员');
    for (const tab of ['index', 'service', 'mine']) {
      await e.page.setViewportSize(DESK);
      await e.page.goto(`${e.app.baseUrl}/#/pages/${tab}/index`);
      await settled(`member ${tab} desk`);
      expect(await byId(e, 'console-frame').count()).toBe(0);
      const box = await e.page.locator('.page-container').filter({ visible: true }).first().boundingBox();
      expect(box!.width).toBeLessThanOrEqual(480);
      expect(Math.abs(box!.x + box!.width / 2 - DESK.width / 2)).toBeLessThanOrEqual(2);
      const text = await pageText();
      expect(PLACEHOLDER.exec(text)).toBeNull();
      await shot(e, `console-member-${tab}-1440`);
    }
    failOnProblems('member pages at a desk');
  });

  step('县级设置 at a desk is a compact page, not a phone scroll', async () => {
    await devLogin(e, 'demo-admin', '王组织');
    await e.page.setViewportSize(DESK);
    await e.page.goto(`${e.app.baseUrl}/#/console/county-settings/index`);
    await settled('county settings desk');
    await until(
      e,
      'rules table',
      () => byId(e, 'cs-rule-checkin').count(),
      (n) => n === 1,
    );
    const height = await e.page.evaluate(() =>
      Math.max(...Array.from(document.querySelectorAll<HTMLElement>('.taro_page')).map((p) => p.scrollHeight)),
    );
    expect(height).toBeLessThan(2600);
    // Numbers are typed at a desk, not stepped with ±.
    expect(await byId(e, 'cs-rule-checkin-max-plus').count()).toBe(0);
    await e.page.screenshot({ path: path.join(SHOTS, 'console-admin-county-settings-1440-full.png'), fullPage: true });
  });

  step('the sign-in QR full screen fills the window with no chrome and the whole title, at 1440 and 375', async () => {
    const token = await devLogin(e, 'demo-secretary', '李书记');
    const acts = await api<{ items: Activity[] }>(e, 'GET', '/activities', token);
    const open = acts.items.find((a) => a.status === 'open');
    expect(open).toBeDefined();
    for (const [name, size] of [
      ['1440', DESK],
      ['375', PHONE],
    ] as const) {
      await e.page.setViewportSize(size);
      await e.page.goto(`${e.app.baseUrl}/#/console/activity-manage/index?id=${open!.id}`);
      await until(
        e,
        `manage @${name}`,
        () => byId(e, 'manage-fullscreen').count(),
        (n) => n === 1,
      );
      await click(e, 'full screen', byId(e, 'manage-fullscreen'));
      await until(
        e,
        `full code @${name}`,
        () => visibleText(e, 'manage-full-code'),
        (t) => /^\d{6}$/.test(t),
      );
      const box = (await byId(e, 'manage-full').first().boundingBox())!;
      expect([box.x, box.y, Math.round(box.width), Math.round(box.height)]).toEqual([0, 0, size.width, size.height]);
      // Nothing is drawn over it: the corners and the top centre belong to the full screen.
      const covered = await e.page.evaluate(
        ({ w, h }) => {
          const full = document.querySelector('[data-testid="manage-full"]');
          return [
            [2, 2],
            [w / 2, 2],
            [w - 2, 2],
            [w / 2, h - 2],
            [2, h - 2],
          ]
            .filter(([x, y]) => !full?.contains(document.elementFromPoint(x!, y!)))
            .map(String);
        },
        { w: size.width, h: size.height },
      );
      expect(covered).toEqual([]);
      const title = byId(e, 'manage-full-title').first();
      expect((await title.innerText()).trim()).toBe(open!.title);
      const t = (await title.boundingBox())!;
      expect(t.y).toBeGreaterThanOrEqual(0);
      expect(t.x).toBeGreaterThanOrEqual(0);
      expect(t.x + t.width).toBeLessThanOrEqual(size.width);
      // Every line of the title is inside the window (a cut title has lines above the top or past the sides).
      const lines = await title.evaluate((el) =>
        Array.from(el.getClientRects()).map((r) => [r.left, r.top, r.right, r.bottom]),
      );
      for (const [left, top, right, bottom] of lines) {
        expect(left).toBeGreaterThanOrEqual(0);
        expect(top).toBeGreaterThanOrEqual(0);
        expect(right).toBeLessThanOrEqual(size.width);
        expect(bottom).toBeLessThanOrEqual(size.height);
      }
      await shot(e, `console-qr-fullscreen-${name}`);
      await click(e, 'leave full screen', byId(e, 'manage-full'));
      await until(
        e,
        'manage: back',
        () => byId(e, 'manage-list').count(),
        (n) => n === 1,
      );
    }
    failOnProblems('QR full screen');
  });
});
