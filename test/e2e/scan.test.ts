/**
 * End-to-end scan (issue 15): every page declared in app.config (main package and the console sub-package) opened
 * in Chromium as each demo role — member, cadre, secretary, county admin — on a phone (375 px). Fails on text no
 * member should read ({v} templates, 即将上线, undefined/NaN/null, English validator text), on uncaught page
 * errors and on 5xx replies. Pages a role may not use show their own "only for …" state, which is fine.
 *
 * The four roles walk at the same time, each in its own browser context, and a page is read as soon as it has
 * settled (no 正在加载…, no API call in flight, for QUIET_MS) rather than after a fixed wait.
 *
 * Run: `npx jest --selectProjects e2e --runTestsByPath test/e2e/scan.test.ts`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Activity, PostPage } from '@pioneer/shared';
import { api, devLogin, openContext, ROOT, startE2E, stopE2E, UI_TIMEOUT_MS, type E2E } from './support';

jest.setTimeout(420_000);

const BAD_TEXT = /\{[a-zA-Z_]\w*\}|即将上线|undefined|NaN|\bnull\b|Invalid input|expected \w+, received|Required\b/;
const ROLES = [
  ['demo-member', '陈党员'],
  ['demo-cadre', '赵驻村'],
  ['demo-secretary', '李书记'],
  ['demo-admin', '王组织'],
] as const;

/** Every route app.config declares: `pages/...` and `<root>/<page>` of each sub-package. */
function declaredRoutes(): string[] {
  const config = readFileSync(path.join(ROOT, 'miniprogram/src/app.config.ts'), 'utf8');
  const main = config.slice(config.indexOf('pages: ['), config.indexOf(']', config.indexOf('pages: [')));
  const routes = [...main.matchAll(/'(pages\/[\w-]+\/index)'/g)].map((m) => m[1]!);
  const sub = config.slice(config.indexOf('subPackages'));
  const root = /root: '([\w-]+)'/.exec(sub)?.[1];
  const subPages = [...sub.slice(sub.indexOf('pages: [')).matchAll(/'([\w-]+\/index)'/g)].map((m) => `${root}/${m[1]}`);
  return [...routes, ...subPages];
}

/** How long a page must stay settled before it is read: an effect that starts a request or renders does so sooner. */
const QUIET_MS = 150;

let e: E2E;

beforeAll(async () => {
  e = await startE2E();
}, 420_000);
afterAll(() => stopE2E(e, 'scan'));

/** Counts the page's API calls in flight, so that "settled" can wait on the replies rather than on the clock. */
function apiInFlight(v: E2E): () => number {
  let n = 0;
  const isApi = (url: string) => url.includes('/api/');
  v.page.on('request', (req) => void (isApi(req.url()) && n++));
  v.page.on('requestfinished', (req) => void (isApi(req.url()) && n--));
  v.page.on('requestfailed', (req) => void (isApi(req.url()) && n--));
  return () => n;
}

/**
 * The route's page as the member sees it: 'absent' until the router has put it in front (Taro H5 gives each page
 * `.taro_page#/<route>?stamp=…`; meanwhile the previous page is still shown), 'loading' while it shows 正在加载…, else
 * 'shown' with its text (earlier pages of the stack stay, hidden, in the DOM: only this one is read).
 */
const readRoute = (v: E2E, route: string) =>
  v.page.evaluate((r) => {
    const page = Array.from(document.querySelectorAll<HTMLElement>('.taro_page')).find(
      (p) => p.id.startsWith(`/${r}`) && p.getClientRects().length > 0,
    );
    if (!page) return { state: 'absent', text: document.body.innerText } as const;
    const walker = document.createTreeWalker(page, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode())
      if (node.textContent?.includes('正在加载…') && (node.parentElement?.getClientRects().length ?? 0) > 0)
        return { state: 'loading', text: page.innerText } as const;
    return { state: 'shown', text: page.innerText } as const;
  }, route);

