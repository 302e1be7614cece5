import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { PendingItem } from '@pioneer/shared';
import CheckinReviewPage from './index';
import { login, mockApi, ok } from '../../../test/api-mock';

function pending(over: Partial<PendingItem> = {}): PendingItem {
  return {
    id: 'c1',
    userId: 'u9',
    name: '赵驻村',
    branchName: '青山村党支部',
    villageName: '青山村',
    at: '2026-05-06T01:30:00.000Z',
    day: '2026-05-06',
    distanceM: 2300,
    accuracy: 25,
    reason: '到镇里参加防汛会议',
    flags: [],
    ...over,
  };
}

describe('打卡审核', () => {
  beforeEach(() => login());

  it('when out-of-fence check-ins wait, then each shows who, where, why and its flags', async () => {
    mockApi({
      'GET /checkins/pending': ok({
        items: [
          pending(),
          pending({ id: 'c2', name: '钱驻村', reason: '入户走访', flags: ['too_fast', 'same_coords'] }),
        ],
        nextCursor: null,
      }),
    });
    render(<CheckinReviewPage />);
    const items = await screen.findAllByTestId('review-item');
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain('赵驻村');
    expect(items[0]!.textContent).toContain('5月6日 09:30');
    expect(items[0]!.textContent).toContain('距打卡点2.3公里');
    expect(items[0]!.textContent).toContain('外勤说明：到镇里参加防汛会议');
    expect(items[1]!.textContent).toContain('存疑：移动过快、坐标与往日雷同');
  });

  it('when I approve with a comment, then it is sent, the item leaves the list and a toast says the day counts', async () => {
    const sent = mockApi({
      'GET /checkins/pending': ok({ items: [pending(), pending({ id: 'c2', name: '钱驻村' })], nextCursor: null }),
      'POST /checkins/c1/review': ok({ id: 'c1', status: 'approved', pointsAwarded: 1 }),
    });
    render(<CheckinReviewPage />);
    const [first] = await screen.findAllByTestId('review-item');
    fireEvent.change(first!.querySelector('[data-testid="review-comment"]')!, { target: { value: '情况属实' } });
    fireEvent.click(first!.querySelector('[data-testid="review-approve"]')!);

    await waitFor(() => expect(screen.getAllByTestId('review-item')).toHaveLength(1));
    expect(screen.getByTestId('review-item').textContent).toContain('钱驻村');
    expect(sent.find((r) => r.method === 'POST')).toMatchObject({
      path: '/checkins/c1/review',
      data: { decision: 'approve', comment: '情况属实' },
    });
    expect(Taro.showToast).toHaveBeenCalledWith({ title: '已批准，计为出勤', icon: 'none' });
  });

  it('when the server refuses a rejection (already reviewed), then its message shows and the item stays', async () => {
    mockApi({
      'GET /checkins/pending': ok({ items: [pending()], nextCursor: null }),
      'POST /checkins/c1/review': {
        statusCode: 422,
        data: { error: { code: 'ILLEGAL_TRANSITION', message: '这条打卡已经审核过了' } },
      },
    });
    render(<CheckinReviewPage />);
    fireEvent.click(await screen.findByTestId('review-reject'));
    expect((await screen.findByText('这条打卡已经审核过了')).textContent).toBeTruthy();
    expect(screen.getAllByTestId('review-item')).toHaveLength(1);
  });

  it('at a desk, then the queue is a sortable table with filters in a row and 批准/驳回 in each row', async () => {
    (Taro.getWindowInfo as unknown as jest.Mock).mockReturnValue({
      windowWidth: 1440,
      windowHeight: 900,
      pixelRatio: 1,
    });
    try {
      const sent = mockApi({
        'GET /checkins/pending': ok({
          items: [
            pending(),
            pending({ id: 'c2', name: '钱驻村', distanceM: 800, flags: ['too_fast'] }),
            pending({ id: 'c3', name: '孙驻村', distanceM: 5100 }),
          ],
          nextCursor: null,
        }),
        'POST /checkins/c3/review': ok({ id: 'c3', status: 'rejected', pointsAwarded: 0 }),
      });
      render(<CheckinReviewPage />);
      expect(await screen.findAllByTestId('review-table-row')).toHaveLength(3);
      expect(screen.queryByTestId('review-item')).toBeNull();
      // Farthest first after two clicks on 距打卡点 (numeric columns sort high to low first).
      fireEvent.click(screen.getByTestId('review-table-sort-distance'));
      expect(screen.getAllByTestId('review-table-row')[0]!.textContent).toContain('孙驻村');
      fireEvent.click(screen.getByTestId('review-filter-flagged'));
      expect(screen.getAllByTestId('review-table-row').map((r) => r.textContent)).toEqual([
        expect.stringContaining('钱驻村'),
      ]);
      fireEvent.click(screen.getByTestId('review-filter-all'));
      const row = screen.getAllByTestId('review-table-row')[0]!;
      fireEvent.input(row.querySelector('[data-testid="review-desk-comment"]')!, { target: { value: '距离太远' } });
      fireEvent.click(row.querySelector('[data-testid="review-desk-reject"]')!);
      await waitFor(() => expect(screen.getAllByTestId('review-table-row')).toHaveLength(2));
      expect(sent.find((r) => r.method === 'POST')).toMatchObject({
        path: '/checkins/c3/review',
        data: { decision: 'reject' },
      });
    } finally {
      (Taro.getWindowInfo as unknown as jest.Mock).mockReturnValue({
        windowWidth: 375,
        windowHeight: 812,
        pixelRatio: 2,
      });
    }
  });

  it('when nothing waits, then it says so', async () => {
    mockApi({ 'GET /checkins/pending': ok({ items: [], nextCursor: null }) });
    render(<CheckinReviewPage />);
    expect((await screen.findByTestId('page-empty')).textContent).toBe('没有待审核的外勤打卡');
  });
});
