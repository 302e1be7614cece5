/**
 * End-to-end (issue 14, "Done means"): a county gets onto Pioneer on an EMPTY PRODUCTION-MODE database.
 * - `npm run admin:create` makes the first county admin (openid wx-admin) on a fresh DATA_DIR;
 * - the real server (`server/src/main.ts`, NODE_ENV=production, no dev login, its own embedded engine) runs with
 *   WECHAT_API_BASE pointing at a fake WeChat server (server/test/support/fake-wechat.ts);
 * - sign-in is WeChat's code flow, honestly: H5 has no wx.login, so the test asks the fake WeChat for nothing more
 *   than the weapp would — it POSTs /auth/wechat with a login code (`good-<x>` -> openid `wx-<x>`), the server
 *   exchanges it with the (fake) jscode2session, and the token the server returns is put where the app keeps it;
 * - the org tree (1 township, 2 villages with fences, 3 branches) is created through the API (the 组织架构 pages are
 *   walked by org-admin.test.ts); the roster import, binding and joining are done in the pages.
 * Screenshots: test/artifacts/screenshots/onboard-*.png (1440 and 375).
 *
 * Run: `npx jest --selectProjects e2e test/e2e/county-onboarding.test.ts`.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { AuthResponse, Me, Org } from '@pioneer/shared';
import { startFakeWechat, type FakeWechat } from '../../server/test/support/fake-wechat';
import { freePort } from '../../server/test/support/child-server';
import { byId, click, ensureH5Build, H5_DIR, ROOT, shot, until, visibleText, type E2E } from './support';

jest.setTimeout(600_000);

const DESK = { width: 1440, height: 900 };
const PHONE = { width: 375, height: 812 };

let wx: FakeWechat;
let server: ChildProcess;
let base = '';
let dataDir = '';
let h5Copy = '';
let browser: Browser;
let context: BrowserContext;
let page: Page;
let e: E2E;
const logs: string[] = [];

async function startProductionServer(): Promise<void> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    H5_DIR: h5Copy,
    JWT_SECRET: 'e2e-county-onboarding-a-long-random-secret-0123456789',
    // Production refuses to start without its own keys for personal data at rest (issue 24).
    DATA_KEYS: `e2e:${Buffer.alloc(32, 5).toString('base64')}`,
    PHONE_LOOKUP_KEY: Buffer.alloc(32, 6).toString('base64'),
    WECHAT_APP_ID: wx.appId,
    WECHAT_APP_SECRET: wx.appSecret,
    WECHAT_API_BASE: wx.url,
    LOG_LEVEL: 'info',
  };
  delete env.MONGODB_URI;
  delete env.DEV_LOGIN;
  server = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stderr!.on('data', (d: Buffer) => logs.push(d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`production server did not start in 180 s:\n${logs.join('').slice(-2000)}`)),
      180_000,
    );
    server.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${logs.join('').slice(-2000)}`)));
    createInterface({ input: server.stdout! }).on('line', (line) => {
      logs.push(line);
      if (line.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  base = `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  await ensureH5Build();
  h5Copy = mkdtempSync(path.join(tmpdir(), 'pioneer-onboard-h5-'));
  cpSync(H5_DIR, h5Copy, { recursive: true });
  dataDir = mkdtempSync(path.join(tmpdir(), 'pioneer-onboard-data-'));
  wx = await startFakeWechat('wx-onboard-app', 'onboard-secret');
  // The first admin, as the README says: on the empty database, before the server runs.
  const { NODE_ENV: _jest, MONGODB_URI: _uri, ...env } = process.env;
  execFileSync('npm', ['run', 'admin:create', '--', '--county', '青山县', '--openid', 'wx-admin', '--name', '王组织'], {
    cwd: ROOT,
    env: { ...env, DATA_DIR: dataDir },
    stdio: 'pipe',
    timeout: 180_000,
  });
  await startProductionServer();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  context = await browser.newContext({ viewport: DESK, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  page = await context.newPage();
  const problems: string[] = [];
  e = {
    app: { baseUrl: base },
    page,
    context,
    browser,
    problems,
    apiFailures: [],
    blockedByCsp: [],
    uncaught: [],
    expectedFailures: [],
    timings: {},
    h5Copy,
  } as unknown as E2E;
  page.on('pageerror', (err) => e.uncaught.push(err.message));
}, 900_000);

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 3000));
  await wx?.close();
  rmSync(h5Copy, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

async function call<T>(method: string, p: string, token?: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}/api/v1${p}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p} -> ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** WeChat's code flow through the fake WeChat server; the token goes where the app keeps it (Taro's storage). */
async function signIn(who: string): Promise<AuthResponse> {
  const auth = await call<AuthResponse>('POST', '/auth/wechat', undefined, { code: `good-${who}` });
  await page.goto(`${base}/#/pages/index/index`);
  await page.evaluate((t) => {
    window.localStorage.clear();
    window.localStorage.setItem('token', JSON.stringify({ data: t }));
  }, auth.token);
  return auth;
}

