import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { NoticeListItem } from '@pioneer/shared';
import NoticesPage from './index';
import { login, mockApi, ok } from '../../../test/api-mock';

const item = (over: Partial<NoticeListItem>): NoticeListItem => ({
  id: 'n1',
  title: '通知',
  orgName: '青山县',
  publisherName: '王组织',
  audience: 'all',
  pinned: false,
  publishedAt: '2026-11-30T02:00:00.000Z',
  expiresAt: null,
  unread: false,
  ...over,
});

describe('通知公告 list', () => {
  beforeEach(() => login());

  it('marks the unread and the pinned, and opens a notice', async () => {
    mockApi({
      'GET /notices': ok({
        items: [item({ id: 'a', title: '置顶通知', pinned: true, unread: true }), item({ id: 'b', title: '已读通知' })],
        unread: 1,
      }),
    });
    render(<NoticesPage />);
    const cards = await screen.findAllByTestId('notice-item');
    expect(cards.map((c) => c.textContent)).toEqual([
      expect.stringContaining('置顶置顶通知未读'),
      expect.not.stringContaining('未读'),
    ]);
    expect(screen.getAllByTestId('notice-unread')).toHaveLength(1);
    fireEvent.click(cards[1]!);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/notice/index?id=b' });
  });

  it('says so when there is none', async () => {
    mockApi({ 'GET /notices': ok({ items: [], unread: 0 }) });
    render(<NoticesPage />);
    await waitFor(() => expect(screen.getByText('暂无通知')).toBeTruthy());
  });
});
