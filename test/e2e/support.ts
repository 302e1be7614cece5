/**
 * Helpers for end-to-end tests in Chromium (the same approach as journey.test.ts): build the H5 app when missing,
 * serve it from the real server over a fresh database with the demo county, and drive it with playwright-core.
 * Everything a step asserts is read from the page and compared with what the API says.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
} from 'playwright-core';
import { startTestApp, type TestApp } from '../../server/test/support/harness';
import { seedDemoCounty } from '../../server/src/jobs/demo-county';

export const ROOT = path.resolve(__dirname, '../..');
export const H5_DIR = path.join(ROOT, 'miniprogram', 'dist', 'h5');
export const SHOTS = path.join(ROOT, 'test', 'artifacts', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const UI_TIMEOUT_MS = 15_000;

const BUILD_LOCK = path.join(ROOT, 'miniprogram', 'dist', '.h5-build.lock');
/** A lock older than this is left over from a killed run. */
const STALE_LOCK_MS = 5 * 60_000;
const BUILD_STAMP = path.join(ROOT, 'miniprogram', 'dist', '.h5-build-run');
const readIfExists = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function buildH5(): void {
  try {
    // Not jest's NODE_ENV=test: Taro's babel preset then wants react-refresh (a dev-server build).
    const { NODE_ENV: _jestEnv, ...env } = process.env;
    execFileSync('npm', ['run', 'build:h5', '-w', 'miniprogram'], { cwd: ROOT, env, stdio: 'pipe', timeout: 180_000 });
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer; message: string };
    // eslint-disable-next-line no-control-regex
    const out = `${e.stdout?.toString() ?? ''}\n${e.stderr?.toString() ?? ''}`.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
    const lines = out.split('\n').filter((l) => /error|can't resolve|not found|failed/i.test(l) && !/█/.test(l));
    throw new Error(
      `npm run build:h5 -w miniprogram failed (${e.message.split('\n')[0]}):\n${lines.slice(0, 40).join('\n')}`,
      { cause: err },
    );
  }
  if (!existsSync(path.join(H5_DIR, 'index.html')))
    throw new Error(`npm run build:h5 did not produce ${H5_DIR}/index.html`);
}

/**
 * Builds the H5 app when it is missing (or PIONEER_E2E_BUILD=1). Jest runs e2e files in parallel workers: a lock
 * directory (mkdir is atomic) lets one build while the others wait, instead of several builds overwriting one
 * folder under running tests.
 */
export async function ensureH5Build(): Promise<void> {
  mkdirSync(path.dirname(BUILD_LOCK), { recursive: true });
  // PIONEER_E2E_BUILD=1 rebuilds once per jest run: its workers share a parent process.
  const needed = () =>
    !existsSync(path.join(H5_DIR, 'index.html')) ||
    (process.env.PIONEER_E2E_BUILD === '1' && readIfExists(BUILD_STAMP) !== String(process.ppid));
  const deadline = Date.now() + 240_000;
  while (needed() || existsSync(BUILD_LOCK)) {
    try {
      mkdirSync(BUILD_LOCK);
    } catch {
      if (Date.now() - (statSync(BUILD_LOCK, { throwIfNoEntry: false })?.mtimeMs ?? 0) > STALE_LOCK_MS)
        rmSync(BUILD_LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`waited 4 minutes for another worker's H5 build (${BUILD_LOCK})`);
      await sleep(1000);
      continue;
    }
    try {
      if (needed()) {
        buildH5();
        writeFileSync(BUILD_STAMP, String(process.ppid));
      }
    } finally {
      rmSync(BUILD_LOCK, { recursive: true, force: true });
    }
    return;
  }
}

/** The files index.html loads that are missing from `dir` (a build caught half-written). */
function missingAssets(dir: string): string[] {
  const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  if (refs.length === 0) return ['(index.html loads no script: not a Taro build?)'];
  return refs.filter((r) => !existsSync(path.join(dir, r)));
}

/**
 * A private copy of the H5 build for one test file: a colleague's `npm run build:h5` meanwhile (which empties
 * dist/h5 first) cannot pull the app away mid-journey. Waits up to a minute for a build being written.
 */
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
    await sleep(2000);
  }
}

