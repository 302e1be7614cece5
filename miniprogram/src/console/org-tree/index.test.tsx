import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { OrgTreeNode } from '@pioneer/shared';
import OrgTreePage from './index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

const node = (
  id: string,
  name: string,
  type: OrgTreeNode['type'],
  parentId: string | null,
  children: OrgTreeNode[] = [],
  over: Partial<OrgTreeNode> = {},
): OrgTreeNode => ({
  id,
  name,
  type,
  parentId,
  memberCount: 3,
  fence: null,
  children,
  ...over,
});
const tree = () =>
  node('c1', '青山县', 'county', null, [
    node('t1', '青山镇', 'township', 'c1', [
      node('v1', '青山村', 'village', 't1', [node('b1', '青山村党支部', 'branch', 'v1')], {
        fence: { lat: 30.1, lng: 120.1, radiusM: 500 },
      }),
    ]),
    node('t2', '红旗乡', 'township', 'c1', []),
  ]);
const admin = buildMe({ roles: ['member', 'admin'], adminOrg: { id: 'c1', name: '青山县', type: 'county' } });
const rowNames = () => screen.getAllByTestId('org-row').map((r) => r.getAttribute('data-name'));
const select = (name: string) =>
  fireEvent.click(
    screen
      .getAllByTestId('org-row')
      .find((r) => r.getAttribute('data-name') === name)!
      .querySelector('.otree__body')!,
  );

describe('组织架构 page', () => {
  beforeEach(() => login());

  it('when an admin opens it, then the county, its townships and villages show; ▸ opens a village to its branches', async () => {
    mockApi({ 'GET /me': ok(admin), 'GET /orgs/c1/tree': ok(tree()) });
    render(<OrgTreePage />);
    await screen.findAllByTestId('org-row');
    expect(rowNames()).toEqual(['青山县', '青山镇', '青山村', '红旗乡']);
    expect(screen.getAllByTestId('org-row')[2].textContent).toContain('打卡范围 500米');
    fireEvent.click(screen.getAllByTestId('org-toggle')[2]);
    expect(rowNames()).toEqual(['青山县', '青山镇', '青山村', '青山村党支部', '红旗乡']);
    fireEvent.click(screen.getAllByTestId('org-toggle')[1]);
    expect(rowNames()).toEqual(['青山县', '青山镇', '红旗乡']);
  });

  it('when the admin creates a village under a township, then only the types a township takes are offered and the POST names the parent', async () => {
    const sent = mockApi({ 'GET /me': ok(admin), 'GET /orgs/c1/tree': ok(tree()), 'POST /orgs': ok({ id: 'v9' }) });
    render(<OrgTreePage />);
    await screen.findAllByTestId('org-row');
    select('红旗乡');
    fireEvent.click(screen.getByTestId('action-create'));
    expect(screen.getByTestId('type-village')).toBeTruthy();
    expect(screen.queryByTestId('type-township')).toBeNull();
    fireEvent.click(screen.getByTestId('type-village'));
    fireEvent.change(screen.getByTestId('create-name'), { target: { value: '红旗村' } });
    fireEvent.click(screen.getByTestId('create-save'));
    await waitFor(() =>
      expect(sent.find((r) => r.method === 'POST' && r.path === '/orgs')?.data).toEqual({
        name: '红旗村',
        type: 'village',
        parentId: 't2',
      }),
    );
  });

  it('when a branch is moved, then only orgs that take a branch are offered (not itself), and the move is sent', async () => {
    const sent = mockApi({ 'GET /me': ok(admin), 'GET /orgs/c1/tree': ok(tree()), 'POST /orgs/b1/move': ok(tree()) });
    render(<OrgTreePage />);
    await screen.findAllByTestId('org-row');
    fireEvent.click(screen.getAllByTestId('org-toggle')[2]);
    select('青山村党支部');
    fireEvent.click(screen.getByTestId('action-move'));
    const targets = screen.getAllByTestId('move-target').map((t) => t.getAttribute('data-name'));
    expect(targets).toEqual(['青山县', '青山镇', '红旗乡']);
    fireEvent.click(screen.getAllByTestId('move-target')[2]);
    fireEvent.click(screen.getByTestId('move-save'));
    await waitFor(() => expect(sent.find((r) => r.path === '/orgs/b1/move')?.data).toEqual({ parentId: 't2' }));
  });

  it('when a village fence is typed in numbers, then it is saved on the village; a bad latitude is refused on the page', async () => {
    const sent = mockApi({ 'GET /me': ok(admin), 'GET /orgs/c1/tree': ok(tree()), 'PATCH /orgs/v1': ok({}) });
    render(<OrgTreePage />);
    await screen.findAllByTestId('org-row');
    select('青山村');
    fireEvent.click(screen.getByTestId('action-fence'));
    fireEvent.change(screen.getByTestId('fence-lat'), { target: { value: '95' } });
    fireEvent.click(screen.getByTestId('fence-save'));
    expect(await screen.findByText('纬度应在 -90 到 90 之间')).toBeTruthy();
    fireEvent.change(screen.getByTestId('fence-lat'), { target: { value: '30.2' } });
    fireEvent.change(screen.getByTestId('fence-radius'), { target: { value: '800' } });
    fireEvent.click(screen.getByTestId('fence-save'));
    await waitFor(() =>
      expect(sent.find((r) => r.method === 'PATCH')?.data).toEqual({ fence: { lat: 30.2, lng: 120.1, radiusM: 800 } }),
    );
  });

  it('when dissolving a village with members is refused, then the reason is shown', async () => {
    mockApi({
      'GET /me': ok(admin),
      'GET /orgs/c1/tree': ok(tree()),
      'DELETE /orgs/v1': {
        statusCode: 409,
        data: {
          error: { code: 'ORG_NOT_EMPTY', message: '青山村下还有1 个下级组织、3 名党员，请先转出或撤销后再撤销该组织' },
        },
      },
    });
    render(<OrgTreePage />);
    await screen.findAllByTestId('org-row');
    select('青山村');
    fireEvent.click(screen.getByTestId('action-dissolve'));
    await waitFor(() =>
      expect(Taro.showModal).toHaveBeenLastCalledWith(
        expect.objectContaining({ content: expect.stringContaining('3 名党员') }),
      ),
    );
    expect(screen.queryByTestId('action-move')).toBeTruthy();
  });

  it('when a secretary opens it, then they are told it is for admins, and no tree is asked for', async () => {
    const sent = mockApi({ 'GET /me': ok(buildMe()) });
    render(<OrgTreePage />);
    expect(await screen.findByText('只有管理员可以维护组织架构')).toBeTruthy();
    expect(sent.some((r) => r.path.endsWith('/tree'))).toBe(false);
  });
});
