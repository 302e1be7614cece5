/**
 * End-to-end journey (quality.md "End-to-end"): the H5 build served by the real server on 127.0.0.1 over a fresh
 * database holding the demo county, driven by playwright-core in Debian's Chromium.
 *
 * Run: `npx jest --selectProjects e2e` (or `npm run test:e2e`). Builds the H5 app first when
 * miniprogram/dist/h5/index.html is missing; PIONEER_E2E_BUILD=1 forces a rebuild.
 * Screenshots: test/artifacts/screenshots/<step>.png (git-ignored), to be looked at.
 *
 * Everything asserted is what a member sees (text on the page), compared with what the API answers for the
 * same member at the same moment: no numbers are hard-coded, the demo data is random-looking by design.
 */
import { cpSync, existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { LedgerPage, Me, MemberBoard, OrgBoard, Period, PublicConfig } from '@pioneer/shared';
import { startTestApp, type TestApp } from '../../server/test/support/harness';
import { seedDemoCounty } from '../../server/src/jobs/demo-county';
import { OrgModel } from '../../server/src/modules/orgs/orgs.model';
import { buildH5, PHONE } from './support';
import { SettingModel } from '../../server/src/modules/settings/settings.model';

// Seeding the demo county takes 40-80 s on the embedded engine (beforeAll has its own, longer budget for the build).
jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '../..');
const H5_DIR = path.join(ROOT, 'miniprogram', 'dist', 'h5');
const SHOTS = path.join(ROOT, 'test', 'artifacts', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const UI_TIMEOUT_MS = 15_000;
const PERIOD_LABELS: Record<Period, string> = { week: '本周', month: '本月', year: '本年', all: '累计' };
const GREETINGS = ['夜深了', '早上好', '中午好', '下午好', '晚上好'];

let app: TestApp;
/** A private copy of the H5 build: another build running meanwhile (a colleague, a watcher) cannot pull it away. */
let h5Copy: string | undefined;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const timings: Record<string, number> = {};
/** Everything odd the browser saw: failed API calls (with bodies), console errors, uncaught exceptions. */
const problems: string[] = [];
const apiFailures: string[] = [];
const blockedByCsp: string[] = [];
const uncaught: string[] = [];
/** Wrong sizes do not stop the journey (its other checks still tell something); the last test reports them. */
const layoutProblems: string[] = [];
/** Later steps depend on earlier ones: once one fails, the rest say so instead of failing confusingly. */
let broken: string | undefined;

async function timed<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
  const started = Date.now();
  try {
    return await fn();
  } finally {
    timings[name] = Date.now() - started;
  }
}

function diagnostics(): string {
  const lines = problems.slice(-15);
  return lines.length ? `\nbrowser saw:\n  ${lines.join('\n  ')}` : '';
}

// ---------------------------------------------------------------- API (the oracle) ----------------------------