async function open(url: string, size = DESK): Promise<void> {
  await page.setViewportSize(size);
  await page.goto(`${base}/#${url}`);
  await page.reload();
  // A person's first visit asks for the privacy guide's consent (the privacy module): they agree in the popup.
  const agree = byId(e, 'privacy-agree');
  for (let i = 0; i < 10 && (await agree.count()) === 0; i++) await page.waitForTimeout(300);
  if ((await agree.count()) > 0) {
    await agree.first().click();
    await until(
      e,
      'privacy popup gone',
      () => byId(e, 'privacy-popup').count(),
      (n) => n === 0,
    );
  }
}

async function type(testId: string, value: string): Promise<void> {
  const box = byId(e, testId).first();
  const input = (await box.evaluate((el) => el.tagName)) === 'INPUT' ? box : box.locator('input');
  await input.fill(value);
}

const modalButton = (text: string) => page.getByText(text, { exact: true }).filter({ visible: true });

let admin = '';
const ids: Record<string, string> = {};

/** 30 rows: row 1 a secretary, row 2 a cadre posted to 竹林村, 2 bad rows (unknown branch, a malformed date). */
function rosterCsv(): string {
  const rows = [
    '李书记,13900000001,青山镇/青山村/青山村党支部,正式党员,1995-07-01,支部书记,支部书记,',
    '赵干部,13900000002,青山镇机关党支部,正式党员,2005-07-01,驻村第一书记,驻村干部,青山镇/竹林村',
    '陈党员,13900000003,青山村党支部,正式党员,2001-07-01,,党员,',
    '错支部,13900000004,不存在的支部,正式党员,2001-07-01,,党员,',
    '错日期,13900000005,竹林村党支部,正式党员,2001-13-45,,党员,',
  ];
  const branches = ['青山村党支部', '竹林村党支部', '青山镇机关党支部'];
  for (let i = 6; i <= 30; i++)
    rows.push(
      `党员${i},139000000${String(i).padStart(2, '0')},${branches[i % 3]},${i % 5 === 0 ? '预备党员' : '正式党员'},20${String(i % 20).padStart(2, '0')}-07-01,,党员,`,
    );
  return ['姓名,手机号,所在支部,人员类别,入党时间,职务,角色,驻村', ...rows].join('\n');
}

