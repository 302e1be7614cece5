import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import NoticeHomeCard from './index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

describe('首页 通知公告 card', () => {
  beforeEach(() => login());

  it('shows the unread count from the badge endpoint and leads to the list', async () => {
    const sent = mockApi({ 'GET /notices/badge': ok({ unread: 3 }) });
    render(<NoticeHomeCard me={buildMe()} />);
    await waitFor(() => expect(screen.getByTestId('home-notices-badge').textContent).toBe('3条未读'));
    expect(sent.map((r) => r.path)).toEqual(['/notices/badge']);
    fireEvent.click(screen.getByTestId('home-notices'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/notices/index' });
  });

  it('with nothing unread it says so, without a count', async () => {
    mockApi({ 'GET /notices/badge': ok({ unread: 0 }) });
    render(<NoticeHomeCard me={buildMe()} />);
    await waitFor(() => expect(screen.getByText('暂无未读通知')).toBeTruthy());
    expect(screen.getByTestId('home-notices-badge').textContent).toBe('查看');
  });
});
