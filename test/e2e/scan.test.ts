/**
 * End-to-end scan (issue 15): every page declared in app.config (main package and the console sub-package) opened
 * in Chromium as each demo role — member, cadre, secretary, county admin — on a phone (375 px). Fails on text no
 * member should read ({v} templates, 即将上线, undefined/NaN/null, English validator text), on uncaught page
 * errors and on 5xx replies. Pages a role may not use show their own "only for …" state, which is fine.
 *
 * Run: `npx jest --selectProjects e2e --runTestsByPath test/e2e/scan.test.ts`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Activity, PostPage } from '@pioneer/shared';
import { api, devLogin, ROOT, startE2E, stepper, stopE2E, until, type E2E } from './support';

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

let e: E2E;
const step = stepper(() => e?.timings);

beforeAll(async () => {
  e = await startE2E();
}, 420_000);
afterAll(() => stopE2E(e, 'scan'));

describe('every page as every demo role', () => {
  const routes = declaredRoutes();

  test('app.config declares the console sub-package and the main pages', () => {
    expect(routes).toContain('pages/index/index');
    expect(routes).toContain('console/county-settings/index');
    expect(routes.length).toBeGreaterThanOrEqual(30);
  });

  for (const [openid, name] of ROLES) {
    step(`${name} (${openid}) opens every page`, async () => {
      const token = await devLogin(e, openid, name);
      const acts = await api<{ items: Activity[] }>(e, 'GET', '/activities', token).catch(() => ({
        items: [] as Activity[],
      }));
      const posts = await api<PostPage>(e, 'GET', '/posts', token).catch(() => ({ items: [] }) as unknown as PostPage);
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
        const before = { uncaught: e.uncaught.length, api: e.problems.length };
        await e.page.goto(`${e.app.baseUrl}/#/${route}${query[route] ?? ''}`);
        await until(
          e,
          `${route}: settled`,
          () => e.page.getByText('正在加载…').filter({ visible: true }).count(),
          (n) => n === 0,
        ).catch(() => undefined);
        await e.page.waitForTimeout(500);
        const text = await e.page.evaluate(() => {
          const pages = Array.from(document.querySelectorAll<HTMLElement>('.taro_page')).filter(
            (p) => p.getClientRects().length > 0,
          );
          return (pages[pages.length - 1] ?? document.body).innerText;
        });
        const bad = BAD_TEXT.exec(text);
        if (bad)
          found.push(
            `${route}: shows "${bad[0]}" in "${text.slice(Math.max(0, bad.index - 40), bad.index + 40).replace(/\s+/g, ' ')}"`,
          );
        for (const u of e.uncaught.slice(before.uncaught)) found.push(`${route}: uncaught ${u}`);
        for (const p of e.problems.slice(before.api)) if (/-> 5\d\d /.test(p)) found.push(`${route}: ${p}`);
      }
      expect(found).toEqual([]);
    });
  }
});
