import Taro from '@tarojs/taro';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { DASHBOARD_INDICATORS, type Dashboard } from '@pioneer/shared';
import ZhengdunPanel from './zhengdun';
import DashboardPage from './index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

// ECharts ships ES modules the page-test runner does not load; the charts are not under test here.
jest.mock('./echart', () => ({ EchartBars: () => null, EchartTrend: () => null }));

/** 软弱涣散整顿 on the 数据看板 (issue 18): branches under a plan, overdue items, the way to the 整顿 page. */
const countyAdmin = buildMe({ roles: ['member', 'admin'], adminOrg: { id: 'c1', name: '青山县', type: 'county' } });
const overdue = (n: number) => ({
  planId: `b${n}|2026Q3`,
  branchId: `b${n}`,
  branchName: `${n}村党支部`,
  townshipName: '青山镇',
  quarter: '2026Q3',
  n: 1,
  text: '召开专题组织生活会',
  owner: '支部书记',
  deadline: '2026-10-31',
});
const plan = (id: string, status: string) => ({ id, status, items: [], history: [] });

describe('数据看板: 软弱涣散整顿', () => {
  beforeEach(() => login());

  it('an admin sees branches under a plan, the first five overdue items and the way to 整顿', async () => {
    mockApi({
      'GET /me': ok(countyAdmin),
      'GET /rectification-plans': ok({
        org: { id: 'c1', name: '青山县' },
        plans: [plan('a', 'open'), plan('b', 'open'), plan('c', 'lifted')],
        overdue: [1, 2, 3, 4, 5, 6].map(overdue),
      }),
    });
    render(<ZhengdunPanel isAdmin />);
    await waitFor(() =>
      expect(screen.getByTestId('dash-zhengdun-count').textContent).toBe('整顿中2个支部，逾期未完成6项'),
    );
    const rows = screen.getAllByTestId('dash-zhengdun-item').map((r) => r.textContent);
    expect(rows).toHaveLength(5);
    expect(rows[0]).toBe('青山镇 1村党支部 · 召开专题组织生活会（支部书记，期限 2026-10-31）');
    expect(screen.getByTestId('dash-zhengdun-link').textContent).toBe('查看全部6项 ›');
    fireEvent.click(screen.getByTestId('dash-zhengdun-link'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/console/zhengdun/index' });
  });

  it('none under a plan: says so', async () => {
    mockApi({
      'GET /me': ok(countyAdmin),
      'GET /rectification-plans': ok({ org: { id: 'c1', name: '青山县' }, plans: [], overdue: [] }),
    });
    render(<ZhengdunPanel isAdmin />);
    await waitFor(() => expect(screen.getByTestId('dash-zhengdun-count').textContent).toBe('辖区内没有整顿中的支部'));
  });

  it('on the board; the 县直机关 row is not opened as an org', async () => {
    const values = Object.fromEntries(DASHBOARD_INDICATORS.map((k) => [k, 0])) as Dashboard['values'];
    const row = (id: string, name: string, type: string) => ({ id, name, type, memberCount: 5, branches: 1, values });
    const board: Dashboard = {
      org: { id: 'c1', name: '青山县', type: 'county', memberCount: 10, branches: 2, parentId: null },
      period: 'month',
      label: '2026年11月',
      previousLabel: '2026年10月',
      values,
      previous: values,
      trend: [],
      children: [row('t1', '青山镇', 'township'), row('c1:direct', '县直机关', 'group')],
      inspections: {
        half: '2026H2',
        label: '2026年下半年',
        villages: { covered: 1, total: 2 },
        branches: { covered: 1, total: 2 },
        met: false,
      },
    };
    const sent = mockApi({
      'GET /me': ok(countyAdmin),
      'GET /dashboard': ok(board),
      'GET /rectify/overdue-all': ok({ items: [] }),
      'GET /rectification-plans': ok({ org: { id: 'c1', name: '青山县' }, plans: [plan('a', 'open')], overdue: [] }),
    });
    render(<DashboardPage />);
    await waitFor(() => expect(screen.getByTestId('dash-zhengdun-count').textContent).toBe('整顿中1个支部'));
    const rows = screen.getAllByTestId('children-list-row');
    expect(rows.map((r) => r.textContent)).toEqual(['青山镇0% ›', '县直机关0%']);
    fireEvent.click(rows[1]!);
    await new Promise((r) => setTimeout(r, 50));
    expect(sent.filter((r) => r.path === '/dashboard').every((r) => r.query.org !== 'c1:direct')).toBe(true);
  });
});
