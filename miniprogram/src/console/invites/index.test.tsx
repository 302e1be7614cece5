import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { InviteRow } from '@pioneer/shared';
import InvitesPage from './index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

const invite = (code: string, over: Partial<InviteRow> = {}): InviteRow => ({
  code,
  orgId: 'b1',
  expiresAt: '2026-12-05T02:00:00.000Z',
  maxUses: 50,
  uses: 3,
  usesLeft: 47,
  revoked: false,
  expired: false,
  createdAt: '2026-11-28T02:00:00.000Z',
  ...over,
});

describe('邀请码 page', () => {
  beforeEach(() => login());

  it('when a secretary opens it, then the branch codes show with uses left; a revoked one shows 已作废 without a button', async () => {
    mockApi({
      'GET /me': ok(buildMe()),
      'GET /orgs/b1/invites': ok({ items: [invite('ABCD2345'), invite('WXYZ6789', { revoked: true, usesLeft: 0 })] }),
    });
    render(<InvitesPage />);
    const rows = await screen.findAllByTestId('invite-row');
    expect(rows[0].textContent).toContain('ABCD2345');
    expect(rows[0].textContent).toContain('剩余 47');
    expect(rows[1].textContent).toContain('已作废');
    expect(screen.getAllByTestId('invite-revoke')).toHaveLength(1);
  });

  it('when a code is created for 30 days and 20 people, then that is what is sent, and the new code is shown', async () => {
    const sent = mockApi({
      'GET /me': ok(buildMe()),
      'GET /orgs/b1/invites': ok({ items: [] }),
      'POST /orgs/b1/invites': ok({
        code: 'NEWC0DE2',
        orgId: 'b1',
        expiresAt: '2026-12-28T02:00:00.000Z',
        maxUses: 20,
        uses: 0,
      }),
    });
    render(<InvitesPage />);
    expect(await screen.findByText('还没有邀请码')).toBeTruthy();
    fireEvent.click(screen.getByTestId('days-30'));
    fireEvent.change(screen.getByTestId('invite-max-uses'), { target: { value: '20' } });
    fireEvent.click(screen.getByTestId('invite-create'));
    await waitFor(() =>
      expect(sent.find((r) => r.method === 'POST')?.data).toEqual({ expiresInDays: 30, maxUses: 20 }),
    );
    await waitFor(() =>
      expect(Taro.showModal).toHaveBeenLastCalledWith(
        expect.objectContaining({ content: expect.stringContaining('NEWC0DE2') }),
      ),
    );
  });

  it('when a code is revoked, then the revoke is sent after confirming and the list reloads', async () => {
    let revoked = false;
    const sent = mockApi({
      'GET /me': ok(buildMe()),
      'GET /orgs/b1/invites': () => ok({ items: [invite('ABCD2345', revoked ? { revoked: true, usesLeft: 0 } : {})] }),
      'POST /invites/ABCD2345/revoke': () => {
        revoked = true;
        return ok(invite('ABCD2345', { revoked: true, usesLeft: 0 }));
      },
    });
    render(<InvitesPage />);
    fireEvent.click(await screen.findByTestId('invite-revoke'));
    await screen.findByText('已作废');
    expect(sent.filter((r) => r.path === '/invites/ABCD2345/revoke')).toHaveLength(1);
  });

  it('when an admin opens it, then they pick a branch of their subtree first', async () => {
    const sent = mockApi({
      'GET /me': ok(
        buildMe({ roles: ['member', 'admin'], org: null, adminOrg: { id: 't1', name: '青山镇', type: 'township' } }),
      ),
      'GET /orgs/t1/tree': ok({
        id: 't1',
        name: '青山镇',
        type: 'township',
        parentId: 'c1',
        memberCount: 0,
        fence: null,
        children: [
          { id: 'b7', name: '镇机关党支部', type: 'branch', parentId: 't1', memberCount: 0, fence: null, children: [] },
        ],
      }),
      'GET /orgs/b7/invites': ok({ items: [] }),
    });
    render(<InvitesPage />);
    expect(await screen.findByText('请先选择支部')).toBeTruthy();
    fireEvent.click(await screen.findByTestId('invite-branch'));
    await waitFor(() => expect(sent.some((r) => r.path === '/orgs/b7/invites')).toBe(true));
  });
});
