/**
 * End-to-end: 支部评分 · 星级评定, 整顿 and the 季度通报 (issue 18 items 2-4) in the H5 app (Chromium) as the demo
 * county's admin. The county sets its card and scores last quarter (API); the console's table equals the API; a
 * branch is marked 软弱涣散 from the page; a plan for it shows on 软弱涣散整顿; the printable 通报 is rendered to an A4
 * PDF by Chromium and its first page turned into a PNG (pdftoppm; without it, a print-media screenshot) to look at.
 * Desk (1440 px) and phone (375 px) screenshots: test/artifacts/screenshots/scores-*.png.
 *
 * Run: `npx jest --selectProjects e2e test/e2e/scorecards.test.ts`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dayKey, type Plan, type ScoreResults } from '@pioneer/shared';
import { api, byId, click, devLogin, shot, SHOTS, startE2E, stepper, stopE2E, until, type E2E } from './support';

jest.setTimeout(120_000);

const DESK = { width: 1440, height: 1000 };
const PHONE = { width: 375, height: 812 };

let e: E2E;
let token = '';
let countyId = '';
let r: ScoreResults;
let weakBranch: ScoreResults['branches'][number];
const step = stepper(() => e?.timings);
const now = new Date(Date.now() + 8 * 3_600_000);
const index = now.getUTCFullYear() * 4 + Math.floor(now.getUTCMonth() / 3) - 1;
/** Last quarter (Shanghai): the one a county scores. */
const Q = `${Math.floor(index / 4)}Q${(index % 4) + 1}`;

beforeAll(async () => {
  e = await startE2E({ viewport: DESK, deviceScaleFactor: 1, isMobile: false, hasTouch: false });
}, 420_000);
afterAll(() => stopE2E(e, 'scorecards'));

async function settled(where: string): Promise<void> {
  await until(
    e,
    `${where}: loaded`,
    () => e.page.getByText('正在加载…').filter({ visible: true }).count(),
    (n) => n === 0,
  );
  await e.page.waitForTimeout(300);
}

