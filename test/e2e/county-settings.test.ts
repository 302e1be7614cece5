/**
 * End-to-end: 县级设置 in the H5 app (Chromium). The county admin opens it from 我的, turns member leaderboards
 * off and schedules a points rule change for tomorrow; a member's 积分排行 then shows the "not public" state
 * (their own rank still shown), and the rules in force today are unchanged.
 *
 * Run: `npx jest --selectProjects e2e -- county-settings`. Screenshots: test/artifacts/screenshots/county-*.png.
 */
import { dayKey, type Me, type PointsRulesView, type RankingSettings } from '@pioneer/shared';
import { api, byId, click, devLogin, shot, startE2E, stepper, stopE2E, until, visibleText, type E2E } from './support';

jest.setTimeout(240_000);

let e: E2E;
let county: string;
const step = stepper(() => e?.timings);
const tomorrow = dayKey(Date.now() + 86_400_000);
/** Taro's H5 modal: its confirm button, by the text the page gave it. */
const modalButton = (text: string) => e.page.getByText(text, { exact: true }).filter({ visible: true });

beforeAll(async () => {
  e = await startE2E();
}, 420_000);
afterAll(() => stopE2E(e, 'county-settings'));

describe('县级设置 in the H5 app', () => {
  step('the county admin opens 县级设置 from 我的 and turns member leaderboards off', async () => {
    const token = await devLogin(e, 'demo-admin', '王组织');
    county = (await api<Me>(e, 'GET', '/me', token)).adminOrg!.id;
    await e.page.goto(`${e.app.baseUrl}/#/pages/mine/index`);
    await click(e, 'mine: county settings', byId(e, 'link-county-settings'));
    await until(
      e,
      'settings: explanation',
      () => visibleText(e, 'cs-visibility-explain'),
      (t) => t.includes('只看得到本支部'),
    );
    await shot(e, 'county-01-settings');
    await click(e, 'choose 关闭', byId(e, 'cs-visibility-off'));
    await until(
      e,
      'explanation follows',
      () => visibleText(e, 'cs-visibility-explain'),
      (t) => t.includes('看不到任何人的排名'),
    );
    await click(e, 'save visibility', byId(e, 'cs-visibility-save'));
    await click(e, 'confirm visibility', modalButton('确认修改'));
    await until(
      e,
      'saved',
      () => visibleText(e, 'cs-visibility-save'),
      (t) => t === '当前设置',
    );
    expect(await api<RankingSettings>(e, 'GET', `/settings/ranking?org=${county}`, token)).toEqual({
      org: county,
      visibility: 'off',
    });
  });

  step(
    'the admin raises the check-in cap from tomorrow; today keeps the old rule and the history lists the new version',
    async () => {
      const token = await devLogin(e, 'demo-admin', '王组织');
      await e.page.goto(`${e.app.baseUrl}/#/console/county-settings/index`);
      await until(
        e,
        'rules: check-in row',
        () => byId(e, 'cs-rule-checkin').count(),
        (n) => n === 1,
      );
      expect(
        await byId(e, 'cs-effective-from')
          .first()
          .inputValue()
          .catch(async () => byId(e, 'cs-effective-from').locator('input').first().inputValue()),
      ).toBe(tomorrow);
      await click(e, 'check-in max +1', byId(e, 'cs-rule-checkin-max-plus'));
      await click(e, 'save rules', byId(e, 'cs-rules-save'));
      await click(e, 'confirm rules', modalButton('确认保存'));
      await until(
        e,
        'history: new version',
        () => visibleText(e, 'cs-history'),
        (t) => t.includes(`${tomorrow} 起执行（待生效）`),
      );
      await byId(e, 'cs-history').first().scrollIntoViewIfNeeded();
      await shot(e, 'county-02-rules-saved');
      const todayRules = await api<PointsRulesView>(e, 'GET', `/settings/points-rules?org=${county}`, token);
      expect(todayRules.rules.find((r) => r.reason === 'checkin')?.cap).toEqual({ per: 'day', max: 1 });
      const tomorrowRules = await api<PointsRulesView>(
        e,
        'GET',
        `/settings/points-rules?org=${county}&at=${tomorrow}`,
        token,
      );
      expect(tomorrowRules.rules.find((r) => r.reason === 'checkin')?.cap).toEqual({ per: 'day', max: 2 });
      expect(tomorrowRules.versions).toEqual([tomorrow]);
    },
  );

  step('the admin opens 操作记录 from 我的 and finds both changes, newest first, with their name', async () => {
    await e.page.goto(`${e.app.baseUrl}/#/pages/mine/index`);
    await click(e, 'mine: audit log', byId(e, 'link-audit-log'));
    await until(
      e,
      'audit: two settings rows',
      () => byId(e, 'audit-row').allInnerTexts(),
      (rows) => rows.length >= 2,
    );
    const rows = await byId(e, 'audit-row').allInnerTexts();
    expect(rows[0]).toContain('修改积分规则');
    expect(rows[1]).toContain('修改排名可见范围');
    expect(rows[0]).toContain('王组织');
    await shot(e, 'county-04-audit-log');
  });

  step(
    'a member opens 积分排行 and sees that the county board is not public, with their own rank still shown',
    async () => {
      await devLogin(e, 'demo-member', '陈党员');
      await e.page.goto(`${e.app.baseUrl}/#/pages/leaderboard/index`);
      await until(
        e,
        'board: not public',
        () => visibleText(e, 'page-empty'),
        (t) => t.includes('本县暂未开放排行榜'),
      );
      expect(await byId(e, 'lb-row').count()).toBe(0);
      await until(
        e,
        'board: my rank',
        () => visibleText(e, 'lb-me'),
        (t) => /第\d+名/.test(t),
      );
      await shot(e, 'county-03-member-board-off');
    },
  );
});