async function api<T>(method: 'GET' | 'POST', pathAndQuery: string, token?: string, body?: unknown): Promise<T> {
  const res = await fetch(`${app.baseUrl}/api/v1${pathAndQuery}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`API ${method} ${pathAndQuery} -> ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

const memberBoard = (token: string, scope: string, period: Period) =>
  api<MemberBoard>('GET', `/leaderboards/members?scope=${scope}&period=${period}&limit=50`, token);
const orgBoard = (token: string, parent: string, period: Period) =>
  api<OrgBoard>('GET', `/leaderboards/orgs?parent=${parent}&period=${period}`, token);

/** The session token the app itself stored (Taro keeps `{"data": <value>}` JSON in localStorage). */
async function appToken(): Promise<string> {
  const state = await context.storageState();
  const entry = state.origins.find((o) => o.origin === app.baseUrl)?.localStorage.find((e) => e.name === 'token');
  if (!entry) throw new Error(`no token in localStorage after login; storage: ${JSON.stringify(state.origins)}`);
  const token = (JSON.parse(entry.value) as { data?: unknown }).data;
  if (typeof token !== 'string' || !token) throw new Error(`unexpected stored token ${entry.value}`);
  return token;
}

// ---------------------------------------------------------------- page helpers --------------------------------

/** Taro H5 keeps earlier pages of the stack (and hidden tab pages) in the DOM: only the visible copy counts. */
const byId = (id: string): Locator => page.locator(`[data-testid="${id}"]`).filter({ visible: true });

async function failOnErrorState(step: string): Promise<void> {
  const error = byId('page-error');
  if ((await error.count()) > 0) {
    const text = (
      await error
        .first()
        .innerText()
        .catch(() => '')
    ).replace(/\s+/g, ' ');
    await shot(`FAILED-${step.replace(/[^\w-]+/g, '_')}`).catch(() => undefined);
    throw new Error(`${step}: the page shows its error state (page-error): "${text}"${diagnostics()}`);
  }
}

/** Polls `read` until `ok` holds (the UI loads asynchronously), failing early on the page's error state. */
async function until<T>(
  step: string,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = UI_TIMEOUT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    await failOnErrorState(step);
    try {
      last = await read();
      lastError = undefined;
      if (ok(last)) return last;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      await shot(`FAILED-${step.replace(/[^\w-]+/g, '_')}`).catch(() => undefined);
      const seen = lastError ? `error ${String(lastError).split('\n')[0]}` : JSON.stringify(last);
      throw new Error(`${step}: not as expected after ${timeoutMs} ms; last seen: ${seen}${diagnostics()}`);
    }
    await page.waitForTimeout(150);
  }
}

async function visibleText(id: string): Promise<string> {
  const el = byId(id);
  if ((await el.count()) === 0) throw new Error(`[data-testid=${id}] not visible`);
  return (await el.first().innerText()).replace(/\s+/g, ' ').trim();
}

async function click(step: string, target: Locator): Promise<void> {
  await failOnErrorState(step);
  await target.first().click({ timeout: UI_TIMEOUT_MS });
}

async function shot(name: string): Promise<void> {
  // Let the last render and any web font settle; the toast of a just-finished action is part of what a member sees.
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

function step(name: string, fn: () => Promise<void>): void {
  test(name, async () => {
    if (broken) throw new Error(`not run: an earlier step failed (${broken})`);
    try {
      await timed(name, fn);
    } catch (err) {
      broken = name;
      throw err;
    }
  });
}

interface MemberRow {
  rank: number;
  name: string;
  points: number;
}
interface OrgRow {
  rank: number;
  name: string;
  average: string;
}

const toInt = (s: string) => Number.parseInt(s.replace(/[^\d-]/g, ''), 10);

async function memberRows(): Promise<MemberRow[]> {
  const rows = byId('lb-row');
  const [ranks, names, points] = await Promise.all([
    rows.locator('.board__rank').allInnerTexts(),
    rows.locator('.board__name').allInnerTexts(),
    rows.locator('.board__points').allInnerTexts(),
  ]);
  return ranks.map((r, i) => ({ rank: toInt(r), name: (names[i] ?? '').trim(), points: toInt(points[i] ?? '') }));
}

async function orgRows(): Promise<OrgRow[]> {
  const rows = byId('lb-org-row');
  const [ranks, names, averages] = await Promise.all([
    rows.locator('.board__rank').allInnerTexts(),
    rows.locator('.board__name').allInnerTexts(),
    rows.locator('.board__avg .board__points').allInnerTexts(),
  ]);
  return ranks.map((r, i) => ({ rank: toInt(r), name: (names[i] ?? '').trim(), average: (averages[i] ?? '').trim() }));
}

const expectedMemberRows = (b: MemberBoard): MemberRow[] =>
  b.items.map((r) => ({ rank: r.rank, name: r.name, points: r.points }));
const expectedOrgRows = (b: OrgBoard): OrgRow[] =>
  b.items.map((r) => ({ rank: r.rank, name: r.name, average: String(r.average) }));
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const meText = (b: MemberBoard) => (b.me ? `我的排名 第${b.me.rank}名 · ${b.me.points}分` : '我的排名 暂无排名');

function expectWellOrdered(rows: { rank: number }[], points: number[], what: string): void {
  expect(rows[0]?.rank).toBe(1);
  for (let i = 1; i < rows.length; i++) {
    if (points[i]! > points[i - 1]!)
      throw new Error(`${what}: row ${i + 1} has more points than row ${i}: ${JSON.stringify(rows)}`);
    if (rows[i]!.rank < rows[i - 1]!.rank)
      throw new Error(`${what}: ranks go down at row ${i + 1}: ${JSON.stringify(rows)}`);
  }
}

// ---------------------------------------------------------------- setup ---------------------------------------

/** The files index.html loads that are missing from `dir` (a build caught half-written). */
function missingAssets(dir: string): string[] {
  const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  if (refs.length === 0) return ['(index.html loads no script: not a Taro build?)'];
  return refs.filter((r) => !existsSync(path.join(dir, r)));
}

/** Copies the build once it is complete; waits up to a minute when a build is being written. */
async function snapshotH5(): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const copy = mkdtempSync(path.join(tmpdir(), 'pioneer-e2e-h5-'));
    let missing: string[];
    try {
      cpSync(H5_DIR, copy, { recursive: true });
      missing = missingAssets(copy);
    } catch (err) {
      missing = [String(err)];
    }
    if (missing.length === 0) return copy;
    rmSync(copy, { recursive: true, force: true });
    if (Date.now() > deadline)
      throw new Error(
        `the H5 build in ${H5_DIR} is incomplete (missing ${missing.join(', ')}); rebuild with npm run build:h5 -w miniprogram`,
      );
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

beforeAll(async () => {
  // Only this run's pictures (and FAILED-* ones only when something failed). Other e2e files write their own
  // prefixed pictures (posts-*, checkin-*, ...) into the same folder: only this journey's are cleared.
  mkdirSync(SHOTS, { recursive: true });
  for (const f of readdirSync(SHOTS)) if (/^(\d\d-|FAILED-)/.test(f)) rmSync(path.join(SHOTS, f), { force: true });
  await timed('h5 build', () => {
    if (existsSync(path.join(H5_DIR, 'index.html')) && process.env.PIONEER_E2E_BUILD !== '1') return;
    buildH5();
  });
  h5Copy = await timed('h5 snapshot', snapshotH5);
  app = await timed('server start', () => startTestApp({ h5Dir: h5Copy }));
  await timed('seed demo county', () => seedDemoCounty());
  // This journey walks the county-wide boards as a member: the demo county opens them to everyone in scope
  // (the product default, issue 9, is own-branch only).
  const demoCounty = await OrgModel.findOne({ type: 'county' }).lean();
  await SettingModel.updateOne(
    { _id: `ranking|${demoCounty!._id}` },
    { $set: { visibility: 'scope' } },
    { upsert: true },
  );
  browser = await timed('browser launch', () =>
    chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    }),
  );
  context = await browser.newContext(PHONE);
  page = await context.newPage();
  page.on('response', (res) => {
    if (res.status() < 400) return;
    if (!res.url().includes('/api/')) {
      problems.push(`HTTP ${res.request().method()} ${res.url().replace(app.baseUrl, '')} -> ${res.status()}`);
      return;
    }
    void res.text().then(
      (body) => {
        const line = `${res.request().method()} ${res.url().replace(app.baseUrl, '')} -> ${res.status()} ${body.slice(0, 300)}`;
        apiFailures.push(line);
        problems.push(`API ${line}`);
      },
      () => undefined,
    );
  });
  page.on('requestfailed', (req) =>
    problems.push(`request failed: ${req.method()} ${req.url()} (${req.failure()?.errorText})`),
  );
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    problems.push(`console.error: ${text.slice(0, 300)}`);
    // Every refusal counts: the tab bar's `javascript:;` links no longer navigate (miniprogram utils/tabbar-links.ts).
    if (text.includes('Content Security Policy')) blockedByCsp.push(text.slice(0, 300));
  });
  page.on('pageerror', (err) => {
    problems.push(`uncaught: ${err.message}`);
    uncaught.push(err.message);
  });
  // Its own budget: a cold H5 build (up to 180 s) plus the seed (40-80 s on a busy machine).
}, 420_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (h5Copy) rmSync(h5Copy, { recursive: true, force: true });
  const total = Object.entries(timings)
    .map(([k, v]) => `${k}: ${(v / 1000).toFixed(1)} s`)
    .join('\n  ');
  process.stderr.write(`[e2e] timings\n  ${total}\n`);
});

