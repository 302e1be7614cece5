import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import Home from './index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';
import { quizToday } from '../../../test/quiz-fixtures';

describe('首页', () => {
  beforeEach(() => login());

  it('when loaded, then it greets me with my org, my month points and my rank in my branch', async () => {
    const sent = mockApi({
      'GET /me': ok(buildMe()),
      'GET /leaderboards/members': ok({ scope: 'b1', period: 'month', items: [], me: { rank: 3, points: 12 } }),
    });
    render(<Home />);

    expect((await screen.findByTestId('home-greeting')).textContent).toContain('张建国');
    expect(screen.getByText('红旗村党支部')).toBeTruthy();
    expect(screen.getByTestId('home-month-points').textContent).toBe('12');
    expect((await screen.findByText('第3名')).textContent).toBe('第3名');
    expect(sent.find((r) => r.path === '/leaderboards/members')?.query).toMatchObject({ scope: 'b1', period: 'month' });
  });

  it('when I tap 认领岗位 or 亮承诺, then they open the 服务 and 亮身份 tabs (both ship: no 即将上线); 积分排行 opens the board', async () => {
    mockApi({
      'GET /me': ok(buildMe()),
      'GET /leaderboards/members': ok({ scope: 'b1', period: 'month', items: [], me: null }),
    });
    const { container } = render(<Home />);

    fireEvent.click(await screen.findByTestId('shortcut-posts'));
    expect(Taro.switchTab).toHaveBeenCalledWith({ url: '/pages/service/index' });
    fireEvent.click(screen.getByTestId('shortcut-commit'));
    expect(Taro.switchTab).toHaveBeenCalledWith({ url: '/pages/identity/index' });
    expect(Taro.showToast).not.toHaveBeenCalled();
    expect(container.textContent).not.toContain('即将上线');
    fireEvent.click(screen.getByTestId('shortcut-board'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/leaderboard/index' });
    expect(await screen.findByText('暂无排名')).toBeTruthy();
  });

  it("when today's daily quiz is done, then 每日答题 says so with the points, and a tap opens the daily quiz", async () => {
    mockApi({
      'GET /me': ok(buildMe()),
      'GET /leaderboards/members': ok({ scope: 'b1', period: 'month', items: [], me: null }),
      'GET /quiz/today': ok(quizToday({ daily: { done: true, pointsToday: 4 } })),
    });
    render(<Home />);

    await waitFor(() => expect(screen.getByTestId('shortcut-quiz-desc').textContent).toBe('已完成 · 得4分'));
    fireEvent.click(screen.getByTestId('shortcut-quiz'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/quiz/index?kind=daily' });
    expect(Taro.showToast).not.toHaveBeenCalled();
  });

  it('when the daily quiz is not done yet, then 每日答题 invites me to answer', async () => {
    mockApi({
      'GET /me': ok(buildMe()),
      'GET /leaderboards/members': ok({ scope: 'b1', period: 'month', items: [], me: null }),
      'GET /quiz/today': ok(quizToday()),
    });
    render(<Home />);
    await waitFor(() => expect(screen.getByTestId('shortcut-quiz-desc').textContent).toBe('今日未答，去答题'));
  });
});