/**
 * Waits until the route's page is shown, no API call is in flight and its text has not changed for QUIET_MS, and
 * returns that text (after UI_TIMEOUT_MS a page that never settles is read as it is, as before).
 */
async function settledText(v: E2E, route: string, inFlight: () => number): Promise<string> {
  const deadline = Date.now() + UI_TIMEOUT_MS;
  let quietSince: number | undefined;
  let last = '';
  for (;;) {
    const seen = await readRoute(v, route);
    const changed = seen.text !== last;
    last = seen.text;
    if (inFlight() > 0 || seen.state !== 'shown' || changed) quietSince = undefined;
    else if (quietSince === undefined) quietSince = Date.now();
    else if (Date.now() - quietSince >= QUIET_MS) return seen.text;
    if (Date.now() > deadline) return seen.text;
    await v.page.waitForTimeout(30);
  }
}

/** One role in its own context opens every route; returns what it found wrong. */
async function scanAs(routes: string[], openid: string, name: string): Promise<string[]> {
  const started = Date.now();
  const v = await openContext(e);
  try {
    const inFlight = apiInFlight(v);
    const token = await devLogin(v, openid, name);
    const acts = await api<{ items: Activity[] }>(v, 'GET', '/activities', token).catch(() => ({
      items: [] as Activity[],
    }));
    const posts = await api<PostPage>(v, 'GET', '/posts', token).catch(() => ({ items: [] }) as unknown as PostPage);
    const query: Record<string, string> = {
      'pages/activity/index': acts.items[0] ? `?id=${acts.items[0].id}` : '',
      'console/activity-manage/index': acts.items[0] ? `?id=${acts.items[0].id}` : '',
      'pages/post-detail/index': posts.items[0] ? `?id=${posts.items[0].id}` : '',
      'console/post-seats/index': posts.items[0] ? `?id=${posts.items[0].id}` : '',
    };
    const found: string[] = [];
    for (const route of routes) {
      // The quiz deals a real attempt and the result page reads one just finished: both are walked by quiz.test.
      if (route === 'pages/quiz/index' || route === 'pages/quiz-result/index') continue;
      const before = { uncaught: v.uncaught.length, api: v.problems.length };
      await v.page.goto(`${v.app.baseUrl}/#/${route}${query[route] ?? ''}`);
      const text = await settledText(v, route, inFlight);
      const bad = BAD_TEXT.exec(text);
      if (bad)
        found.push(
          `${route}: shows "${bad[0]}" in "${text.slice(Math.max(0, bad.index - 40), bad.index + 40).replace(/\s+/g, ' ')}"`,
        );
      for (const u of v.uncaught.slice(before.uncaught)) found.push(`${route}: uncaught ${u}`);
      for (const p of v.problems.slice(before.api)) if (/-> 5\d\d /.test(p)) found.push(`${route}: ${p}`);
    }
    return found;
  } finally {
    e.timings[`${name} (${openid}) opens every page`] = Date.now() - started;
    await v.context.close();
  }
}

describe('every page as every demo role', () => {
  const routes = declaredRoutes();
  /** Started by the first role's test, all four at once; each test then reads its own role's findings. */
  let scans: Map<string, Promise<string[]>> | undefined;
  const scanOf = (openid: string) => {
    scans ??= new Map(
      ROLES.map(([id, name]) => {
        const scan = scanAs(routes, id, name);
        scan.catch(() => undefined); // read (and failed) by its own test
        return [id, scan];
      }),
    );
    return scans.get(openid)!;
  };

  test('app.config declares the console sub-package and the main pages', () => {
    expect(routes).toContain('pages/index/index');
    expect(routes).toContain('console/county-settings/index');
    expect(routes.length).toBeGreaterThanOrEqual(30);
  });

  for (const [openid, name] of ROLES) {
    test(`${name} (${openid}) opens every page`, async () => {
      expect(await scanOf(openid)).toEqual([]);
    });
  }
});