// ---------------------------------------------------------------- the member's journey -------------------------

const session: { token?: string; me?: Me } = {};

step('dev login as the demo member lands on 首页 with their name', async () => {
  const config = await api<PublicConfig>('GET', '/config/public');
  expect(config.devLogin).toBe(true);

  await page.goto(`${app.baseUrl}/#/pages/login/index`);
  await until(
    'login: demo identities',
    async () => byId('demo-login-demo-member').count(),
    (n) => n === 1,
  );
  for (const d of config.demoIdentities) {
    const text = await visibleText(`demo-login-${d.openid}`);
    expect(text).toContain(d.name);
    expect(text).toContain(d.label);
  }
  // Sizes are rem-based (1rem = 40 design px = 20 CSS px on a 375 px phone); a wrong base makes every text wrong.
  const remBase = await page.evaluate('getComputedStyle(document.documentElement).fontSize');
  if (remBase !== '20px') {
    layoutProblems.push(
      `login: the root font-size (rem base) is ${String(remBase)}, not 20px: every size is off by the same factor (rem script blocked?)`,
    );
  }
  await shot('01-login');

  await click('login', byId('demo-login-demo-member'));
  const greeting = await until(
    'home: greeting',
    () => visibleText('home-greeting'),
    (t) => t.includes('陈党员'),
  );
  expect(GREETINGS.some((g) => greeting.startsWith(g))).toBe(true);
  expect(page.url()).toContain('/pages/index/index');

  session.token = await appToken();
  session.me = await api<Me>('GET', '/me', session.token);
  expect(session.me.name).toBe('陈党员');
  const me = session.me;
  const rank = (
    await api<MemberBoard>('GET', `/leaderboards/members?scope=${me.org!.id}&period=month&limit=1`, session.token)
  ).me;
  await until(
    'home: month points',
    () => visibleText('home-month-points'),
    (t) => t === String(me.points.month),
  );
  await until(
    'home: branch rank',
    () => visibleText('home-branch-rank'),
    (t) => t === (rank ? `第${rank.rank}名` : '暂无排名'),
  );
  await shot('02-home-member');
});

