import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { MemberBoard, OrgBoard } from '@pioneer/shared';
import Leaderboard from './index';
import { buildMe, login, mockApi, ok, type SentRequest } from '../../../test/api-mock';

function memberBoard(req: SentRequest, me: MemberBoard['me'] = { rank: 5, points: 12 }): MemberBoard {
  return {
    scope: req.query.scope,
    period: req.query.period as MemberBoard['period'],
    items: [
      { rank: 1, userId: 'a', name: '李*华', avatarUrl: '', orgName: '红旗村党支部', points: 40 },
      { rank: 2, userId: 'b', name: '王*', avatarUrl: '', orgName: '红旗村党支部', points: 31 },
      { rank: 2, userId: 'c', name: '赵*明', avatarUrl: '', orgName: '红旗村党支部', points: 31 },
      { rank: 4, userId: 'd', name: '周*', avatarUrl: '', orgName: '红旗村党支部', points: 20 },
      { rank: 5, userId: 'u1', name: '张建国', avatarUrl: '', orgName: '红旗村党支部', points: 12 },
    ],
    me,
  };
}

const orgBoard = (req: SentRequest): OrgBoard => ({
  parent: req.query.parent,
  period: 'month',
  items: [
    { rank: 1, orgId: 'b1', name: '红旗村党支部', members: 20, points: 400, average: 20 },
    { rank: 2, orgId: 'b2', name: '红旗村第二党支部', members: 10, points: 150, average: 15 },
  ],
});

