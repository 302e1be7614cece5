import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import Mine from './index';
import Home from '../index/index';
import PointsRules from '../points-rules/index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';
import { quizToday } from '../../../test/quiz-fixtures';

describe('关怀模式 and ranking opt-out in 我的', () => {
  beforeEach(() => login());

  it('when I turn 关怀模式 on, then it is saved on me, remembered locally and the page takes the care class', async () => {
    const sent = mockApi({
      'GET /me': ok(buildMe()),
      'PATCH /me': (req) => ok(buildMe({ careMode: (req.data as { careMode: boolean }).careMode })),
    });
    const { container } = render(<Mine />);
    const sw = await screen.findByTestId('switch-careMode');
    expect(sw.getAttribute('aria-checked')).toBe('false');
    expect(container.querySelector('.care')).toBeNull();

    fireEvent.click(screen.getByTestId('setting-careMode'));
    await waitFor(() => expect(screen.getByTestId('switch-careMode').getAttribute('aria-checked')).toBe('true'));
    expect(sent.filter((r) => r.method === 'PATCH')).toEqual([
      expect.objectContaining({ path: '/me', data: { careMode: true } }),
    ]);
    expect(Taro.getStorageSync('careMode')).toBe(true);
    expect(container.querySelector('.page-container.care')).not.toBeNull();
  });

  it('when I hide myself from rankings, then PATCH /me carries hideFromRankings', async () => {
    const sent = mockApi({
      'GET /me': ok(buildMe()),
      'PATCH /me': (req) =>
        ok(buildMe({ hideFromRankings: (req.data as { hideFromRankings: boolean }).hideFromRankings })),
    });
    render(<Mine />);
    fireEvent.click(await screen.findByTestId('setting-hideFromRankings'));
    await waitFor(() =>
      expect(screen.getByTestId('switch-hideFromRankings').getAttribute('aria-checked')).toBe('true'),
    );
    expect(sent.find((r) => r.method === 'PATCH')?.data).toEqual({ hideFromRankings: true });
  });

  it('when 积分规则 is tapped, then the rules page opens', async () => {
    mockApi({ 'GET /me': ok(buildMe()) });
    render(<Mine />);
    fireEvent.click(await screen.findByTestId('link-points-rules'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/points-rules/index' });
  });
});

describe('首页 in 关怀模式', () => {
  beforeEach(() => login());

  it('when my remembered setting is care mode, then 首页 shows only greeting, my points, the quiz and check-in, in the care class', async () => {
    mockApi({
      'GET /me': ok(buildMe({ careMode: true })),
      'GET /leaderboards/members': ok({ scope: 'b1', period: 'month', items: [], me: { rank: 3, points: 12 } }),
      'GET /quiz/today': ok(quizToday()),
    });
    const { container } = render(<Home />);
    await screen.findByTestId('home-care');
    expect(screen.getByTestId('home-month-points').textContent).toBe('12');
    expect(screen.getByTestId('shortcut-quiz')).toBeTruthy();
    expect(screen.queryByTestId('shortcut-posts')).toBeNull();
    expect(screen.queryByTestId('home-branch-rank')).toBeNull();
    expect(container.querySelector('.page-container.care')).not.toBeNull();
  });
});

describe('积分规则 page', () => {
  beforeEach(() => login());

  it('when loaded, then it lists the rules in force in my county with their caps, and those paused', async () => {
    const sent = mockApi({
      'GET /me': ok(buildMe()),
      'GET /settings/points-rules': ok({
        org: 'c1',
        at: '2026-11-25',
        effectiveFrom: '2026-11-01',
        rules: [
          {
            reason: 'checkin',
            label: '驻村打卡',
            earns: '在村内打卡得1分',
            points: 1,
            cap: { per: 'day', max: 2 },
            enabled: true,
          },
          {
            reason: 'wish_fulfilled',
            label: '微心愿圆梦',
            earns: '完成微心愿并经确认得5分',
            points: null,
            cap: null,
            enabled: false,
          },
        ],
      }),
    });
    render(<PointsRules />);
    expect((await screen.findByTestId('rule-checkin')).textContent).toContain('每天最多2分');
    expect(screen.getByTestId('rules-head').textContent).toContain('2026-11-01');
    expect(screen.queryByTestId('rule-wish_fulfilled')).toBeNull();
    expect(screen.getByTestId('rules-off').textContent).toContain('微心愿圆梦');
    expect(sent.find((r) => r.path === '/settings/points-rules')?.query).toMatchObject({ org: 'c1' });
  });
});