step('我的 shows the same points as the API for 本周/本月/本年/累计', async () => {
  const tab = page.locator('.weui-tabbar__item', { hasText: '我的' }).filter({ visible: true });
  if ((await tab.count()) > 0) await click('mine: tab bar', tab);
  else await page.goto(`${app.baseUrl}/#/pages/mine/index`);
  await until(
    'mine: card',
    () => visibleText('mine-card'),
    (t) => t.includes('陈党员') && t.includes('青山村党支部'),
  );

  // Read the API after the page loaded: both then describe the same moment.
  const me = await api<Me>('GET', '/me', session.token);
  for (const p of ['week', 'month', 'year', 'all'] as const) {
    await until(
      `mine: ${p} points`,
      () => visibleText(`mine-points-${p}`),
      (t) => t === `${me.points[p]} ${PERIOD_LABELS[p]}`,
    );
  }
  expect(me.points.all).toBeGreaterThan(0);
  await shot('03-mine');
});

step('积分排行 lists my branch this month, with my rank matching the API', async () => {
  const me = session.me!;
  await click('mine: leaderboard link', byId('link-leaderboard'));
  const board = await memberBoard(session.token!, me.org!.id, 'month');
  const rows = await until('leaderboard: branch/month rows', memberRows, (r) => same(r, expectedMemberRows(board)));
  expect(rows.length).toBeGreaterThanOrEqual(3);
  expectWellOrdered(
    rows,
    rows.map((r) => r.points),
    'branch/month',
  );
  expect(board.me).not.toBeNull();
  await until(
    'leaderboard: my rank',
    () => visibleText('lb-me'),
    (t) => t === meText(board),
  );
  expect(rows.some((r) => r.name === '陈党员' && r.rank === board.me!.rank && r.points === board.me!.points)).toBe(
    true,
  );
  await shot('04-leaderboard-branch-month');
});

step('switching period and scope shows what the API says for them', async () => {
  const me = session.me!;
  const county = me.org!.path.find((o) => o.type === 'county');
  expect(county).toBeDefined();
  const before = await memberRows();

  await click('leaderboard: period week', byId('period-week'));
  const week = await memberBoard(session.token!, me.org!.id, 'week');
  await until('leaderboard: branch/week rows', memberRows, (r) => same(r, expectedMemberRows(week)));
  await until(
    'leaderboard: my branch/week rank',
    () => visibleText('lb-me'),
    (t) => t === meText(week),
  );
  await shot('05-leaderboard-branch-week');

  await click('leaderboard: scope county', byId('scope-county'));
  const countyWeek = await memberBoard(session.token!, county!.id, 'week');
  const rows = await until('leaderboard: county/week rows', memberRows, (r) => same(r, expectedMemberRows(countyWeek)));
  await until(
    'leaderboard: my county/week rank',
    () => visibleText('lb-me'),
    (t) => t === meText(countyWeek),
  );
  expect(rows.length).toBeGreaterThanOrEqual(3);
  expectWellOrdered(
    rows,
    rows.map((r) => r.points),
    'county/week',
  );
  // The county has six branches of members: its board is not the branch's board.
  expect(same(rows, before)).toBe(false);
  expect(new Set(countyWeek.items.map((i) => i.orgName)).size).toBeGreaterThan(1);
  await shot('06-leaderboard-county-week');
});

