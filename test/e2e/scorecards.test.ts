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
import mongoose from 'mongoose';
import { png } from '../../server/test/support/images';
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
    // An item past its deadline, for the overdue lists (the API refuses a deadline before today): set back a day.
    await mongoose.connection
      .collection<{ _id: string }>('zhengdun_plans')
      .updateOne({ _id: plan.id }, { $set: { 'items.0.deadline': dayKey(Date.now() - 86_400_000) } });
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

  step('the card editor: remove one, add a manual one, the weights must come to 100, save a version', async () => {
    await click(e, 'remove 答题参与率', byId(e, 'card-remove').nth(2));
    await until(
      e,
      'total 80',
      () => byId(e, 'card-total').innerText(),
      (t) => t.includes('合计 80'),
    );
    await click(e, 'save refused', byId(e, 'card-save'));
    expect(await byId(e, 'card-error').innerText()).toBe('各指标权重之和应为100（现为80）');
    await click(e, 'manual kind', byId(e, 'add-kind-manual'));
    await byId(e, 'add-name').locator('input').fill('党建+项目');
    await byId(e, 'add-unit').locator('input').fill('个');
    await byId(e, 'add-target').locator('input').fill('3');
    await click(e, 'add manual', byId(e, 'add-manual'));
    await until(
      e,
      'four rows again',
      () => byId(e, 'card-row').count(),
      (n) => n === 4,
    );
    await byId(e, 'card-row').nth(3).getByTestId('card-weight').locator('input').fill('20');
    await until(
      e,
      'total 100',
      () => byId(e, 'card-total').innerText(),
      (t) => t.includes('合计 100'),
    );
    await shot(e, 'scores-08-card-edit-desk');
    await click(e, 'save', byId(e, 'card-save'));
    await until(
      e,
      'the API has the new version',
      () => api<{ version: { indicators: { label: string }[] } }>(e, 'GET', `/scorecards/card?org=${countyId}`, token),
      (v) =>
        v.version.indicators.map((i) => i.label).join() === '党员活跃率,开展活动,集体经济收入（万元）,党建+项目（个）',
    );
  });

  step('手工指标录入: the admin enters 集体经济收入 with a photo and sees who entered it', async () => {
    await e.page.goto(`${e.app.baseUrl}/#/console/scorecard-manual/index`);
    await settled('manual');
    await until(
      e,
      'indicator rows',
      () => byId(e, 'manual-row').count(),
      (n) => n >= 1,
    );
    const first = await byId(e, 'manual-branch').first().innerText();
    await click(e, 'enter', byId(e, 'manual-edit'));
    await byId(e, 'manual-value').locator('input').fill('6.5');
    await byId(e, 'manual-note').locator('input').fill('村集体光伏收益');
    const chooser = e.page.waitForEvent('filechooser');
    await click(e, 'add photo', byId(e, 'manual-photos-add'));
    await (
      await chooser
    ).setFiles({ name: '账本.png', mimeType: 'image/png', buffer: png(240, 160, { rgb: [30, 90, 160] }) });
    await until(
      e,
      'photo uploaded',
      () => byId(e, 'manual-photos-item').count(),
      (n) => n === 1,
    );
    await shot(e, 'scores-09-manual-form-desk');
    await click(e, 'save manual', byId(e, 'manual-save'));
    await until(
      e,
      'the row shows the value and who',
      () => byId(e, 'manual-row').first().innerText(),
      (t) => t.includes('6.5 / 10') && t.includes('王组织 录入于'),
    );
    expect(first.length).toBeGreaterThan(0);
    await shot(e, 'scores-10-manual-desk');
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
    // Paper-white: the app's grey (body, page, container) printed as a grey frame around the 通报.
    const backgrounds = await e.page.evaluate(() =>
      ['body', '.taro_page.taro_page_show', '.page-container.bulletin-page'].map((sel) => {
        const el = document.querySelector(sel);
        return el ? getComputedStyle(el).backgroundColor : 'missing';
      }),
    );
    expect(backgrounds.filter((c) => c !== 'rgb(255, 255, 255)' && c !== 'rgba(0, 0, 0, 0)')).toEqual([]);
    expect(backgrounds[2]).toBe('rgb(255, 255, 255)');
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
    await e.page.goto(`${e.app.baseUrl}/#/console/scorecard-manual/index`);
    await settled('phone manual');
    await until(
      e,
      'phone manual rows',
      () => byId(e, 'manual-row').count(),
      (n) => n >= 1,
    );
    await shot(e, 'scores-11-manual-phone');
    await e.page.goto(`${e.app.baseUrl}/#/console/scorecard-card/index`);
    await settled('phone card');
    await until(
      e,
      'phone card rows',
      () => byId(e, 'card-row').count(),
      (n) => n === 4,
    );
    await shot(e, 'scores-12-card-phone');
    await e.page.goto(`${e.app.baseUrl}/#/console/dashboard/index`);
    await settled('phone dashboard');
    await until(
      e,
      'phone 整顿 panel',
      () => byId(e, 'dash-zhengdun-count').innerText(),
      (t) => t.includes('整顿中1个支部'),
    );
    await byId(e, 'dash-zhengdun').scrollIntoViewIfNeeded();
    await shot(e, 'scores-13-dashboard-zhengdun-phone');
  });

  step('desk dashboard: the 整顿 panel lists the overdue item', async () => {
    await e.page.setViewportSize(DESK);
    await e.page.goto(`${e.app.baseUrl}/#/console/dashboard/index`);
    await settled('desk dashboard');
    await until(
      e,
      '整顿 panel',
      () => byId(e, 'dash-zhengdun').innerText(),
      (t) => t.includes('整顿中1个支部') && t.includes('召开专题组织生活会'),
    );
    await byId(e, 'dash-zhengdun').scrollIntoViewIfNeeded();
    await shot(e, 'scores-14-dashboard-zhengdun-desk');
  });

  step('the branch secretary reports progress on the plan with a photo; it shows on the item', async () => {
    const secToken = await devLogin(e, 'demo-secretary', '李书记');
    const sec = await api<{ org: { id: string } }>(e, 'GET', '/me', secToken);
    await api(e, 'PUT', '/scorecards/flags', token, {
      branch: sec.org.id,
      quarter: Q,
      flagged: true,
      reason: '三会一课不规范',
    });
    await api(e, 'POST', `/rectification-plans/${sec.org.id}/${Q}`, token, {
      items: [{ text: '规范三会一课，建立台账', owner: '支部书记', deadline: dayKey(Date.now() + 14 * 86_400_000) }],
    });
    await e.page.goto(`${e.app.baseUrl}/#/console/zhengdun/index`);
    await settled('secretary zhengdun');
    await click(e, 'report', byId(e, 'plan-report-open'));
    await byId(e, 'plan-report-text').locator('textarea').fill('已补齐本季度支委会、党员大会记录');
    const chooser = e.page.waitForEvent('filechooser');
    await click(e, 'add evidence', byId(e, 'plan-report-photos-add'));
    await (
      await chooser
    ).setFiles({ name: '台账.png', mimeType: 'image/png', buffer: png(240, 160, { rgb: [200, 22, 29] }) });
    await until(
      e,
      'evidence uploaded',
      () => byId(e, 'plan-report-photos-item').count(),
      (n) => n === 1,
    );
    await click(e, 'send', byId(e, 'plan-report-send'));
    await until(
      e,
      'the plan has the photo',
      () => api<Plan>(e, 'GET', `/rectification-plans/${sec.org.id}/${Q}`, secToken),
      (p) => p.items[0]!.status === 'reported' && p.items[0]!.progress!.photoUrls.length === 1,
    );
    await until(
      e,
      'the photo shows on the item',
      () =>
        byId(e, 'plan-evidence')
          .locator('img')
          .first()
          .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      (w) => w === 240,
    );
    await shot(e, 'scores-15-zhengdun-evidence-desk');
    await e.page.setViewportSize(PHONE);
    // The console frame lays the page out again at the new width: scroll once the photo is attached again.
    await until(
      e,
      'phone: evidence in view',
      () =>
        byId(e, 'plan-evidence')
          .first()
          .scrollIntoViewIfNeeded({ timeout: 2000 })
          .then(() => true),
      (x) => x,
    );
    await shot(e, 'scores-16-zhengdun-evidence-phone');
  });
});
