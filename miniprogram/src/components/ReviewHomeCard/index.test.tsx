import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { ReviewRound } from '@pioneer/shared';
import ReviewHomeCard from './index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

const round = (over: Partial<ReviewRound> = {}): ReviewRound => ({
  id: 'b1|2026',
  branchId: 'b1',
  branchName: '红旗村党支部',
  year: 2026,
  closesAt: '2026-12-31T10:00:00.000Z',
  closed: false,
  members: [{ id: 'u1', name: '张建国' }],
  voterCount: 0,
  canVote: true,
  hasVoted: false,
  ...over,
});

describe('首页 民主评议 card', () => {
  beforeEach(() => login());

  it('while a round is open and I have not voted, it leads to the ballot', async () => {
    mockApi({ 'GET /reviews/current': ok({ round: round() }) });
    render(<ReviewHomeCard me={buildMe()} />);
    fireEvent.click(await screen.findByTestId('home-review'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/review-vote/index' });
  });

  it('after voting, when closed, or with no round, it is not shown', async () => {
    for (const r of [round({ hasVoted: true }), round({ closed: true }), null]) {
      const sent = mockApi({ 'GET /reviews/current': ok({ round: r }) });
      const { unmount } = render(<ReviewHomeCard me={buildMe()} />);
      await waitFor(() => expect(sent).toHaveLength(1));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(screen.queryByTestId('home-review')).toBeNull();
      unmount();
    }
  });
});