describe('a county on day one, in production mode', () => {
  test('the first admin (npm run admin:create) signs in through WeChat and builds the tree', async () => {
    const auth = await signIn('admin');
    admin = auth.token;
    expect(auth.user).toMatchObject({ name: '王组织', roles: ['member', 'admin'], adminOrg: { name: '青山县' } });
    const county = auth.user.adminOrg!.id;
    const make = async (name: string, type: string, parentId: string, fence?: object) =>
      (ids[name] = (await call<Org>('POST', '/orgs', admin, { name, type, parentId, ...(fence ? { fence } : {}) })).id);
    await make('青山镇', 'township', county);
    await make('青山村', 'village', ids['青山镇']!, { lat: 30.2741, lng: 120.1551, radiusM: 500 });
    await make('竹林村', 'village', ids['青山镇']!, { lat: 30.2841, lng: 120.1651, radiusM: 400 });
    await make('青山村党支部', 'branch', ids['青山村']!);
    await make('竹林村党支部', 'branch', ids['竹林村']!);
    await make('青山镇机关党支部', 'branch', ids['青山镇']!);
  });

  test('名册导入: the dry run shows 28 new and 2 errors; confirming writes the 28 with their roles', async () => {
    await open('/console/roster-import/index');
    const file = path.join(dataDir, '青山县党员名册.csv');
    writeFileSync(file, rosterCsv());
    const chooser = page.waitForEvent('filechooser');
    await click(e, 'pick roster', byId(e, 'roster-pick'));
    await (await chooser).setFiles(file);
    await until(
      e,
      'report',
      () => visibleText(e, 'roster-counts'),
      (t) => t.includes('新增 28'),
    );
    expect(await visibleText(e, 'roster-count-error')).toBe('有错误 2');
    const table = await visibleText(e, 'roster-table');
    expect(table).toContain('不存在');
    await shot(e, 'onboard-roster-report-1440');
    await click(e, 'only errors', byId(e, 'roster-only-errors'));
    await shot(e, 'onboard-roster-errors-1440');
    await click(e, 'confirm', byId(e, 'roster-confirm'));
    await click(e, 'modal 导入', modalButton('导入'));
    await until(
      e,
      'progress',
      () => visibleText(e, 'roster-progress'),
      (t) => t.includes('导入完成：写入 28 人'),
      60_000,
    );
    await shot(e, 'onboard-roster-done-1440');
    const members = await call<{ items: { name: string; roles: string[]; postedVillageId: string | null }[] }>(
      'GET',
      `/orgs/${ids['青山镇']}/members?limit=100`,
      admin,
    );
    const byName = new Map(members.items.map((m) => [m.name, m]));
    expect(members.items).toHaveLength(28);
    expect(byName.get('李书记')!.roles).toEqual(['member', 'secretary']);
    expect(byName.get('赵干部')).toMatchObject({ roles: ['member', 'cadre'], postedVillageId: ids['竹林村'] });
    expect(byName.has('错支部')).toBe(false);
    await page.setViewportSize(PHONE);
    await shot(e, 'onboard-roster-done-375');
  });

  test('the secretary signs in (H5: typed phone + name) and the admin confirms it on 入党码 · 绑定确认', async () => {
    await signIn('li');
    await open('/pages/index/index', PHONE);
    await until(
      e,
      'join step',
      () => byId(e, 'join-step').count(),
      (n) => n === 1,
    );
    await shot(e, 'onboard-join-step-375');
    await type('join-phone', '13900000001');
    await type('join-name', '李书记');
    await click(e, 'claim', byId(e, 'join-claim'));
    await until(
      e,
      'claim sent',
      () => visibleText(e, 'join-claim-sent'),
      (t) => t.includes('青山村党支部'),
    );
    await shot(e, 'onboard-claim-sent-375');

    await page.evaluate((t) => window.localStorage.setItem('token', JSON.stringify({ data: t })), admin);
    await open('/console/join-poster/index');
    await click(
      e,
      'pick branch',
      page.locator('[data-testid="jp-branch"][data-name="青山村党支部"]').filter({ visible: true }),
    );
    await until(
      e,
      'request listed',
      () => visibleText(e, 'bind-requests'),
      (t) => t.includes('李书记'),
    );
    await shot(e, 'onboard-bind-requests-1440');
    await click(e, 'confirm binding', byId(e, 'bind-confirm'));
    await until(
      e,
      'request gone',
      () => byId(e, 'bind-request').count(),
      (n) => n === 0,
    );

    const again = await signIn('li');
    expect(again.user).toMatchObject({ name: '李书记', roles: ['member', 'secretary'], org: { name: '青山村党支部' } });
  });

  test('a roster member is bound by phone, confirmed by their secretary', async () => {
    await signIn('chen');
    await open('/pages/index/index', PHONE);
    await until(
      e,
      'join step',
      () => byId(e, 'join-step').count(),
      (n) => n === 1,
    );
    await type('join-phone', '13900000003');
    await type('join-name', '陈党员');
    await click(e, 'claim', byId(e, 'join-claim'));
    await until(
      e,
      'claim sent',
      () => visibleText(e, 'join-claim-sent'),
      (t) => t.includes('青山村党支部'),
    );

    await signIn('li');
    await open('/console/join-poster/index', PHONE);
    await until(
      e,
      'request listed',
      () => visibleText(e, 'bind-requests'),
      (t) => t.includes('陈党员'),
    );
    await shot(e, 'onboard-secretary-requests-375');
    await click(e, 'confirm', byId(e, 'bind-confirm'));
    await until(
      e,
      'request gone',
      () => byId(e, 'bind-request').count(),
      (n) => n === 0,
    );

    const chen = await signIn('chen');
    expect(chen.user).toMatchObject({
      name: '陈党员',
      org: { name: '青山村党支部' },
      identity: { contact: '13900000003', partySince: 2001 },
    });
  });

  test("a new person joins by the branch's invite code from the secretary's poster", async () => {
    await signIn('li');
    await open('/console/join-poster/index');
    await click(e, 'poster', byId(e, 'poster-make'));
    const code = (
      await until(
        e,
        'poster code',
        () => visibleText(e, 'poster-code'),
        (t) => /^[A-Z2-9]{8}$/.test(t.trim()),
      )
    ).trim();
    expect(await visibleText(e, 'poster')).toContain('有效期至');
    await shot(e, 'onboard-poster-1440');

    await signIn('newbie');
    await open('/pages/index/index', PHONE);
    await until(
      e,
      'join step',
      () => byId(e, 'join-step').count(),
      (n) => n === 1,
    );
    await type('join-code', code);
    await click(e, 'join', byId(e, 'join-submit'));
    await until(
      e,
      'home',
      () => visibleText(e, 'home-greeting'),
      (t) => t.includes('新党员'),
    );
    await shot(e, 'onboard-joined-home-375');
    const me = await call<Me>(
      'GET',
      '/me',
      (await call<AuthResponse>('POST', '/auth/wechat', undefined, { code: 'good-newbie' })).token,
    );
    expect(me.org?.name).toBe('青山村党支部');
  });

  test('我的 and the boards show the right branches', async () => {
    const chen = await signIn('chen');
    await open('/pages/mine/index', PHONE);
    await until(
      e,
      '我的',
      () => page.locator('body').innerText(),
      (t) => t.includes('青山村党支部'),
    );
    await shot(e, 'onboard-mine-375');
    // Boards: chen's own branch board answers (ranking visibility defaults to the own branch), another branch's not.
    const board = await fetch(`${base}/api/v1/leaderboards/members?scope=${ids['青山村党支部']}&period=month`, {
      headers: { authorization: `Bearer ${chen.token}` },
    });
    expect(board.status).toBe(200);
    const other = await fetch(`${base}/api/v1/leaderboards/members?scope=${ids['竹林村党支部']}&period=month`, {
      headers: { authorization: `Bearer ${chen.token}` },
    });
    expect(other.status).toBe(403);
    const qing = await call<{ items: { name: string }[] }>(
      'GET',
      `/orgs/${ids['青山村党支部']}/members?limit=100`,
      admin,
    );
    expect(qing.items.map((m) => m.name)).toEqual(expect.arrayContaining(['李书记', '陈党员', '新党员']));
    const zhu = await call<{ items: { name: string }[] }>(
      'GET',
      `/orgs/${ids['竹林村党支部']}/members?limit=100`,
      admin,
    );
    expect(zhu.items.map((m) => m.name)).not.toContain('陈党员');
    expect(e.uncaught).toEqual([]);
  });
});
