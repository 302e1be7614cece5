import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import ServiceAdmin from './index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';
import { page, post, record, wish } from '../../../test/posts-fixtures';

const secretary = () => buildMe({ roles: ['member', 'secretary'] });

describe('服务管理', () => {
  beforeEach(() => login());

  it('when a member opens it, then it is closed to them and nothing else is asked for', async () => {
    const sent = mockApi({ 'GET /me': ok(buildMe({ roles: ['member'] })) });
    render(<ServiceAdmin />);
    expect(await screen.findByText('服务管理仅对支部书记和管理员开放')).toBeTruthy();
    expect(sent.map((r) => r.path)).toEqual(['/me']);
  });

  it('when the secretary confirms a pending record, then it is confirmed and leaves the queue; a return carries the reason', async () => {
    let pending = [record(), record({ id: 'r2', userName: '王建国', hours: 1 })];
    const sent = mockApi({
      'GET /me': ok(secretary()),
      'GET /records': () => page(pending),
      'GET /wishes': page([
        wish({
          status: 'fulfilled',
          canManage: true,
          residentName: '陈秀英',
          residentContact: '13905725678',
          claimant: { id: 'u2', name: '王建国' },
          fulfilment: { note: '已教会', photoUrls: [], at: '2025-11-25T02:00:00.000Z' },
        }),
      ]),
      'POST /records/r1/confirm': () => {
        pending = pending.filter((r) => r.id !== 'r1');
        return ok(record({ status: 'confirmed', pointsAwarded: 4 }));
      },
      'POST /records/r2/reject': () => {
        pending = [];
        return ok(record({ id: 'r2', status: 'rejected' }));
      },
    });
    render(<ServiceAdmin />);

    const cards = await screen.findAllByTestId('record-card');
    expect(cards).toHaveLength(2);
    expect(cards[0].textContent).toContain('陈党员 · 法律咨询岗');
    expect(sent.find((r) => r.path === '/records')?.query).toMatchObject({ status: 'pending' });
    // The fulfilled wish waits too, with the resident in full for the secretary.
    expect(screen.getByTestId('wish-card').textContent).toContain('群众：陈秀英 · 13905725678');

    fireEvent.click(within(cards[0]).getByTestId('review-record-confirm'));
    await waitFor(() => expect(screen.getAllByTestId('record-card')).toHaveLength(1));

    const left = screen.getByTestId('record-card');
    fireEvent.click(within(left).getByTestId('review-record-return'));
    fireEvent.change(within(left).getByTestId('review-record-comment'), { target: { value: '时长与签到不符' } });
    fireEvent.click(within(left).getByTestId('review-record-return-confirm'));
    await waitFor(() =>
      expect(sent.find((r) => r.path === '/records/r2/reject')?.data).toEqual({ comment: '时长与签到不符' }),
    );
    await waitFor(() => expect(screen.queryAllByTestId('record-card')).toHaveLength(0));
  });

  it('when the secretary opens 岗位, then their posts show with seat counts and a 发布岗位 button', async () => {
    const sent = mockApi({
      'GET /me': ok(secretary()),
      'GET /records': page([]),
      'GET /wishes': page([]),
      'GET /posts': page([post({ canManage: true })]),
    });
    render(<ServiceAdmin />);
    expect(await screen.findByText('没有待确认的服务记录和心愿')).toBeTruthy();
    fireEvent.click(screen.getByTestId('sa-tab-posts'));
    const card = await screen.findByTestId('post-card');
    expect(within(card).getByTestId('sa-post-seats').textContent).toBe('认领人员（1）');
    expect(screen.getByTestId('sa-new-post')).toBeTruthy();
    expect(sent.find((r) => r.path === '/posts')?.query).toEqual({ managed: 'true' });
  });
});