describe('leaderboard page', () => {
  beforeEach(() => login());

  it('when the board loads, then it shows every row and my rank pinned at the bottom', async () => {
    const sent = mockApi({ 'GET /me': ok(buildMe()), 'GET /leaderboards/members': (req) => ok(memberBoard(req)) });
    render(<Leaderboard />);

    const rows = await screen.findAllByTestId('lb-row');
    expect(rows).toHaveLength(5);
    expect(rows[0].textContent).toContain('李*华');
    expect(rows[0].textContent).toContain('40分');
    expect(rows[2].textContent).toContain('赵*明');
    // top three (ranks 1, 2, 2) are highlighted, the rest are not
    expect(rows.map((r) => r.className.includes('board__row--top'))).toEqual([true, true, true, false, false]);
    expect(screen.getByTestId('lb-me').textContent).toContain('第5名 · 12分');
    // defaults: my branch, this month
    const board = sent.find((r) => r.path === '/leaderboards/members');
    expect(board?.query).toMatchObject({ scope: 'b1', period: 'month' });
  });

  it('when I have no rank, then the pinned bar says 暂无排名', async () => {
    mockApi({ 'GET /me': ok(buildMe()), 'GET /leaderboards/members': (req) => ok(memberBoard(req, null)) });
    render(<Leaderboard />);

    await screen.findAllByTestId('lb-row');
    expect(screen.getByTestId('lb-me').textContent).toContain('暂无排名');
  });

  it('when I switch scope and period, then the board is asked for that org and period', async () => {
    const sent = mockApi({ 'GET /me': ok(buildMe()), 'GET /leaderboards/members': (req) => ok(memberBoard(req)) });
    render(<Leaderboard />);
    await screen.findAllByTestId('lb-row');

    // one choice per level of my org path, nearest first
    expect(screen.getByTestId('scope-branch').textContent).toBe('本支部');
    expect(screen.getByTestId('scope-village').textContent).toBe('本村');
    expect(screen.getByTestId('scope-township').textContent).toBe('本镇');
    expect(screen.getByTestId('scope-county').textContent).toBe('全县');

    fireEvent.click(screen.getByTestId('scope-township'));
    await waitFor(() => expect(sent.at(-1)?.query).toMatchObject({ scope: 't1', period: 'month' }));
    fireEvent.click(screen.getByTestId('period-week'));
    await waitFor(() => expect(sent.at(-1)?.query).toMatchObject({ scope: 't1', period: 'week' }));
    expect(screen.getByTestId('period-week').getAttribute('aria-selected')).toBe('true');
  });

  it('when I open 组织排名, then child orgs are listed with average and total, and a branch is not offered as scope', async () => {
    const sent = mockApi({
      'GET /me': ok(buildMe()),
      'GET /leaderboards/members': (req) => ok(memberBoard(req)),
      'GET /leaderboards/orgs': (req) => ok(orgBoard(req)),
    });
    render(<Leaderboard />);
    await screen.findAllByTestId('lb-row');

    fireEvent.click(screen.getByTestId('tab-orgs'));

    const rows = await screen.findAllByTestId('lb-org-row');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByText('红旗村党支部')).toBeTruthy();
    expect(rows[0].textContent).toContain('20人 · 总分400');
    expect(rows[1].textContent).toContain('15');
    expect(screen.queryByTestId('scope-branch')).toBeNull();
    expect(screen.queryByTestId('lb-me')).toBeNull();
    expect(sent.find((r) => r.path === '/leaderboards/orgs')?.query).toMatchObject({ parent: 'v1', period: 'month' });
  });

  it('when the board fails to load, then 重试 loads it again', async () => {
    let calls = 0;
    mockApi({
      'GET /me': ok(buildMe()),
      'GET /leaderboards/members': (req) =>
        ++calls === 1
          ? { statusCode: 500, data: { error: { code: 'INTERNAL', message: '服务器开小差了，请稍后重试' } } }
          : ok(memberBoard(req)),
    });
    render(<Leaderboard />);

    fireEvent.click(await screen.findByText('重试'));
    expect(await screen.findAllByTestId('lb-row')).toHaveLength(5);
  });

  it('when there is no session, then it goes to the login page without calling the API', async () => {
    Taro.removeStorageSync('token');
    const sent = mockApi({});
    await act(async () => {
      render(<Leaderboard />);
    });

    expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' });
    expect(screen.getByText('请先登录')).toBeTruthy();
    expect(sent).toHaveLength(0);
  });

  it('when the county shows boards only within the branch, then only 本支部 is offered: no 本镇/全县 chips, no 组织排名 (issue 15)', async () => {
    mockApi({
      'GET /me': ok(buildMe()),
      'GET /leaderboards/members': (req) => ok({ ...memberBoard(req), visibility: 'branch', restricted: false }),
    });
    render(<Leaderboard />);

    expect(await screen.findAllByTestId('lb-row')).toHaveLength(5);
    await waitFor(() => expect(screen.queryByTestId('tab-orgs')).toBeNull());
    expect(screen.queryByTestId('scope-township')).toBeNull();
    expect(screen.queryByTestId('scope-county')).toBeNull();
    expect(screen.queryByTestId('scope-village')).toBeNull();
  });

  it('when the county has turned boards off, then no scope or 组织排名 is offered, and my rank still shows', async () => {
    mockApi({
      'GET /me': ok(buildMe()),
      'GET /leaderboards/members': (req) => ok({ ...memberBoard(req), items: [], visibility: 'off', restricted: true }),
    });
    render(<Leaderboard />);

    expect(await screen.findByText('本县暂未开放排行榜')).toBeTruthy();
    await waitFor(() => expect(screen.queryByTestId('scope-branch')).toBeNull());
    expect(screen.queryByTestId('tab-orgs')).toBeNull();
    expect(screen.getByTestId('lb-me').textContent).toContain('第5名');
  });

  it('when the county lets every scope be seen, then every chip and 组织排名 stay offered', async () => {
    mockApi({
      'GET /me': ok(buildMe()),
      'GET /leaderboards/members': (req) => ok({ ...memberBoard(req), visibility: 'scope', restricted: false }),
    });
    render(<Leaderboard />);

    expect(await screen.findAllByTestId('lb-row')).toHaveLength(5);
    expect(screen.getByTestId('tab-orgs')).toBeTruthy();
    expect(screen.getByTestId('scope-county')).toBeTruthy();
  });
});
