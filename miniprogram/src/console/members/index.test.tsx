import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { MemberRow, OrgTreeNode, Transfer } from '@pioneer/shared';
import MembersPage from './index';
import { buildMe, login, mockApi, ok, type SentRequest } from '../../../test/api-mock';

const row = (id: string, name: string, over: Partial<MemberRow> = {}): MemberRow => ({
  id,
  name,
  avatarUrl: '',
  roles: ['member'],
  org: { id: 'b1', name: '红旗村党支部', type: 'branch' },
  postedVillageId: null,
  adminOrgId: null,
  contact: '138****1234',
  status: 'active',
  category: '正式党员',
  pendingTransferTo: null,
  ...over,
});
const transfer = (over: Partial<Transfer> = {}): Transfer => ({
  id: 'tr1',
  userId: 'u7',
  userName: '周转入',
  from: { id: 'b2', name: '青山村党支部' },
  to: { id: 'b1', name: '红旗村党支部' },
  state: 'pending',
  reason: '工作调动',
  comment: '',
  startedBy: 's2',
  startedAt: '2026-11-25T02:00:00.000Z',
  decidedBy: null,
  decidedAt: null,
  ...over,
});
const secretary = buildMe();
const tree: OrgTreeNode = {
  id: 'c1',
  name: '青山县',
  type: 'county',
  parentId: null,
  memberCount: 9,
  fence: null,
  children: [
    {
      id: 'v1',
      name: '红旗村',
      type: 'village',
      parentId: 'c1',
      memberCount: 9,
      fence: null,
      children: [
        { id: 'b1', name: '红旗村党支部', type: 'branch', parentId: 'v1', memberCount: 9, fence: null, children: [] },
      ],
    },
  ],
};
const admin = buildMe({ id: 'a1', roles: ['member', 'admin'], adminOrg: { id: 'c1', name: '青山县', type: 'county' } });
const searches = (sent: SentRequest[]) =>
  sent.filter((r) => r.method === 'GET' && /\/members$/.test(r.path)).map((r) => r.query);
const open = async (name: string) =>
  fireEvent.click((await screen.findAllByTestId('member-row')).find((r) => r.getAttribute('data-name') === name)!);