step('组织排名 ranks the orgs under the chosen scope as the API does', async () => {
  const me = session.me!;
  const county = me.org!.path.find((o) => o.type === 'county')!;
  await click('leaderboard: org tab', byId('tab-orgs'));
  const board = await orgBoard(session.token!, county.id, 'week');
  const rows = await until('leaderboard: org rows', orgRows, (r) => same(r, expectedOrgRows(board)));
  expect(rows.length).toBeGreaterThanOrEqual(2);
  expectWellOrdered(
    rows,
    board.items.map((i) => i.average),
    'orgs/county/week',
  );
  // Only member boards show "my rank".
  expect(await byId('lb-me').count()).toBe(0);
  await shot('07-leaderboard-orgs-county-week');

  await click('leaderboard: org period month', byId('period-month'));
  const month = await orgBoard(session.token!, county.id, 'month');
  await until('leaderboard: org rows (month)', orgRows, (r) => same(r, expectedOrgRows(month)));
  await shot('08-leaderboard-orgs-county-month');
});

step('积分明细 lists my ledger as the API does', async () => {
  await page.goBack();
  await until(
    'mine: back from leaderboard',
    () => byId('link-points-history').count(),
    (n) => n === 1,
  );
  await click('mine: points history link', byId('link-points-history'));
  const ledger = await api<LedgerPage>('GET', '/points/ledger', session.token);
  expect(ledger.items.length).toBeGreaterThan(0);
  const rows = byId('ledger-row');
  await until(
    'points history: rows',
    () => rows.count(),
    (n) => n === ledger.items.length,
  );
  const deltas = await rows.locator('.ledger__delta').allInnerTexts();
  expect(deltas.map((d) => d.trim())).toEqual(ledger.items.map((i) => (i.delta > 0 ? `+${i.delta}` : String(i.delta))));
  if (ledger.nextCursor === null) {
    // The whole ledger is on the page: what it adds up to is what 我的 showed as 累计.
    await until(
      'points history: end of list',
      () => byId('load-more').count(),
      (n) => n === 0,
    );
    const me = await api<Me>('GET', '/me', session.token);
    expect(deltas.reduce((sum, d) => sum + toInt(d), 0)).toBe(me.points.all);
  }
  await shot('09-points-history');
});

// ---------------------------------------------------------------- the secretary ------------------------------

step('logout, then the demo secretary logs in and is greeted as 李书记', async () => {
  await page.goto(`${app.baseUrl}/#/pages/mine/index`);
  await click('mine: logout', byId('logout'));
  const confirm = page.locator('.taro-model__confirm').filter({ visible: true });
  await confirm.waitFor({ timeout: UI_TIMEOUT_MS });
  await shot('10-logout-confirm');
  await confirm.click();

  await until(
    'login after logout',
    () => byId('demo-login-demo-secretary').count(),
    (n) => n === 1,
  );
  expect(page.url()).toContain('/pages/login/index');
  const state = await context.storageState();
  expect(state.origins.flatMap((o) => o.localStorage).some((e) => e.name === 'token')).toBe(false);

  await click('login as secretary', byId('demo-login-demo-secretary'));
  await until(
    'home: secretary greeting',
    () => visibleText('home-greeting'),
    (t) => t.includes('李书记'),
  );
  const token = await appToken();
  const me = await api<Me>('GET', '/me', token);
  expect(me.name).toBe('李书记');
  expect(me.roles).toContain('secretary');
  await until(
    'home: secretary month points',
    () => visibleText('home-month-points'),
    (t) => t === String(me.points.month),
  );
  await shot('11-home-secretary');
});

// Not a step: it reports even when the journey stopped early.
test('the journey hit no API errors, blocked scripts, uncaught exceptions or wrong sizes', () => {
  expect(layoutProblems).toEqual([]);
  expect(apiFailures).toEqual([]);
  expect(blockedByCsp).toEqual([]);
  expect(uncaught).toEqual([]);
});
