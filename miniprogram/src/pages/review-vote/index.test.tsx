import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReviewRound } from '@pioneer/shared';
import ReviewVotePage from './index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

const round = (over: Partial<ReviewRound> = {}): ReviewRound => ({
  id: 'b1|2026',
  branchId: 'b1',
  branchName: '红旗村党支部',
  year: 2026,
  closesAt: '2026-12-31T10:00:00.000Z',
  closed: false,
  members: [
    { id: 'u1', name: '张建国' },
    { id: 'u2', name: '王大妈' },
    { id: 'u3', name: '李大伯' },
  ],
  voterCount: 2,
  canVote: true,
  hasVoted: false,
  ...over,
});
const BALLOT = 'POST /reviews/b1/2026/ballot';

describe('民主评议 (member)', () => {
  beforeEach(() => login());

  it('when a round is open, then every member (本人 marked) has four big grade buttons, and the ballot goes with every rating', async () => {
    const sent = mockApi({
      'GET /reviews/current': ok({ round: round() }),
      'GET /me': ok(buildMe({ roles: ['member'] })),
      [BALLOT]: ok({ voted: true }),
    });
    render(<ReviewVotePage />);
    const cards = await screen.findAllByTestId('review-member');
    expect(cards).toHaveLength(3);
    await waitFor(() => expect(cards[0]!.textContent).toContain('张建国（本人自评）'));
    expect(screen.getByTestId('review-submit').textContent).toBe('提交评议（无记名）');
    fireEvent.click(screen.getByTestId('grade-0-excellent'));
    fireEvent.click(screen.getByTestId('grade-1-qualified'));
    fireEvent.click(screen.getByTestId('review-submit'));
    expect((await screen.findByTestId('review-error')).textContent).toBe(
      '还有1位党员未评议，请为每位党员（含本人）选择等次',
    );
    expect(sent.some((r) => r.method === 'POST')).toBe(false);
    fireEvent.click(screen.getByTestId('grade-2-unqualified'));
    fireEvent.input(screen.getByTestId('comment-2'), { target: { value: '全年未参加活动' } });
    fireEvent.click(screen.getByTestId('review-submit'));
    await waitFor(() => expect(sent.find((r) => r.method === 'POST')).toBeTruthy());
    expect(sent.find((r) => r.method === 'POST')!.data).toEqual({
      ratings: [
        { memberId: 'u1', grade: 'excellent' },
        { memberId: 'u2', grade: 'qualified' },
        { memberId: 'u3', grade: 'unqualified', comment: '全年未参加活动' },
      ],
    });
  });

  it('when the member has voted, then no ballot is shown again; with no round, it says so', async () => {
    mockApi({ 'GET /reviews/current': ok({ round: round({ hasVoted: true }) }), 'GET /me': ok(buildMe()) });
    const { unmount } = render(<ReviewVotePage />);
    expect((await screen.findByTestId('review-voted')).textContent).toContain('已完成本轮评议');
    expect(screen.queryByTestId('review-member')).toBeNull();
    unmount();
    mockApi({ 'GET /reviews/current': ok({ round: null }), 'GET /me': ok(buildMe()) });
    render(<ReviewVotePage />);
    expect((await screen.findByTestId('review-none')).textContent).toBe('本支部暂无进行中的民主评议');
  });

  it('when the server refuses (already voted elsewhere), then its Chinese message is shown', async () => {
    mockApi({
      'GET /reviews/current': ok({ round: round({ members: [{ id: 'u1', name: '张建国' }] }) }),
      'GET /me': ok(buildMe()),
      [BALLOT]: {
        statusCode: 409,
        data: { error: { code: 'ALREADY_VOTED', message: '您已参加本轮评议，不能重复投票' } },
      },
    });
    render(<ReviewVotePage />);
    fireEvent.click(await screen.findByTestId('grade-0-qualified'));
    fireEvent.click(screen.getByTestId('review-submit'));
    expect((await screen.findByTestId('review-error')).textContent).toBe('您已参加本轮评议，不能重复投票');
  });
});
