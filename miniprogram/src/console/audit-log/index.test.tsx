import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { AuditEntry } from '@pioneer/shared';
import AuditLog from './index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

const entry = (id: string, over: Partial<AuditEntry> = {}): AuditEntry => ({
  id,
  // 02:00 UTC is 10:00 in Shanghai
  at: '2026-11-25T02:00:00.000Z',
  actor: { id: 'a1', name: '王组织' },
  action: 'points.adjust',
  actionLabel: '调整积分',
  group: 'points',
  target: { type: 'user', id: 'u9', label: '周党员' },
  summary: '+5 分',
  reason: '协助组织换届',
  ...over,
});
const admin = buildMe({ roles: ['member', 'admin'], adminOrg: { id: 'c1', name: '青山县', type: 'county' } });

describe('操作记录 page', () => {
  beforeEach(() => login());

  it('at a desk, then entries are rows of a table that sorts by 操作人', async () => {
    (Taro.getWindowInfo as unknown as jest.Mock).mockReturnValue({
      windowWidth: 1440,
      windowHeight: 900,
      pixelRatio: 1,
    });
    try {
      mockApi({
        'GET /me': ok(admin),
        'GET /audit': ok({
          items: [entry('e1', { actor: { id: 'b', name: '乙' } }), entry('e2', { actor: { id: 'a', name: '甲' } })],
          nextCursor: null,
        }),
      });
      render(<AuditLog />);

      expect(await screen.findAllByTestId('audit-table-row')).toHaveLength(2);
      expect(screen.queryByTestId('audit-row')).toBeNull();
      fireEvent.click(screen.getByTestId('audit-table-sort-actor'));
      expect(screen.getAllByTestId('audit-table-row')[0].textContent).toContain('甲');
    } finally {
      (Taro.getWindowInfo as unknown as jest.Mock).mockReturnValue({
        windowWidth: 375,
        windowHeight: 812,
        pixelRatio: 2,
      });
    }
  });

  it('when an admin opens it, then the county log shows who did what to whom, why and when; 加载更多 appends the next page', async () => {
    const sent = mockApi({
      'GET /me': ok(admin),
      'GET /audit': (req) =>
        req.query.cursor === '7'
          ? ok({
              items: [
                entry('e3', {
                  action: 'member.update',
                  actionLabel: '修改成员角色或归属',
                  group: 'roles',
                  summary: '角色：党员、支部书记',
                  reason: null,
                }),
              ],
              nextCursor: null,
            })
          : ok({
              items: [
                entry('e1'),
                entry('e2', {
                  actionLabel: '承诺退回修改',
                  group: 'reviews',
                  summary: null,
                  target: { type: 'commitment', id: 'x', label: '承诺 · 陈党员' },
                  actor: { id: 's1', name: '甲书记' },
                  reason: '请写具体些',
                }),
              ],
              nextCursor: '7',
            }),
    });
    render(<AuditLog />);

    const rows = await screen.findAllByTestId('audit-row');
    expect(rows).toHaveLength(2);
    for (const text of ['调整积分', '+5 分', '对象：周党员', '操作人：王组织', '理由：协助组织换届', '11月25日 10:00'])
      expect(rows[0].textContent).toContain(text);
    expect(rows[1].textContent).toContain('承诺 · 陈党员');
    expect(sent.filter((r) => r.path === '/audit')[0].query).toEqual({ org: 'c1' });

    fireEvent.click(screen.getByTestId('load-more'));
    await screen.findByText('没有更多了');
    const all = screen.getAllByTestId('audit-row');
    expect(all).toHaveLength(3);
    expect(all[2].textContent).toContain('角色：党员、支部书记');
    expect(all[2].textContent).not.toContain('理由');
  });

  it('when a filter is chosen, then the log reloads with that action type and still offers the filters when it is empty', async () => {
    const sent = mockApi({
      'GET /me': ok(admin),
      'GET /audit': (req) => ok({ items: req.query.action ? [] : [entry('e1')], nextCursor: null }),
    });
    render(<AuditLog />);
    await screen.findAllByTestId('audit-row');

    fireEvent.click(screen.getByTestId('filter-reviews'));
    await screen.findByText('暂无操作记录');
    expect(sent.filter((r) => r.path === '/audit').map((r) => r.query.action)).toEqual([undefined, 'reviews']);
    fireEvent.click(screen.getByTestId('filter-all'));
    await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(1));
    // 评分与整顿: the 支部评分 and 整顿 moves (issue 18).
    expect(screen.getByTestId('filter-county').textContent).toBe('评分与整顿');
    fireEvent.click(screen.getByTestId('filter-county'));
    await screen.findByText('暂无操作记录');
    expect(sent.filter((r) => r.path === '/audit').at(-1)!.query.action).toBe('county');
  });

  it('when a secretary opens it, then their branch log is asked for', async () => {
    const sent = mockApi({ 'GET /me': ok(buildMe()), 'GET /audit': ok({ items: [], nextCursor: null }) });
    render(<AuditLog />);
    await screen.findByText('暂无操作记录');
    expect(sent.find((r) => r.path === '/audit')?.query.org).toBe('b1');
  });

  it('when a member opens it, then nothing is asked for and the page says who may look', async () => {
    const sent = mockApi({ 'GET /me': ok(buildMe({ roles: ['member'] })) });
    render(<AuditLog />);
    await screen.findByText('只有管理员和支部书记可以查看操作记录');
    expect(sent.some((r) => r.path === '/audit')).toBe(false);
  });
});