describe('支部评分, 整顿 and the 季度通报 as the county admin', () => {
  step('sets the card and scores last quarter; the console table equals the API', async () => {
    token = await devLogin(e, 'demo-admin', '王组织');
    const me = await api<{ adminOrg: { id: string } }>(e, 'GET', '/me', token);
    countyId = me.adminOrg.id;
    await api(e, 'PUT', '/scorecards/card', token, {
      org: countyId,
      effectiveFrom: dayKey(new Date()),
      indicators: [
        { key: 'active', label: '党员活跃率', kind: 'auto', source: 'activeRate', target: 90, weight: 40 },
        { key: 'held', label: '开展活动', kind: 'auto', source: 'held', target: 6, weight: 30 },
        { key: 'quiz', label: '答题参与率', kind: 'auto', source: 'quizRate', target: 50, weight: 20 },
        { key: 'economy', label: '集体经济收入（万元）', kind: 'manual', target: 10, weight: 10 },
      ],
      stars: [40, 55, 70, 85],
      candidatesPerTownship: 1,
      weakBelow: 40,
    });
    await api(e, 'POST', '/scorecards/compute', token, { org: countyId, quarter: Q });
    r = await api<ScoreResults>(e, 'GET', `/scorecards/results?quarter=${Q}`, token);
    expect(r.branches.length).toBeGreaterThan(3);
    await e.page.goto(`${e.app.baseUrl}/#/console/branch-scores/index`);
    await settled('branch scores');
    await until(
      e,
      'quarter label',
      () => byId(e, 'q-label').innerText(),
      (t) => t === r.label,
    );
    await until(
      e,
      'a row per branch',
      () => byId(e, 'branch-table-row').count(),
      (n) => n === r.branches.length,
    );
    const first = await byId(e, 'branch-table-row').first().innerText();
    expect(first).toContain(r.branches[0]!.name);
    expect(first).toContain(String(r.branches[0]!.score));
    expect(await byId(e, 'console-nav-branch-scores').getAttribute('aria-current')).toBe('page');
    await shot(e, 'scores-01-desk');
  });

  step('marks the lowest-rated branch 软弱涣散 from the table, with a reason', async () => {
    weakBranch = r.branches.filter((b) => b.score !== null).at(-1)!;
    await click(e, 'pick branch', byId(e, 'score-branch').filter({ hasText: weakBranch.name }));
    await byId(e, 'flag-reason').locator('input').fill('组织生活不经常');
    await click(e, 'save flag', byId(e, 'flag-save'));
    await until(
      e,
      'the API has the mark',
      () => api<ScoreResults>(e, 'GET', `/scorecards/results?quarter=${Q}`, token),
      (x) => x.branches.find((b) => b.id === weakBranch.id)?.weakReason === '管理员认定：组织生活不经常',
    );
    await until(
      e,
      'the row shows the reason',
      () => byId(e, 'branch-table').innerText(),
      (t) => t.includes('管理员认定：组织生活不经常'),
    );
    await shot(e, 'scores-02-flagged');
  });

  step('a plan for the weak branch shows on 软弱涣散整顿; the card page lists the version', async () => {
    const plan = await api<Plan>(e, 'POST', `/rectification-plans/${weakBranch.id}/${Q}`, token, {
      items: [
        { text: '召开专题组织生活会，查摆问题', owner: '支部书记', deadline: dayKey(new Date()) },
        { text: '每月按时开展主题党日', owner: '组织委员', deadline: dayKey(Date.now() + 30 * 86_400_000) },
      ],
    });
    await e.page.goto(`${e.app.baseUrl}/#/console/zhengdun/index`);
    await settled('zhengdun');
    await until(
      e,
      'plan card',
      () => byId(e, 'plan-card').innerText(),
      (t) => t.includes(plan.branchName) && t.includes('整顿中') && t.includes('召开专题组织生活会'),
    );
    expect(await byId(e, 'plan-item').count()).toBe(2);
    await shot(e, 'scores-03-zhengdun-desk');
    await e.page.goto(`${e.app.baseUrl}/#/console/scorecard-card/index`);
    await settled('card');
    await until(
      e,
      'versions',
      () => byId(e, 'card-versions').innerText(),
      (t) => t.includes(dayKey(new Date())),
    );
    expect(await byId(e, 'card-row').count()).toBe(4);
    await shot(e, 'scores-04-card');
  });

  step('the printable 通报: A4 PDF by Chromium, first page rendered to PNG', async () => {
    await e.page.goto(`${e.app.baseUrl}/#/console/bulletin/index?quarter=${Q}`);
    await settled('bulletin');
    await until(
      e,
      'bulletin title',
      () => byId(e, 'bulletin-title').innerText(),
      (t) => t.includes(r.label),
    );
    expect(await byId(e, 'bulletin-date').innerText()).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日$/);
    // No app chrome: no console navigation, no tab bar.
    expect(await e.page.locator('[data-testid^="console-nav-"]').filter({ visible: true }).count()).toBe(0);
    expect(await e.page.locator('.taro-tabbar__tabbar').filter({ visible: true }).count()).toBe(0);
    const rows = await byId(e, 'bulletin-branches').locator('tbody tr').count();
    expect(rows).toBe(r.branches.length);
    await e.page.emulateMedia({ media: 'print' });
    const pdf = await e.page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    const file = path.join(SHOTS, 'scores-05-bulletin.pdf');
    writeFileSync(file, pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThanOrEqual(1);
    const png = path.join(SHOTS, 'scores-05-bulletin-page1');
    if (existsSync('/usr/bin/pdftoppm')) {
      execFileSync('/usr/bin/pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', file, png]);
    } else {
      await e.page.setViewportSize({ width: 794, height: 1123 });
      await e.page.screenshot({ path: `${png}.png` });
    }
    expect(readFileSync(`${png}.png`).subarray(1, 4).toString()).toBe('PNG');
    await e.page.emulateMedia({ media: 'screen' });
  });

  step('phone (375 px): scores and plans readable', async () => {
    await e.page.setViewportSize(PHONE);
    await e.page.goto(`${e.app.baseUrl}/#/console/branch-scores/index`);
    await settled('phone scores');
    await until(
      e,
      'phone quarter label',
      () => byId(e, 'q-label').innerText(),
      (t) => t === r.label,
    );
    await shot(e, 'scores-06-phone');
    await e.page.goto(`${e.app.baseUrl}/#/console/zhengdun/index`);
    await settled('phone zhengdun');
    await until(
      e,
      'phone plan',
      () => byId(e, 'plan-card').count(),
      (n) => n === 1,
    );
    await shot(e, 'scores-07-zhengdun-phone');
  });
});
