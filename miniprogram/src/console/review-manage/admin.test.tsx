import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { OrgTreeNode, RectifyQueueItem, ReviewResults } from '@pioneer/shared';
import ReviewManagePage from './index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

/** The admins' screens of 民主评议管理 (issue 21): the county's 优秀 share, the township's 销号 list, grading a secretary. */
const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
const countyAdmin = buildMe({ roles: ['member', 'admin'], adminOrg: { id: 'c1', name: '青山县', type: 'county' } });
const townAdmin = buildMe({ roles: ['member', 'admin'], adminOrg: { id: 't1', name: '青山镇', type: 'township' } });
const node = (id: string, name: string, type: OrgTreeNode['type'], children: OrgTreeNode[] = []): OrgTreeNode => ({
  id,
  name,
  type,
  parentId: null,
  memberCount: 5,
  fence: null,
  children,
});
const queued = (n: number, text: string): RectifyQueueItem => ({
  branchId: 'b1',
  branchName: '红旗村党支部',
  year,
  item: {
    n,
    text,
    level: 'branch',
    owner: null,
    deadline: '2026-12-31T00:00:00.000Z',
    status: 'done',
    overdue: false,
    evidence: '已建立台账',
  },
});

describe('民主评议管理: admins', () => {
  beforeEach(() => login());

  it('the county admin reads the 优秀 share and sets a new one; a bad value is refused before sending', async () => {
    const sent = mockApi({
      'GET /me': ok(countyAdmin),
      'GET /reviews/settings': ok({ org: 'c1', orgName: '青山县', excellentShare: 0.3 }),
      'PUT /reviews/settings': ok({ excellentShare: 0.2 }),
    });
    render(<ReviewManagePage />);
    await waitFor(() => expect(screen.getByTestId('share-current').textContent).toBe('当前：优秀不超过参评人数的30%'));
    fireEvent.input(screen.getByTestId('share-input'), { target: { value: '120' } });
    fireEvent.click(screen.getByTestId('share-save'));
    expect((await screen.findByTestId('share-note')).textContent).toBe('请填写0到100之间的百分比');
    expect(sent.some((r) => r.method === 'PUT')).toBe(false);
    fireEvent.input(screen.getByTestId('share-input'), { target: { value: '20' } });
    fireEvent.click(screen.getByTestId('share-save'));
    await waitFor(() => expect(sent.find((r) => r.method === 'PUT')).toBeTruthy());
    expect(sent.find((r) => r.method === 'PUT')!.data).toEqual({ org: 'c1', excellentShare: 0.2 });
  });

  it('a township admin sees branch items to close and closes one, and overdue items below; no share setting', async () => {
    const sent = mockApi({
      'GET /me': ok(townAdmin),
      'GET /rectify/to-close': ok({ items: [queued(1, '组织生活不经常')] }),
      'GET /rectify/overdue-all': ok({
        items: [
          {
            ...queued(3, '党费收缴不及时'),
            item: { ...queued(3, '党费收缴不及时').item, status: 'open', overdue: true },
          },
        ],
      }),
      [`POST /rectify/b1/${year}/1/close`]: ok({ ...queued(1, '组织生活不经常').item, status: 'closed' }),
    });
    render(<ReviewManagePage />);
    await waitFor(() => expect(screen.getByTestId('queue-summary').textContent).toBe('共1项，核实后销号'));
    expect(screen.getByTestId('queue-status-1').textContent).toContain('整改情况：已建立台账');
    await waitFor(() => expect(screen.getByTestId('overdue-all-summary').textContent).toBe('逾期未整改1项'));
    expect(screen.getByTestId('queue-status-3').textContent).toContain('期限 2026-12-31');
    expect(screen.queryByTestId('share-current')).toBeNull();
    fireEvent.click(screen.getByTestId('queue-close-1'));
    await waitFor(() => expect(sent.find((r) => r.path === `/rectify/b1/${year}/1/close`)).toBeTruthy());
  });

  it('an admin picks a branch and grades its secretary (not themselves)', async () => {
    const R = `/reviews/b1/${year}`;
    const results: ReviewResults = {
      round: {
        id: `b1|${year}`,
        branchId: 'b1',
        branchName: '红旗村党支部',
        year,
        closesAt: '2026-12-31T10:00:00.000Z',
        closed: true,
        members: [{ id: 's1', name: '李书记' }],
        voterCount: 5,
        canVote: false,
        hasVoted: false,
      },
      withheld: null,
      excellentShare: 0.3,
      excellentCap: 1,
      rows: [
        {
          member: { id: 's1', name: '李书记' },
          counts: { excellent: 5, qualified: 0, basic: 0, unqualified: 0 },
          comments: [],
          grade: null,
        },
      ],
    };
    const sent = mockApi({
      'GET /me': ok(townAdmin),
      'GET /orgs/t1/tree': ok(
        node('t1', '青山镇', 'township', [node('v1', '红旗村', 'village', [node('b1', '红旗村党支部', 'branch')])]),
      ),
      [`GET ${R}`]: ok(results.round),
      [`GET ${R}/results`]: ok(results),
      [`PUT ${R}/grades/s1`]: ok({ grade: 'excellent', status: 'final', reason: null, note: null }),
    });
    render(<ReviewManagePage />);
    fireEvent.click(await screen.findByTestId('pick-b1'));
    fireEvent.click(await screen.findByTestId('set-0-excellent'));
    fireEvent.click(screen.getByTestId('save-0'));
    await waitFor(() => expect(sent.find((r) => r.method === 'PUT')).toBeTruthy());
    expect(sent.find((r) => r.method === 'PUT')!.data).toEqual({ grade: 'excellent' });
  });

  it('the secretary sees overdue items of the branch', async () => {
    const overdue = queued(2, '党费收缴不及时');
    overdue.item = {
      ...overdue.item,
      level: 'member',
      owner: { id: 'u2', name: '王大妈' },
      status: 'open',
      overdue: true,
    };
    const sent = mockApi({
      'GET /me': ok(buildMe()),
      'GET /rectify/overdue': ok({ items: [overdue] }),
    });
    render(<ReviewManagePage />);
    await waitFor(() => expect(screen.getByTestId('overdue-summary').textContent).toBe('逾期未整改1项'));
    expect(screen.getByTestId('queue-status-2').textContent).toContain('责任人：王大妈');
    expect(sent.find((r) => r.path === '/rectify/overdue')!.query).toEqual({ org: buildMe().org!.id });
  });
});