export interface E2E {
  app: TestApp;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Everything odd the browser saw: failed API calls (with bodies), console errors, uncaught exceptions. */
  problems: string[];
  /** API replies >= 400 that the test did not announce as expected (see expectApiFailure). */
  apiFailures: string[];
  blockedByCsp: string[];
  uncaught: string[];
  /** Substrings of API failures a step provokes on purpose (e.g. `422` OUT_OF_FENCE): not reported as failures. */
  expectedFailures: string[];
  timings: Record<string, number>;
  /** The private copy of the H5 build this file serves (removed by stopE2E). */
  h5Copy: string;
}

/** Server + demo county + Chromium with a phone-sized page; wires the problem collectors. */
export async function startE2E(contextOptions: BrowserContextOptions = {}): Promise<E2E> {
  mkdirSync(SHOTS, { recursive: true });
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, fn: () => Promise<T> | T): Promise<T> => {
    const started = Date.now();
    try {
      return await fn();
    } finally {
      timings[name] = Date.now() - started;
    }
  };
  await timed('h5 build', ensureH5Build);
  const h5Copy = await timed('h5 snapshot', snapshotH5);
  const app = await timed('server start', () => startTestApp({ h5Dir: h5Copy }));
  await timed('seed demo county', () => seedDemoCounty());
  const browser = await timed('browser launch', () =>
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
  const context = await browser.newContext({ ...PHONE, ...contextOptions });
  const page = await context.newPage();
  const e: E2E = {
    app,
    browser,
    context,
    page,
    problems: [],
    apiFailures: [],
    blockedByCsp: [],
    uncaught: [],
    expectedFailures: [],
    timings,
    h5Copy,
  };
  watchPage(e);
  return e;
}

/** A phone: 375 px wide, Chinese locale, Shanghai time. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 375, height: 812 },
  deviceScaleFactor: 2,
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
  isMobile: true,
  hasTouch: true,
};

/**
 * One more browser context on the same server and browser (its own storage, so its own signed-in member), with its
 * own problem collectors: several members can then walk the app at the same time. Closed by stopE2E with the browser.
 */
export async function openContext(e: E2E, contextOptions: BrowserContextOptions = {}): Promise<E2E> {
  const context = await e.browser.newContext({ ...PHONE, ...contextOptions });
  const other: E2E = {
    ...e,
    context,
    page: await context.newPage(),
    problems: [],
    apiFailures: [],
    blockedByCsp: [],
    uncaught: [],
    expectedFailures: [],
  };
  watchPage(other);
  return other;
}

/** Wires the problem collectors of `e` to its page. */
function watchPage(e: E2E): void {
  const { page, app } = e;
  page.on('response', (res) => {
    if (!res.url().includes('/api/') || res.status() < 400) return;
    void res.text().then(
      (body) => {
        const line = `${res.request().method()} ${res.url().replace(app.baseUrl, '')} -> ${res.status()} ${body.slice(0, 300)}`;
        e.problems.push(`API ${line}`);
        if (!e.expectedFailures.some((x) => line.includes(x))) e.apiFailures.push(line);
      },
      () => undefined,
    );
  });
  page.on('requestfailed', (req) =>
    e.problems.push(`request failed: ${req.method()} ${req.url()} (${req.failure()?.errorText})`),
  );
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    e.problems.push(`console.error: ${text.slice(0, 300)}`);
    // Every CSP refusal counts: the tab bar's `javascript:;` links no longer navigate (utils/tabbar-links.ts).
    if (text.includes('Content Security Policy')) e.blockedByCsp.push(text.slice(0, 300));
  });
  page.on('pageerror', (err) => {
    e.problems.push(`uncaught: ${err.message}`);
    e.uncaught.push(err.message);
  });
}

export async function stopE2E(e: E2E | undefined, label: string): Promise<void> {
  await e?.browser.close();
  await e?.app.close();
  if (!e) return;
  rmSync(e.h5Copy, { recursive: true, force: true });
  const total = Object.entries(e.timings)
    .map(([k, v]) => `${k}: ${(v / 1000).toFixed(1)} s`)
    .join('\n  ');
  process.stderr.write(`[e2e ${label}] timings\n  ${total}\n`);
}

