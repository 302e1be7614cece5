import { fireEvent, render, screen } from '@testing-library/react';
import type { LedgerItem } from '@pioneer/shared';
import PointsHistory from './index';
import { login, mockApi, ok } from '../../../test/api-mock';

const entry = (id: string, over: Partial<LedgerItem> = {}): LedgerItem => ({
  id,
  delta: 3,
  reason: 'daily_quiz',
  // 01:30 UTC is 09:30 in Shanghai
  at: '2025-11-25T01:30:00.000Z',
  refType: 'quiz',
  refId: id,
  note: null,
  ...over,
});

describe('points history page', () => {
  beforeEach(() => login());

  it('when entries load, then each shows the reason in Chinese, +delta and Shanghai time; 加载更多 appends the next page', async () => {
    const sent = mockApi({
      'GET /points/ledger': (req) =>
        req.query.cursor === '2025-11:20'
          ? ok({
              items: [entry('e3', { reason: 'manual_adjustment', delta: -2, note: '未参加会议' })],
              nextCursor: null,
            })
          : ok({ items: [entry('e1'), entry('e2', { reason: 'activity_attended' })], nextCursor: '2025-11:20' }),
    });
    render(<PointsHistory />);

    const first = await screen.findAllByTestId('ledger-row');
    expect(first).toHaveLength(2);
    expect(first[0].textContent).toContain('每日答题');
    expect(first[0].textContent).toContain('+3');
    expect(first[0].textContent).toContain('11月25日 09:30');
    expect(first[1].textContent).toContain('参加组织生活');

    fireEvent.click(screen.getByTestId('load-more'));

    await screen.findByText('没有更多了');
    const all = screen.getAllByTestId('ledger-row');
    expect(all).toHaveLength(3);
    expect(all[2].textContent).toContain('书记调整');
    expect(all[2].textContent).toContain('-2');
    expect(all[2].textContent).toContain('未参加会议');
    expect(sent.map((r) => r.query.cursor)).toEqual([undefined, '2025-11:20']);
    expect(screen.queryByTestId('load-more')).toBeNull();
  });

  it('when there are no entries, then it says so in plain words', async () => {
    mockApi({ 'GET /points/ledger': ok({ items: [], nextCursor: null }) });
    render(<PointsHistory />);
    expect(await screen.findByText('还没有积分记录，去答题或参加服务吧')).toBeTruthy();
  });
});
