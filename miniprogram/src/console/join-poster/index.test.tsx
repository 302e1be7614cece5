import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import JoinPosterPage from './index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

const poster = {
  code: 'ABCD2345',
  branchName: '红旗村党支部',
  expiresAt: '2026-12-29T08:00:00.000Z',
  qrPng: 'data:image/png;base64,AAAA',
  joinUrl: 'http://x/#/pages/join/index?code=ABCD2345',
};

describe('入党码 · 绑定确认', () => {
  beforeEach(() => login());

  it('one tap makes the poster of my branch with its code and expiry; a binding request is confirmed', async () => {
    let requests = [
      { id: 'u9', name: '刘三', phone: '138****0003', branchId: 'b1', requestedAt: '2026-11-29T08:00:00.000Z' },
    ];
    const sent = mockApi({
      'GET /me': ok(buildMe()),
      'POST /orgs/b1/join-poster': { statusCode: 201, data: poster },
      'GET /orgs/b1/bind-requests': () => ok(requests),
      'POST /orgs/b1/bind-requests/u9/confirm': () => {
        requests = [];
        return ok([]);
      },
    });
    render(<JoinPosterPage />);
    fireEvent.click(await screen.findByTestId('poster-make'));
    expect((await screen.findByTestId('poster-code')).textContent).toBe('ABCD2345');
    expect(screen.getByTestId('poster').textContent).toContain('有效期至');
    expect(screen.getByTestId('poster').textContent).toContain('红旗村党支部');
    expect((await screen.findByTestId('bind-request')).textContent).toContain('刘三');
    fireEvent.click(screen.getByTestId('bind-confirm'));
    await waitFor(() => expect(screen.queryByTestId('bind-request')).toBeNull());
    expect(sent.some((r) => r.method === 'POST' && r.path === '/orgs/b1/bind-requests/u9/confirm')).toBe(true);
  });

  it('a plain member is told it is not for them', async () => {
    mockApi({ 'GET /me': ok(buildMe({ roles: ['member'] })) });
    render(<JoinPosterPage />);
    expect(await screen.findByText('只有支部书记和管理员可以使用')).toBeTruthy();
  });
});
