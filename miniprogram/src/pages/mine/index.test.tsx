import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import Mine from './index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

describe('我的 page', () => {
  beforeEach(() => login());

  it('when loaded, then it shows my name, org path, roles in Chinese and points for each period', async () => {
    mockApi({ 'GET /me': ok(buildMe()) });
    render(<Mine />);

    const card = await screen.findByTestId('mine-card');
    expect(card.textContent).toContain('张建国');
    expect(card.textContent).toContain('青山县 / 青山镇 / 红旗村 / 红旗村党支部');
    expect(card.textContent).toContain('党员');
    expect(card.textContent).toContain('支部书记');
    expect(screen.getByTestId('mine-points-week').textContent).toBe('3本周');
    expect(screen.getByTestId('mine-points-month').textContent).toBe('12本月');
    expect(screen.getByTestId('mine-points-year').textContent).toBe('80本年');
    expect(screen.getByTestId('mine-points-all').textContent).toBe('150累计');
  });

  it('when I tap the links, then 积分明细 and 积分排行 open', async () => {
    mockApi({ 'GET /me': ok(buildMe()) });
    render(<Mine />);

    fireEvent.click(await screen.findByTestId('link-points-history'));
    fireEvent.click(screen.getByTestId('link-leaderboard'));
    expect(Taro.navigateTo).toHaveBeenNthCalledWith(1, { url: '/pages/points-history/index' });
    expect(Taro.navigateTo).toHaveBeenNthCalledWith(2, { url: '/pages/leaderboard/index' });
  });

  it('when I am an admin, then 题库管理 is offered and opens the console; a member does not see it', async () => {
    mockApi({ 'GET /me': ok(buildMe({ roles: ['member', 'admin'] })) });
    const { unmount } = render(<Mine />);
    fireEvent.click(await screen.findByTestId('link-admin-questions'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/console/admin-questions/index' });
    unmount();

    mockApi({ 'GET /me': ok(buildMe()) });
    render(<Mine />);
    await screen.findByTestId('mine-card');
    expect(screen.queryByTestId('link-admin-questions')).toBeNull();
  });

  it('when I confirm 退出登录, then the token is gone and the login page opens', async () => {
    mockApi({ 'GET /me': ok(buildMe()) });
    render(<Mine />);

    fireEvent.click(await screen.findByTestId('logout'));
    await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' }));
    expect(Taro.getStorageSync('token')).toBe('');
  });

  it('when I am an admin or a secretary, then 操作记录 is offered and opens; a member does not see it', async () => {
    mockApi({ 'GET /me': ok(buildMe({ roles: ['member', 'admin'] })) });
    const { unmount } = render(<Mine />);
    fireEvent.click(await screen.findByTestId('link-audit-log'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/console/audit-log/index' });
    unmount();

    mockApi({ 'GET /me': ok(buildMe({ roles: ['member'] })) });
    render(<Mine />);
    await screen.findByTestId('mine-card');
    expect(screen.queryByTestId('link-audit-log')).toBeNull();
  });
});
