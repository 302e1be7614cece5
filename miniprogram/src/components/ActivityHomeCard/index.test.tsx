import { fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { Activity } from '@pioneer/shared';
import ActivityHomeCard from './index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

const base: Activity = {
  id: 'a1',
  branchId: 'b1',
  branchName: '红旗村党支部',
  type: 'party_congress',
  title: '第四季度党员大会',
  topic: null,
  startsAt: '2026-11-28T01:00:00.000Z',
  endsAt: '2026-11-28T03:00:00.000Z',
  place: null,
  status: 'planned',
  expectedCount: 10,
  signedInCount: 0,
  minutes: null,
  mine: { expected: true, signedInAt: null, late: false, leave: null },
};

describe('首页 · 组织生活 card', () => {
  beforeEach(() => login());

  it('shows my next activity, skipping finished ones, and opens it', async () => {
    mockApi({ 'GET /activities': ok({ items: [{ ...base, id: 'a0', status: 'closed', title: '旧的' }, base] }) });
    render(<ActivityHomeCard me={buildMe({ roles: ['member'] })} />);
    expect((await screen.findByTestId('home-activity-title')).textContent).toBe('支部党员大会 · 第四季度党员大会');
    expect(screen.queryByTestId('home-activities')).toBeNull();
    fireEvent.click(screen.getByTestId('home-activity'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/activity/index?id=a1' });
  });

  it('for a secretary, also links to the list, publishing and the record book', async () => {
    mockApi({ 'GET /activities': ok({ items: [] }) });
    render(<ActivityHomeCard me={buildMe()} />);
    fireEvent.click(await screen.findByTestId('home-activities'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/activities/index' });
  });
});
