import Taro from '@tarojs/taro';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { RectifyQueueItem } from '@pioneer/shared';
import { DASHBOARD_INDICATORS, type Dashboard } from '@pioneer/shared';
import OverdueRectify from './overdue';
import DashboardPage from './index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

// ECharts ships ES modules the page-test runner does not load; the charts are not under test here.
jest.mock('./echart', () => ({ EchartBars: () => null, EchartTrend: () => null }));

/** 逾期整改 on the 数据看板 (issue 21): an admin sees the count and the first five, and the way to 民主评议管理. */
const countyAdmin = buildMe({ roles: ['member', 'admin'], adminOrg: { id: 'c1', name: '青山县', type: 'county' } });
const overdue = (n: number): RectifyQueueItem => ({
  branchId: 'b1',
  branchName: '红旗村党支部',
  year: 2026,
  item: {
    n,
    text: `问题${n}`,
    level: 'member',
    owner: null,
    deadline: '2026-03-31T00:00:00.000Z',
    status: 'open',
    overdue: true,
    evidence: null,
  },
});

describe('数据看板: 逾期整改', () => {
  beforeEach(() => login());

  it('an admin sees the count, the first five items and a link to 民主评议管理', async () => {
    mockApi({
      'GET /me': ok(countyAdmin),
      'GET /rectify/overdue-all': ok({ items: [1, 2, 3, 4, 5, 6, 7].map(overdue) }),
    });
    render(<OverdueRectify isAdmin />);
    await waitFor(() => expect(screen.getByTestId('dash-overdue-count').textContent).toBe('辖区内逾期未整改7项'));
    const rows = screen.getAllByTestId('dash-overdue-item').map((r) => r.textContent);
    expect(rows).toHaveLength(5);
    expect(rows[0]).toBe('红旗村党支部 · 问题1（期限 2026-03-31）');
    fireEvent.click(screen.getByTestId('dash-overdue-link'));
    expect(screen.getByTestId('dash-overdue-link').textContent).toBe('查看全部7项 ›');
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/console/review-manage/index' });
  });

  it('the board page shows the section under the 巡查 coverage', async () => {
    const values = Object.fromEntries(DASHBOARD_INDICATORS.map((k) => [k, 0])) as Dashboard['values'];
    const board: Dashboard = {
      org: { id: 'c1', name: '青山县', type: 'county', memberCount: 10, branches: 2, parentId: null },
      period: 'month',
      label: '2026年11月',
      previousLabel: '2026年10月',
      values,
      previous: values,
      trend: [],
      children: [],
      inspections: {
        half: '2026H2',
        label: '2026年下半年',
        villages: { covered: 1, total: 2 },
        branches: { covered: 1, total: 2 },
        met: false,
      },
    };
    mockApi({
      'GET /me': ok(countyAdmin),
      'GET /dashboard': ok(board),
      'GET /rectify/overdue-all': ok({ items: [overdue(1)] }),
    });
    render(<DashboardPage />);
    await waitFor(() => expect(screen.getByTestId('dash-overdue-count').textContent).toBe('辖区内逾期未整改1项'));
    expect(screen.getByTestId('dash-inspections')).toBeTruthy();
  });

  it('none overdue: says so', async () => {
    mockApi({ 'GET /me': ok(countyAdmin), 'GET /rectify/overdue-all': ok({ items: [] }) });
    render(<OverdueRectify isAdmin />);
    await waitFor(() =>
      expect(screen.getByTestId('dash-overdue-count').textContent).toBe('辖区内没有逾期未整改的事项'),
    );
    expect(screen.queryAllByTestId('dash-overdue-item')).toHaveLength(0);
  });

  it('not an admin: no section and no request', async () => {
    const sent = mockApi({ 'GET /me': ok(buildMe({ roles: ['member', 'secretary'] })) });
    render(<OverdueRectify isAdmin={false} />);
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByTestId('dash-overdue')).toBeNull();
    expect(sent.some((r) => r.path === '/rectify/overdue-all')).toBe(false);
  });
});