describe('党员管理 page', () => {
  beforeEach(() => login());

  it('when a secretary searches by phone tail and filters 去世, then the list asks for exactly that in their branch', async () => {
    const sent = mockApi({
      'GET /me': ok(secretary),
      'GET /transfers': ok({ incoming: [], outgoing: [] }),
      'GET /orgs/b1/members': ok({ items: [row('u5', '王建国'), row('u2', '李四')], nextCursor: null }),
    });
    render(<MembersPage />);
    expect(await screen.findAllByTestId('member-row')).toHaveLength(2);
    expect(screen.getByText('共 2 人')).toBeTruthy();
    fireEvent.change(screen.getByTestId('member-search'), { target: { value: '1234' } });
    fireEvent.click(screen.getByTestId('member-search-go'));
    fireEvent.click(screen.getByTestId('status-filter-deceased'));
    await waitFor(() => expect(searches(sent).at(-1)).toMatchObject({ q: '1234', status: 'deceased' }));
    expect(searches(sent)[0]).toMatchObject({ status: 'active', limit: '50' });
    // A secretary sets no roles (admins do) and has no branch filter.
    await open('王建国');
    expect(screen.queryByTestId('member-roles')).toBeNull();
    expect(screen.getByTestId('member-transfer')).toBeTruthy();
    expect(screen.queryByTestId('branch-filter-all')).toBeNull();
  });

  it('when a secretary transfers a member, then the branches of the county are offered (not the member’s own) and the transfer is started', async () => {
    const sent = mockApi({
      'GET /me': ok(secretary),
      'GET /transfers': ok({ incoming: [], outgoing: [] }),
      'GET /orgs/b1/members': ok({ items: [row('u5', '王建国')], nextCursor: null }),
      'GET /transfers/branches': ok({
        items: [
          { id: 'b1', name: '红旗村党支部', parentName: '红旗村' },
          { id: 'b2', name: '青山村党支部', parentName: '青山村' },
        ],
      }),
      'POST /transfers': ok(transfer()),
    });
    render(<MembersPage />);
    await open('王建国');
    fireEvent.click(screen.getByTestId('member-transfer'));
    const targets = await screen.findAllByTestId('transfer-target');
    expect(targets.map((t) => t.getAttribute('data-name'))).toEqual(['青山村党支部']);
    fireEvent.click(targets[0]);
    fireEvent.change(screen.getByTestId('transfer-reason'), { target: { value: '工作调动' } });
    fireEvent.click(screen.getByTestId('transfer-save'));
    await waitFor(() =>
      expect(sent.find((r) => r.method === 'POST' && r.path === '/transfers')?.data).toEqual({
        userId: 'u5',
        toOrgId: 'b2',
        reason: '工作调动',
      }),
    );
  });

  it('when a transfer waits to be received, then the secretary sees it and 接收 accepts it', async () => {
    const sent = mockApi({
      'GET /me': ok(secretary),
      'GET /transfers': ok({ incoming: [transfer()], outgoing: [] }),
      'GET /orgs/b1/members': ok({ items: [], nextCursor: null }),
      'POST /transfers/tr1/accept': ok(transfer({ state: 'accepted' })),
    });
    render(<MembersPage />);
    const incoming = await screen.findByTestId('transfer-in');
    expect(incoming.textContent).toContain('周转入');
    expect(incoming.textContent).toContain('青山村党支部 → 红旗村党支部');
    fireEvent.click(screen.getByTestId('transfer-accept'));
    await waitFor(() => expect(sent.some((r) => r.path === '/transfers/tr1/accept')).toBe(true));
  });

  it('when a transfer out still waits, then the sending secretary can withdraw (撤回) it', async () => {
    const sent = mockApi({
      'GET /me': ok(secretary),
      'GET /transfers': ok({ incoming: [], outgoing: [transfer()] }),
      'GET /orgs/b1/members': ok({ items: [], nextCursor: null }),
      'POST /transfers/tr1/withdraw': ok(transfer({ state: 'cancelled' })),
    });
    render(<MembersPage />);
    const outgoing = await screen.findByTestId('transfer-out');
    expect(outgoing.textContent).toContain('待对方接收');
    fireEvent.click(screen.getByTestId('transfer-withdraw'));
    await waitFor(() =>
      expect(sent.some((r) => r.method === 'POST' && r.path === '/transfers/tr1/withdraw')).toBe(true),
    );
  });

  it('when a member is marked 出党 with a reason, then the status is posted; without a reason 保存 stays off', async () => {
    const sent = mockApi({
      'GET /me': ok(secretary),
      'GET /transfers': ok({ incoming: [], outgoing: [] }),
      'GET /orgs/b1/members': ok({ items: [row('u5', '王建国')], nextCursor: null }),
      'POST /members/u5/status': ok(row('u5', '王建国', { status: 'left' })),
    });
    render(<MembersPage />);
    await open('王建国');
    fireEvent.click(screen.getByTestId('member-status'));
    fireEvent.click(screen.getByTestId('status-left'));
    expect(
      screen.getByTestId('status-save').hasAttribute('disabled') ||
        screen.getByTestId('status-save').className.includes('disabled'),
    ).toBe(true);
    fireEvent.change(screen.getByTestId('status-reason'), { target: { value: '组织处理' } });
    fireEvent.click(screen.getByTestId('status-save'));
    await waitFor(() =>
      expect(sent.find((r) => r.path === '/members/u5/status')?.data).toEqual({ status: 'left', reason: '组织处理' }),
    );
  });

  it('when points are adjusted, then delta and reason go to the adjustments API', async () => {
    const sent = mockApi({
      'GET /me': ok(secretary),
      'GET /transfers': ok({ incoming: [], outgoing: [] }),
      'GET /orgs/b1/members': ok({ items: [row('u5', '王建国')], nextCursor: null }),
      'POST /points/adjustments': { statusCode: 201, data: {} },
    });
    render(<MembersPage />);
    await open('王建国');
    fireEvent.click(screen.getByTestId('member-points'));
    fireEvent.change(screen.getByTestId('points-delta'), { target: { value: '-5' } });
    fireEvent.change(screen.getByTestId('points-reason'), { target: { value: '无故缺席' } });
    fireEvent.click(screen.getByTestId('points-save'));
    await waitFor(() =>
      expect(sent.find((r) => r.path === '/points/adjustments')?.data).toEqual({
        userId: 'u5',
        delta: -5,
        reason: '无故缺席',
      }),
    );
  });

  it('when an admin makes a member a cadre, then the village must be picked and the PATCH carries it', async () => {
    const sent = mockApi({
      'GET /me': ok(admin),
      'GET /orgs/c1/tree': ok(tree),
      'GET /transfers': ok({ incoming: [], outgoing: [] }),
      'GET /orgs/c1/members': ok({ items: [row('u5', '王建国')], nextCursor: null }),
      'PATCH /members/u5': ok(row('u5', '王建国', { roles: ['member', 'cadre'] })),
    });
    render(<MembersPage />);
    await open('王建国');
    fireEvent.click(await screen.findByTestId('member-roles'));
    fireEvent.click(screen.getByTestId('role-cadre'));
    expect(screen.getByText('请选择派驻的村或管理范围')).toBeTruthy();
    fireEvent.click(screen.getByTestId('village-v1'));
    fireEvent.click(screen.getByTestId('roles-save'));
    await waitFor(() =>
      expect(sent.find((r) => r.method === 'PATCH')?.data).toEqual({
        roles: ['member', 'cadre'],
        postedVillageId: 'v1',
        adminOrgId: null,
      }),
    );
  });

  it('when a plain member opens it, then they are told who may use it', async () => {
    mockApi({ 'GET /me': ok(buildMe({ roles: ['member'] })) });
    render(<MembersPage />);
    expect(await screen.findByText('只有支部书记和管理员可以管理党员')).toBeTruthy();
  });
});
