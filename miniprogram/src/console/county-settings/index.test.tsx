import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { PointsRulesView } from '@pioneer/shared';
import { DEFAULT_POINT_RULES } from '@pioneer/shared/src/points';
import { dayKey } from '@pioneer/shared/src/time';
import CountySettings from './index';
import Mine from '../../pages/mine/index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

const county = { id: 'c1', name: '青山县', type: 'county' as const };
const admin = () => buildMe({ roles: ['member', 'admin'], adminOrg: county });
const tomorrow = dayKey(Date.now() + 86_400_000);

function rulesView(versions: string[] = []): PointsRulesView {
  return {
    org: 'c1',
    at: tomorrow,
    effectiveFrom: versions[versions.length - 1] ?? null,
    versions,
    rules: DEFAULT_POINT_RULES.map((r) => ({
      reason: r.reason,
      label: r.label,
      earns: r.earns,
      points: r.value,
      cap: r.cap,
      enabled: r.enabled,
    })),
  };
}

describe('县级设置', () => {
  beforeEach(() => login());

  it('when a member or a township admin opens it, then it is closed to them and no settings are asked for; 我的 offers it only to county admins', async () => {
    mockApi({ 'GET /me': ok(buildMe({ roles: ['member', 'secretary'] })) });
    const first = render(<CountySettings />);
    expect(await screen.findByText('县级设置仅对县级管理员开放')).toBeTruthy();
    first.unmount();
    const sent = mockApi({
      'GET /me': ok(buildMe({ roles: ['member', 'admin'], adminOrg: { id: 't1', name: '青山镇', type: 'township' } })),
    });
    const second = render(<CountySettings />);
    expect(await screen.findByText('县级设置仅对县级管理员开放')).toBeTruthy();
    expect(sent.map((r) => r.path)).toEqual(['/me']);
    second.unmount();

    mockApi({ 'GET /me': ok(admin()) });
    const mine = render(<Mine />);
    fireEvent.click(await screen.findByTestId('link-county-settings'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/console/county-settings/index' });
    mine.unmount();
    mockApi({ 'GET /me': ok(buildMe({ roles: ['member', 'secretary'] })) });
    render(<Mine />);
    await screen.findByTestId('mine-card');
    expect(screen.queryByTestId('link-county-settings')).toBeNull();
  });

  it('when the admin chooses 关闭 and confirms, then the county and "off" are saved, with the plain explanation shown first', async () => {
    let visibility = 'branch';
    const sent = mockApi({
      'GET /me': ok(admin()),
      'GET /settings/ranking': () => ok({ org: 'c1', visibility }),
      'GET /settings/points-rules': ok(rulesView()),
      'PUT /settings/ranking': (req) => {
        visibility = (req.data as { visibility: string }).visibility;
        return ok(req.data);
      },
    });
    render(<CountySettings />);
    await waitFor(() => expect(screen.getByTestId('cs-visibility-explain').textContent).toContain('只看得到本支部'));
    expect(screen.getByTestId('cs-visibility-save').textContent).toBe('当前设置');
    fireEvent.click(screen.getByTestId('cs-visibility-off'));
    expect(screen.getByTestId('cs-visibility-explain').textContent).toContain('看不到任何人的排名');
    fireEvent.click(screen.getByTestId('cs-visibility-save'));
    await waitFor(() => expect(sent.find((r) => r.method === 'PUT')).toBeTruthy());
    expect(Taro.showModal).toHaveBeenCalledWith(
      expect.objectContaining({ content: expect.stringContaining('改为「关闭」') }),
    );
    expect(sent.find((r) => r.method === 'PUT')).toMatchObject({
      path: '/settings/ranking',
      data: { org: 'c1', visibility: 'off' },
    });
    await waitFor(() => expect(screen.getByTestId('cs-visibility-save').textContent).toBe('当前设置'));
  });

  it('when the admin edits a value, a cap and a switch, then the payload carries every rule from tomorrow; the history lists the versions', async () => {
    const sent = mockApi({
      'GET /me': ok(admin()),
      'GET /settings/ranking': ok({ org: 'c1', visibility: 'branch' }),
      'GET /settings/points-rules': ok(rulesView(['2025-01-01', '2099-01-01'])),
      'PUT /settings/points-rules': ok(rulesView(['2025-01-01', '2099-01-01', tomorrow])),
    });
    render(<CountySettings />);
    const items = await screen.findAllByTestId('cs-history-item');
    expect(items.map((i) => i.textContent)).toEqual(['2025-01-01 起执行（现行）', '2099-01-01 起执行（待生效）']);
    expect(sent.find((r) => r.path === '/settings/points-rules')?.query).toEqual({ org: 'c1', at: tomorrow });
    expect((screen.getByTestId('cs-effective-from') as HTMLInputElement).value).toBe(tomorrow);
    // Manual adjustments are not a rule to set.
    expect(screen.queryByTestId('cs-rule-manual_adjustment')).toBeNull();

    const checkin = screen.getByTestId('cs-rule-checkin');
    fireEvent.click(within(checkin).getByTestId('cs-rule-checkin-points-plus'));
    fireEvent.click(within(checkin).getByTestId('cs-rule-checkin-max-plus'));
    const weekly = screen.getByTestId('cs-rule-weekly_quiz');
    fireEvent.click(within(weekly).getByTestId('cs-rule-weekly_quiz-per-none'));
    fireEvent.click(screen.getByTestId('cs-rule-wish_fulfilled-enabled'));
    expect(screen.getByTestId('cs-rule-wish_fulfilled').textContent).toContain('停用');
    fireEvent.click(screen.getByTestId('cs-rules-save'));

    await waitFor(() => expect(sent.find((r) => r.method === 'PUT')).toBeTruthy());
    expect(Taro.showModal).toHaveBeenCalledWith(
      expect.objectContaining({
        content: expect.stringContaining(`新规则自 ${tomorrow} 起执行，此前的积分不受影响。停用：微心愿圆梦。`),
      }),
    );
    const body = sent.find((r) => r.method === 'PUT')!.data as {
      org: string;
      effectiveFrom: string;
      rules: Array<Record<string, unknown>>;
    };
    expect(body.org).toBe('c1');
    expect(body.effectiveFrom).toBe(tomorrow);
    expect(body.rules).toHaveLength(DEFAULT_POINT_RULES.length - 1);
    expect(body.rules.find((r) => r.reason === 'checkin')).toEqual({
      reason: 'checkin',
      points: 2,
      cap: { per: 'day', max: 2 },
      enabled: true,
    });
    expect(body.rules.find((r) => r.reason === 'weekly_quiz')).toEqual({
      reason: 'weekly_quiz',
      points: 1,
      cap: null,
      enabled: true,
    });
    expect(body.rules.find((r) => r.reason === 'wish_fulfilled')).toEqual({
      reason: 'wish_fulfilled',
      points: 5,
      cap: null,
      enabled: false,
    });
    expect(body.rules.find((r) => r.reason === 'daily_quiz')).toEqual({
      reason: 'daily_quiz',
      points: 1,
      cap: { per: 'day', max: 5 },
      enabled: true,
    });
  });

  it('at a desk, when the admin types values into the compact table, then the payload carries them (no ± steppers there)', async () => {
    (Taro.getWindowInfo as unknown as jest.Mock).mockReturnValue({
      windowWidth: 1440,
      windowHeight: 900,
      pixelRatio: 1,
    });
    const sent = mockApi({
      'GET /me': ok(admin()),
      'GET /settings/ranking': ok({ org: 'c1', visibility: 'branch' }),
      'GET /settings/points-rules': ok(rulesView()),
      'PUT /settings/points-rules': ok(rulesView([tomorrow])),
    });
    try {
      render(<CountySettings />);
      // The rows come once the rules load (the table is drawn first, empty).
      fireEvent.change(await screen.findByTestId('cs-rule-checkin-points-input'), { target: { value: '3' } });
      expect(screen.getByTestId('cs-rules-table')).toBeTruthy();
      expect(screen.queryByTestId('cs-rule-checkin-max-plus')).toBeNull();
      fireEvent.change(screen.getByTestId('cs-rule-checkin-max-input'), { target: { value: '12' } });
      fireEvent.change(screen.getByTestId('cs-rule-weekly_quiz-per-select'), { target: { value: 'none' } });
      fireEvent.click(screen.getByTestId('cs-rule-wish_fulfilled-enabled'));
      fireEvent.click(screen.getByTestId('cs-rules-save'));

      await waitFor(() => expect(sent.find((r) => r.method === 'PUT')).toBeTruthy());
      const body = sent.find((r) => r.method === 'PUT')!.data as { rules: Array<Record<string, unknown>> };
      expect(body.rules.find((r) => r.reason === 'checkin')).toEqual({
        reason: 'checkin',
        points: 3,
        cap: { per: 'day', max: 12 },
        enabled: true,
      });
      expect(body.rules.find((r) => r.reason === 'weekly_quiz')).toEqual({
        reason: 'weekly_quiz',
        points: 1,
        cap: null,
        enabled: true,
      });
      expect(body.rules.find((r) => r.reason === 'wish_fulfilled')).toMatchObject({ enabled: false });
    } finally {
      (Taro.getWindowInfo as unknown as jest.Mock).mockReturnValue({
        windowWidth: 375,
        windowHeight: 812,
        pixelRatio: 2,
      });
    }
  });

  it('when the date is before today or malformed, then saving is blocked with the reason; a cancelled confirm sends nothing', async () => {
    const sent = mockApi({
      'GET /me': ok(admin()),
      'GET /settings/ranking': ok({ org: 'c1', visibility: 'branch' }),
      'GET /settings/points-rules': ok(rulesView()),
    });
    render(<CountySettings />);
    await screen.findByTestId('cs-rule-checkin');
    expect(screen.getByTestId('cs-history').textContent).toContain('尚未修改过');
    fireEvent.input(screen.getByTestId('cs-effective-from'), { target: { value: '2020-01-01' } });
    expect(screen.getByTestId('cs-date-problem').textContent).toContain('不能早于今天');
    fireEvent.input(screen.getByTestId('cs-effective-from'), { target: { value: '明天' } });
    expect(screen.getByTestId('cs-date-problem').textContent).toContain('格式');
    fireEvent.input(screen.getByTestId('cs-effective-from'), { target: { value: tomorrow } });
    expect(screen.queryByTestId('cs-date-problem')).toBeNull();
    (Taro.showModal as jest.Mock).mockResolvedValueOnce({ confirm: false, cancel: true });
    fireEvent.click(screen.getByTestId('cs-rules-save'));
    await waitFor(() => expect(Taro.showModal).toHaveBeenCalled());
    expect(sent.filter((r) => r.method === 'PUT')).toHaveLength(0);
  });
});
