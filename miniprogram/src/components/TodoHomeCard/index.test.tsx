import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { TodoCounts } from '@pioneer/shared';
import TodoHomeCard from './index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

const counts = (items: Partial<TodoCounts['items']>): TodoCounts => {
  const all = { checkins: 0, commitments: 0, records: 0, wishes: 0, leaves: 0, binds: 0, ...items };
  return { branchId: 'b1', items: all, total: Object.values(all).reduce((a, b) => a + b, 0) };
};

describe('首页 待办', () => {
  beforeEach(() => login());

  it('when things wait in my branch, then each queue shows its count and opens its page', async () => {
    mockApi({ 'GET /todo': ok(counts({ checkins: 2, records: 3, wishes: 1, leaves: 1 })) });
    render(<TodoHomeCard me={buildMe()} />);

    expect((await screen.findByTestId('home-todo')).textContent).toContain('待办 7 件');
    expect(screen.getByTestId('home-todo-checkins').textContent).toContain('外勤打卡待审核2');
    expect(screen.queryByTestId('home-todo-commitments')).toBeNull();
    fireEvent.click(screen.getByTestId('home-todo-records'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/console/service-admin/index' });
    fireEvent.click(screen.getByTestId('home-todo-checkins'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/console/checkin-review/index' });
    fireEvent.click(screen.getByTestId('home-todo-leaves'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/activities/index' });
  });

  it('when nothing waits, then the card is hidden', async () => {
    const sent = mockApi({ 'GET /todo': ok(counts({})) });
    const { container } = render(<TodoHomeCard me={buildMe()} />);
    await waitFor(() => expect(sent.some((r) => r.path === '/todo')).toBe(true));
    expect(container.textContent).toBe('');
  });

  it('when I run no branch, then nothing is asked and nothing shown', async () => {
    const sent = mockApi({ 'GET /todo': ok(counts({ records: 1 })) });
    const { container } = render(<TodoHomeCard me={buildMe({ roles: ['member'] })} />);
    await new Promise((r) => setTimeout(r, 20));
    expect(sent.some((r) => r.path === '/todo')).toBe(false);
    expect(container.textContent).toBe('');
  });
});
