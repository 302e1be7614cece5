import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { CommitmentCard, Queue } from '@pioneer/shared';
import CommitmentReviewPage from './index';
import { login, mockApi, ok } from '../../../test/api-mock';

const year = new Date().getFullYear();
function entry(userId: string, name: string, status: 'submitted' | 'approved'): CommitmentCard {
  return {
    card: {
      userId,
      name,
      photoUrl: null,
      branch: '红旗村党支部',
      partySince: 1985,
      dutyTitle: '党员中心户',
      badge: null,
      contact: '139****0001',
    },
    commitment: {
      id: `${userId}|${year}`,
      userId,
      year,
      status,
      items: [{ text: `${name}的承诺` }],
      reviewComment: null,
      submittedAt: null,
      reviewedAt: null,
      progress: [],
      evaluation: null,
      updatedAt: '2026-03-01T00:00:00.000Z',
    },
  };
}
const queue = (): Queue => ({
  year,
  branches: [{ id: 'b1', name: '红旗村党支部' }],
  counts: { submitted: 2, awaitingEvaluation: 1 },
  submitted: [entry('u2', '王大妈', 'submitted'), entry('u3', '李大伯', 'submitted')],
  awaitingEvaluation: [entry('u4', '赵老师', 'approved')],
});
const path = (userId: string, action: string) => `/commitments/${encodeURIComponent(`${userId}|${year}`)}/${action}`;

describe('承诺审核', () => {
  beforeEach(() => login());

  it('when commitments await review, then each shows the card (contact masked) and items; approving removes it', async () => {
    const sent = mockApi({ 'GET /commitments/queue': ok(queue()), [`POST ${path('u2', 'review')}`]: ok({}) });
    render(<CommitmentReviewPage />);
    const items = await screen.findAllByTestId('queue-item');
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain('王大妈');
    expect(items[0]!.textContent).toContain('联系：139****0001');
    expect(items[0]!.textContent).toContain('王大妈的承诺');
    expect(screen.getByTestId('tab-review').textContent).toBe('待审核 2');
    fireEvent.click(items[0]!.querySelector('[data-testid="queue-approve"]')!);
    await waitFor(() => expect(screen.getAllByTestId('queue-item')).toHaveLength(1));
    expect(sent.find((r) => r.method === 'POST')).toMatchObject({
      path: path('u2', 'review'),
      data: { decision: 'approve' },
    });
    expect(Taro.showToast).toHaveBeenCalledWith({ title: '已通过，已上墙', icon: 'none' });
  });

  it('when more wait than the server sent (it sends the oldest 100), then the page says how many there are; otherwise nothing', async () => {
    mockApi({ 'GET /commitments/queue': ok({ ...queue(), counts: { submitted: 130, awaitingEvaluation: 1 } }) });
    const { unmount } = render(<CommitmentReviewPage />);
    expect((await screen.findByTestId('queue-more')).textContent).toBe('共130份，先显示最早的2份，处理后刷新可见其余');
    unmount();
    mockApi({ 'GET /commitments/queue': ok(queue()) });
    render(<CommitmentReviewPage />);
    await screen.findAllByTestId('queue-item');
    expect(screen.queryByTestId('queue-more')).toBeNull();
  });

  it('when returning without a comment, then it asks for one; with a comment it is sent', async () => {
    const sent = mockApi({ 'GET /commitments/queue': ok(queue()), [`POST ${path('u2', 'review')}`]: ok({}) });
    render(<CommitmentReviewPage />);
    const [first] = await screen.findAllByTestId('queue-item');
    fireEvent.click(first!.querySelector('[data-testid="queue-return"]')!);
    expect((await screen.findByTestId('queue-error')).textContent).toBe('退回时请填写修改意见');
    expect(sent.some((r) => r.method === 'POST')).toBe(false);
    fireEvent.change(first!.querySelector('[data-testid="queue-comment"]')!, { target: { value: '请写具体些' } });
    fireEvent.click(first!.querySelector('[data-testid="queue-return"]')!);
    await waitFor(() =>
      expect(sent.find((r) => r.method === 'POST')?.data).toEqual({ decision: 'return', comment: '请写具体些' }),
    );
  });

  it('when the server refuses (already reviewed), then its message shows and the item stays', async () => {
    mockApi({
      'GET /commitments/queue': ok(queue()),
      [`POST ${path('u2', 'review')}`]: {
        statusCode: 422,
        data: { error: { code: 'ILLEGAL_TRANSITION', message: '承诺已通过，只有待审核的承诺才能审核' } },
      },
    });
    render(<CommitmentReviewPage />);
    fireEvent.click((await screen.findAllByTestId('queue-approve'))[0]!);
    expect(await screen.findByText('承诺已通过，只有待审核的承诺才能审核')).toBeTruthy();
    expect(screen.getAllByTestId('queue-item')).toHaveLength(2);
  });

  it('the year-end list evaluates with a rating', async () => {
    const sent = mockApi({ 'GET /commitments/queue': ok(queue()), [`POST ${path('u4', 'evaluate')}`]: ok({}) });
    render(<CommitmentReviewPage />);
    fireEvent.click(await screen.findByTestId('tab-evaluate'));
    expect(screen.getByTestId('eval-item').textContent).toContain('赵老师');
    fireEvent.click(screen.getByTestId('eval-rating-excellent'));
    fireEvent.click(screen.getByTestId('eval-submit'));
    await waitFor(() => expect(sent.find((r) => r.method === 'POST')?.data).toEqual({ rating: 'excellent' }));
    await waitFor(() => expect(screen.getByTestId('queue-empty').textContent).toBe('没有待评诺的承诺'));
  });
});
