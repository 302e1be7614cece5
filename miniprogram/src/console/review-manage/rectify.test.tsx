import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { RectifyItem } from '@pioneer/shared';
import { RectifySection } from './rectify';
import { MyRectify } from '../../pages/review-vote/my-rectify';
import { login, mockApi, ok } from '../../../test/api-mock';

const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
const L = `/rectify/b1/${year}`;
const item = (over: Partial<RectifyItem> = {}): RectifyItem => ({
  n: 1,
  text: '学习不经常',
  level: 'member',
  owner: { id: 'u2', name: '王大妈' },
  deadline: '2026-12-31T00:00:00.000Z',
  status: 'done',
  overdue: false,
  evidence: '已补学',
  ...over,
});

describe('整改清单', () => {
  beforeEach(() => login());

  it('the secretary sees counts (overdue too), adds an item for a member and closes a done one', async () => {
    const sent = mockApi({
      [`GET ${L}`]: ok({
        items: [
          item(),
          item({
            n: 2,
            text: '三会一课不规范',
            level: 'branch',
            owner: null,
            status: 'open',
            overdue: true,
            evidence: null,
          }),
        ],
      }),
      'POST /rectify': ok(item({ n: 3, status: 'open' })),
      [`POST ${L}/1/close`]: ok(item({ status: 'closed' })),
    });
    render(<RectifySection branchId="b1" year={year} members={[{ id: 'u2', name: '王大妈' }]} />);
    await waitFor(() => expect(screen.getByTestId('rectify-summary').textContent).toBe('共2项，待整改1项，逾期1项'));
    expect(screen.getByTestId('rectify-status-2').textContent).toContain('支部问题（乡镇销号）');
    expect(screen.getByTestId('rectify-status-2').textContent).toContain('已逾期');
    expect(screen.queryByTestId('rectify-close-2')).toBeNull();
    fireEvent.click(screen.getByTestId('rectify-add'));
    expect((await screen.findByTestId('rectify-error')).textContent).toBe('请填写问题');
    fireEvent.input(screen.getByTestId('rectify-text'), { target: { value: '不按时交党费' } });
    fireEvent.click(screen.getByTestId('rectify-owner-u2'));
    fireEvent.click(screen.getByTestId('rectify-add'));
    await waitFor(() => expect(sent.find((r) => r.path === '/rectify')).toBeTruthy());
    expect(sent.find((r) => r.path === '/rectify')!.data).toMatchObject({
      year,
      text: '不按时交党费',
      level: 'member',
      ownerId: 'u2',
    });
    fireEvent.click(screen.getByTestId('rectify-close-1'));
    await waitFor(() => expect(sent.find((r) => r.path === `${L}/1/close`)).toBeTruthy());
  });

  it('a member sees only their own open items and reports one done with what was done', async () => {
    const sent = mockApi({
      [`GET ${L}`]: ok({
        items: [
          item({ status: 'open', evidence: null }),
          item({ n: 2, owner: { id: 'u9', name: '别人' }, status: 'open' }),
        ],
      }),
      [`POST ${L}/1/done`]: ok(item()),
    });
    render(<MyRectify branchId="b1" meId="u2" />);
    expect(await screen.findAllByTestId('my-rectify')).toHaveLength(1);
    fireEvent.input(screen.getByTestId('my-rectify-evidence-1'), { target: { value: '已补学三次' } });
    fireEvent.click(screen.getByTestId('my-rectify-done-1'));
    await waitFor(() => expect(sent.find((r) => r.method === 'POST')).toBeTruthy());
    expect(sent.find((r) => r.method === 'POST')!.data).toEqual({ evidence: '已补学三次' });
  });
});
