/**
 * End-to-end: 数据看板 (issue 18) in the H5 app (Chromium) as the demo county's admin, at a desk (1440 px) and on a
 * phone (375 px). The demo county carries half a year of history rebuilt into the counters, so the trend line has
 * points to draw. Every number on the cards equals the API's; the children's bars and table hold one row per
 * township; a click on a township drills down to it; the quarter view follows the period chooser.
 *
 * Run: `npx jest --selectProjects e2e test/e2e/dashboard.test.ts`. Screenshots: test/artifacts/screenshots/dashboard-*.png.
 */
import { DASHBOARD_INDICATORS, monthKey, type Dashboard } from '@pioneer/shared';
import { api, byId, click, devLogin, shot, startE2E, stepper, stopE2E, until, type E2E } from './support';

jest.setTimeout(300_000);

const DESK = { width: 1440, height: 1000 };
const PHONE = { width: 375, height: 812 };
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

let e: E2E;
let token = '';
const step = stepper(() => e?.timings);

beforeAll(async () => {
  e = await startE2E({ viewport: DESK, deviceScaleFactor: 1, isMobile: false, hasTouch: false });
}, 420_000);
afterAll(() => stopE2E(e, 'dashboard'));

async function settled(where: string): Promise<void> {
  await until(
    e,
    `${where}: loaded`,
    () => e.page.getByText('正在加载…').filter({ visible: true }).count(),
    (n) => n === 0,
  );
  await e.page.waitForTimeout(400);
}

/** The cards show the API's numbers for every indicator. */
async function cardsMatch(where: string, d: Dashboard): Promise<void> {
  await until(
    e,
    `${where}: org ${d.org.name}`,
    () => byId(e, 'dash-org').innerText(),
    (t) => t.includes(d.org.name),
  );
  await until(
    e,
    `${where}: period ${d.label}`,
    () => byId(e, 'dash-period').innerText(),
    (t) => t === d.label,
  );
  for (const k of DASHBOARD_INDICATORS) {
    const shown = await byId(e, `card-${k}`).locator('[data-testid="card-value"]').innerText();
    expect(`${k}=${shown}`).toBe(`${k}=${fmt(d.values[k])}`);
  }
}

const query = (period: string, org?: string) =>
  `/dashboard?period=${period}&at=${monthKey(new Date())}${org ? `&org=${org}` : ''}`;

describe('数据看板 as the county admin', () => {
  step('signs in and opens 数据看板 from the desk navigation', async () => {
    token = await devLogin(e, 'demo-admin', '王组织');
    await e.page.goto(`${e.app.baseUrl}/#/console/dashboard/index`);
    await settled('dashboard');
    await until(
      e,
      'nav entry highlighted',
      () => byId(e, 'console-nav-dashboard').getAttribute('aria-current'),
      (v) => v === 'page',
    );
  });

  step('desk, month: the cards equal the API, a trend line of the year, a bar and a row per township', async () => {
    const d = await api<Dashboard>(e, 'GET', query('month'), token);
    expect(d.org.type).toBe('county');
    expect(d.children.length).toBeGreaterThan(1);
    // Half a year of history: the months before this one have numbers.
    expect(d.trend.filter((p) => p.values.active > 0).length).toBeGreaterThanOrEqual(5);
    await cardsMatch('desk month', d);
    expect(await byId(e, 'trend-chart').locator('circle').count()).toBe(d.trend.length);
    expect(await byId(e, 'children-bars-row').count()).toBe(d.children.length);
    expect(await byId(e, 'children-table-row').count()).toBe(d.children.length);
    await shot(e, 'dashboard-01-desk-month');
  });

  step('desk, quarter: the period chooser switches, cards follow the API', async () => {
    await click(e, 'quarter', byId(e, 'period-quarter'));
    await settled('quarter');
    const d = await api<Dashboard>(e, 'GET', query('quarter'), token);
    await cardsMatch('desk quarter', d);
    await click(e, 'hours card', byId(e, 'card-hours'));
    await shot(e, 'dashboard-02-desk-quarter-hours');
  });

  step('desk: a click on a township drills down to its villages', async () => {
    const county = await api<Dashboard>(e, 'GET', query('quarter'), token);
    const town = county.children[0]!;
    await click(e, `open ${town.name}`, byId(e, 'children-table-row').getByText(town.name, { exact: true }));
    const d = await api<Dashboard>(e, 'GET', query('quarter', town.id), token);
    await cardsMatch('drill down', d);
    expect(await byId(e, 'children-table-row').count()).toBe(d.children.length);
    await shot(e, 'dashboard-03-desk-township');
    await click(e, 'back up', byId(e, 'dash-up'));
    await cardsMatch('back at the county', county);
  });

  step('phone 375: the same numbers, cards two a row, the children as a list', async () => {
    await e.page.setViewportSize(PHONE);
    await e.page.goto(`${e.app.baseUrl}/#/console/dashboard/index`);
    await e.page.reload();
    await settled('phone');
    const d = await api<Dashboard>(e, 'GET', query('month'), token);
    await cardsMatch('phone month', d);
    expect(await byId(e, 'children-list-row').count()).toBe(d.children.length);
    const overflow = await e.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(e, 'dashboard-04-phone-month');
    await e.page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await byId(e, 'children-list').scrollIntoViewIfNeeded();
    await shot(e, 'dashboard-05-phone-charts');
  });
});
