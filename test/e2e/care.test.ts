/**
 * End-to-end: 关怀模式 in the H5 app (Chromium). A member turns it on in 我的; it is remembered on the member
 * (GET /me), 首页 shows only the essentials in larger type, and 积分规则 lists the rules in force.
 */
import type { Me } from '@pioneer/shared';
import { api, byId, click, devLogin, shot, startE2E, stepper, stopE2E, until, visibleText, type E2E } from './support';

jest.setTimeout(240_000);

let e: E2E;
let token: string;
const step = stepper(() => e?.timings);

beforeAll(async () => {
  e = await startE2E();
}, 420_000);
afterAll(() => stopE2E(e, 'care'));

/** Rendered size of the text: its font size times the care-mode zoom of its page. */
const fontPx = (id: string) =>
  byId(e, id)
    .first()
    .evaluate((el) => {
      const g = globalThis as unknown as { getComputedStyle(n: unknown): { zoom: string; fontSize: string } };
      const page = (el as unknown as { closest(s: string): unknown }).closest('.page-container');
      return parseFloat(g.getComputedStyle(el).fontSize) * Number(g.getComputedStyle(page).zoom || '1');
    });

describe('关怀模式 in the H5 app', () => {
  step('a member turns 关怀模式 on in 我的 and it is remembered', async () => {
    token = await devLogin(e, 'demo-member', '陈党员');
    await e.page.goto(`${e.app.baseUrl}/#/pages/index/index`);
    await until(
      e,
      'home: greeting',
      () => visibleText(e, 'home-greeting'),
      (t) => t.includes('陈党员'),
    );
    const before = await fontPx('home-greeting');
    await shot(e, 'care-01-home-normal');
    await e.page.goto(`${e.app.baseUrl}/#/pages/mine/index`);
    await click(e, 'care switch', byId(e, 'setting-careMode'));
    await until(
      e,
      'switch on',
      () => byId(e, 'switch-careMode').first().getAttribute('aria-checked'),
      (v) => v === 'true',
    );
    expect((await api<Me>(e, 'GET', '/me', token)).careMode).toBe(true);
    await shot(e, 'care-02-mine');
    await e.page.goto(`${e.app.baseUrl}/#/pages/index/index`);
    await e.page.reload();
    await until(
      e,
      'home: care layout',
      () => byId(e, 'home-care').count(),
      (n) => n > 0,
    );
    expect(await byId(e, 'shortcut-posts').count()).toBe(0);
    const after = await fontPx('home-greeting');
    expect(after / before).toBeGreaterThanOrEqual(1.25);
    await shot(e, 'care-03-home-care');
  });

  step('the tab bar reads at 18 px in 关怀模式 (13 px otherwise), in ink with >= 7:1 contrast', async () => {
    const labels = () =>
      e.page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>('.weui-tabbar__label'))
          .filter((el) => el.getClientRects().length > 0)
          .map((el) => ({
            text: el.innerText,
            size: parseFloat(getComputedStyle(el).fontSize),
            color: getComputedStyle(el).color,
          })),
      );
    /** WCAG contrast of an rgb() colour on the bar's white. */
    const contrast = (rgb: string) => {
      const [r, g, b] = rgb
        .match(/\d+/g)!
        .slice(0, 3)
        .map((v) => {
          const c = Number(v) / 255;
          return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
      return 1.05 / (0.2126 * r! + 0.7152 * g! + 0.0722 * b! + 0.05);
    };
    await e.page.goto(`${e.app.baseUrl}/#/pages/index/index`);
    const care = await until(e, 'tab labels (care)', labels, (l) => l.length === 5);
    for (const l of care) {
      expect(l.size).toBeGreaterThanOrEqual(18);
      expect(contrast(l.color)).toBeGreaterThanOrEqual(7);
    }
    await shot(e, 'care-05-tabbar');
    await api(e, 'PATCH', '/me', token, { careMode: false });
    await e.page.goto(`${e.app.baseUrl}/#/pages/mine/index`);
    await e.page.reload();
    await until(
      e,
      'care off',
      () => e.page.evaluate(() => document.documentElement.classList.contains('care-mode')),
      (on) => !on,
    );
    const normal = await until(e, 'tab labels (normal)', labels, (l) => l.length === 5);
    for (const l of normal) expect(l.size).toBeGreaterThanOrEqual(13);
  });

  step('in 关怀模式 no text on the member tabs is under 18 px (rendered: font size x the page zoom)', async () => {
    await api(e, 'PATCH', '/me', token, { careMode: true });
    const small: string[] = [];
    for (const tab of ['index', 'study', 'service', 'identity', 'mine']) {
      await e.page.goto(`${e.app.baseUrl}/#/pages/${tab}/index`);
      await e.page.reload();
      await until(
        e,
        `${tab}: care`,
        () => e.page.locator('.page-container.care').filter({ visible: true }).count(),
        (n) => n > 0,
      );
      await e.page.waitForTimeout(800);
      const found = await e.page.evaluate(() => {
        const out: string[] = [];
        const page = Array.from(document.querySelectorAll<HTMLElement>('.page-container.care')).find(
          (p) => p.getClientRects().length > 0,
        );
        if (!page) return ['(no care page)'];
        const zoom = Number(getComputedStyle(page).zoom || '1');
        for (const el of Array.from(page.querySelectorAll<HTMLElement>('*'))) {
          const own = Array.from(el.childNodes).some(
            (n) => n.nodeType === 3 && /[\u4e00-\u9fa5A-Za-z0-9]/.test(n.textContent!),
          );
          if (!own || el.getClientRects().length === 0) continue;
          const px = parseFloat(getComputedStyle(el).fontSize) * zoom;
          if (px < 17.95)
            out.push(`${px.toFixed(1)}px "${el.innerText.trim().slice(0, 20)}" .${String(el.className).split(' ')[0]}`);
        }
        return out;
      });
      small.push(...found.map((f) => `${tab}: ${f}`));
    }
    expect(small).toEqual([]);
  });

  step('积分规则 lists the rules in force', async () => {
    await e.page.goto(`${e.app.baseUrl}/#/pages/points-rules/index`);
    await until(
      e,
      'rules',
      () => visibleText(e, 'rule-daily_quiz'),
      (t) => t.includes('每日答题') && t.includes('每天最多5分'),
    );
    await shot(e, 'care-04-rules');
    await api(e, 'PATCH', '/me', token, { careMode: false });
  });
});
