/**
 * End-to-end: 数据看板 (issue 18) in the H5 app (Chromium) as the demo county's admin, at a desk (1440 px) and on a
 * phone (375 px). The demo county carries half a year of history rebuilt into the counters, so the trend line has
 * points to draw. Every number on the cards equals the API's; the children's bars and table hold one row per
 * township; a click on a township drills down to it; the quarter view follows the period chooser.
 *
 * Run: `npx jest --selectProjects e2e test/e2e/dashboard.test.ts`. Screenshots: test/artifacts/screenshots/dashboard-*.png.
 */
import { DASHBOARD_INDICATORS, monthKey, type Dashboard, type InspectionList } from '@pioneer/shared';
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

/** The chart drew something: ECharts' canvas with coloured pixels. */
async function drawn(testId: string): Promise<void> {
  await until(
    e,
    `${testId} drawn`,
    () =>
      byId(e, testId).evaluate((el) => {
        const canvas = el.querySelector('canvas');
        if (!canvas || canvas.width === 0 || canvas.height === 0) return 0;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let red = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i]! > 150 && data[i + 1]! < 80 && data[i + 2]! < 80) red++;
        return red;
      }),
    (n) => n > 50,
  );
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
    await drawn('trend-chart');
    await drawn('children-bars');
    expect(await byId(e, 'children-bars').getAttribute('data-rows')).toBe(String(d.children.length));
    // The new indicators (三会一课, cadres' 应出勤, idle branches) and the half-year's 巡查 coverage.
    expect(d.trend.some((p) => p.values.metRate > 0)).toBe(true);
    const cover = await byId(e, 'dash-inspections').innerText();
    expect(cover).toContain(`村 ${d.inspections.villages.covered}/${d.inspections.villages.total}`);
    expect(cover).toContain(`支部 ${d.inspections.branches.covered}/${d.inspections.branches.total}`);
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

describe('巡查记录 as the county admin', () => {
  step('desk 1440: coverage equals the board, one table row per visit this half-year', async () => {
    await e.page.setViewportSize(DESK);
    await e.page.goto(`${e.app.baseUrl}/#/console/inspections/index`);
    await e.page.reload();
    await settled('inspections');
    const list = await api<InspectionList>(e, 'GET', '/inspections', token);
    expect(list.items.length).toBeGreaterThan(0);
    await until(
      e,
      'table rows',
      () => byId(e, 'insp-table-row').count(),
      (n) => n === list.items.length,
    );
    const d = await api<Dashboard>(e, 'GET', query('month'), token);
    const cover = await byId(e, 'insp-cover').innerText();
    expect(cover).toContain(`村 ${d.inspections.villages.covered}/${d.inspections.villages.total}`);
    await shot(e, 'dashboard-06-desk-inspections');
  });

  step('phone 375: the visits as a list, nothing wider than the screen', async () => {
    await e.page.setViewportSize(PHONE);
    await e.page.reload();
    await settled('inspections phone');
    const list = await api<InspectionList>(e, 'GET', '/inspections', token);
    await until(
      e,
      'list items',
      () => byId(e, 'insp-item').count(),
      (n) => n === list.items.length,
    );
    const overflow = await e.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(e, 'dashboard-07-phone-inspections');
  });
});