/** The API as the oracle: what the server says at the same moment the page shows something. */
export async function api<T>(
  e: E2E,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT',
  pathAndQuery: string,
  token?: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${e.app.baseUrl}/api/v1${pathAndQuery}`, {
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

/** The session token the app itself stored (Taro keeps `{"data": <value>}` JSON in localStorage). */
export async function appToken(e: E2E): Promise<string> {
  const state = await e.context.storageState();
  const entry = state.origins.find((o) => o.origin === e.app.baseUrl)?.localStorage.find((x) => x.name === 'token');
  const token = entry ? (JSON.parse(entry.value) as { data?: unknown }).data : undefined;
  if (typeof token !== 'string' || !token)
    throw new Error(`no token in localStorage; storage: ${JSON.stringify(state.origins)}`);
  return token;
}

/** Taro H5 keeps earlier pages of the stack in the DOM: only the visible copy counts. */
export const byId = (e: E2E, id: string): Locator => e.page.locator(`[data-testid="${id}"]`).filter({ visible: true });

function diagnostics(e: E2E): string {
  const lines = e.problems.slice(-15);
  return lines.length ? `\nbrowser saw:\n  ${lines.join('\n  ')}` : '';
}

export async function shot(e: E2E, name: string): Promise<void> {
  // Let the last render and any web font settle; a just-shown toast is part of what a member sees.
  await e.page.waitForTimeout(300);
  await e.page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

async function failOnErrorState(e: E2E, step: string): Promise<void> {
  const error = byId(e, 'page-error');
  if ((await error.count()) > 0) {
    const text = (
      await error
        .first()
        .innerText()
        .catch(() => '')
    ).replace(/\s+/g, ' ');
    await shot(e, `FAILED-${step.replace(/[^\w-]+/g, '_')}`).catch(() => undefined);
    throw new Error(`${step}: the page shows its error state (page-error): "${text}"${diagnostics(e)}`);
  }
}

/** Polls `read` until `ok` holds (the UI loads asynchronously), failing early on the page's error state. */
export async function until<T>(
  e: E2E,
  step: string,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = UI_TIMEOUT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    await failOnErrorState(e, step);
    try {
      last = await read();
      lastError = undefined;
      if (ok(last)) return last;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      await shot(e, `FAILED-${step.replace(/[^\w-]+/g, '_')}`).catch(() => undefined);
      const seen = lastError ? `error ${String(lastError).split('\n')[0]}` : JSON.stringify(last);
      throw new Error(`${step}: not as expected after ${timeoutMs} ms; last seen: ${seen}${diagnostics(e)}`);
    }
    await e.page.waitForTimeout(150);
  }
}

export async function visibleText(e: E2E, id: string): Promise<string> {
  const el = byId(e, id);
  if ((await el.count()) === 0) throw new Error(`[data-testid=${id}] not visible`);
  return (await el.first().innerText()).replace(/\s+/g, ' ').trim();
}

export async function click(e: E2E, step: string, target: Locator): Promise<void> {
  await failOnErrorState(e, step);
  await target.first().click({ timeout: UI_TIMEOUT_MS });
}

/** Signs in through the login page's demo identity picker and waits for 首页 to greet `name`. */
export async function devLogin(e: E2E, openid: string, name: string): Promise<string> {
  await e.page.goto(`${e.app.baseUrl}/#/pages/login/index`);
  await e.page.evaluate('window.localStorage.clear()');
  await e.page.reload();
  await until(
    e,
    `login: ${openid}`,
    () => byId(e, `demo-login-${openid}`).count(),
    (n) => n === 1,
  );
  await click(e, `login as ${openid}`, byId(e, `demo-login-${openid}`));
  await until(
    e,
    `home: greeting ${name}`,
    () => visibleText(e, 'home-greeting'),
    (t) => t.includes(name),
  );
  return appToken(e);
}

/**
 * Steps that depend on earlier ones: once one fails, the rest say so instead of failing confusingly.
 * Returns the `step` function to declare tests with.
 */
export function stepper(timings: () => Record<string, number> | undefined) {
  let broken: string | undefined;
  return (name: string, fn: () => Promise<void>) =>
    test(name, async () => {
      if (broken) throw new Error(`not run: an earlier step failed (${broken})`);
      const started = Date.now();
      try {
        await fn();
      } catch (err) {
        broken = name;
        throw err;
      } finally {
        const t = timings();
        if (t) t[name] = Date.now() - started;
      }
    });
}
