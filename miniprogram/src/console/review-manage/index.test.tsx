import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReviewResults, ReviewRound } from '@pioneer/shared';
import ReviewManagePage from './index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
const R = `/reviews/b1/${year}`;
const round = (over: Partial<ReviewRound> = {}): ReviewRound => ({
  id: `b1|${year}`,
  branchId: 'b1',
  branchName: '红旗村党支部',
  year,
  closesAt: '2026-12-31T10:00:00.000Z',
  closed: true,
  members: [
    { id: 'u1', name: '张建国' },
    { id: 'u2', name: '王大妈' },
  ],
  voterCount: 6,
  canVote: true,
  hasVoted: true,
  ...over,
});
const results = (over: Partial<ReviewResults> = {}): ReviewResults => ({
  round: round(),
  withheld: null,
  excellentShare: 0.3,
  excellentCap: 1,
  rows: [
    {
      member: { id: 'u1', name: '张建国' },
      counts: { excellent: 4, qualified: 2, basic: 0, unqualified: 0 },
      comments: [],
      grade: null,
    },
    {
      member: { id: 'u2', name: '王大妈' },
      counts: { excellent: 0, qualified: 1, basic: 3, unqualified: 2 },
      comments: ['不参加学习'],
      grade: null,
    },
  ],
  ...over,
});
const notFound = { statusCode: 404, data: { error: { code: 'NOT_FOUND', message: '本年度民主评议不存在' } } };

describe('民主评议管理', () => {
  beforeEach(() => login());

  it('when no round exists, then the secretary opens one with a closing time', async () => {
    const sent = mockApi({
      'GET /me': ok(buildMe()),
      [`GET ${R}`]: notFound,
      'POST /reviews': ok(round({ closed: false, voterCount: 0 })),
    });
    render(<ReviewManagePage />);
    fireEvent.click(await screen.findByTestId('round-open'));
    await waitFor(() => expect(sent.find((r) => r.method === 'POST')).toBeTruthy());
    const body = sent.find((r) => r.method === 'POST')!.data as { year: number; closesAt: string };
    expect(body.year).toBe(year);
    expect(new Date(body.closesAt).getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
  });

  it('when closed, then counts per member and grade show; the secretary’s own grade is left to the level above; 不合格 asks for a reason', async () => {
    const sent = mockApi({
      'GET /me': ok(buildMe()),
      [`GET ${R}`]: ok(round()),
      [`GET ${R}/results`]: ok(results()),
      [`PUT ${R}/grades/u2`]: ok({ grade: 'unqualified', status: 'pending', reason: '不参加学习', note: null }),
    });
    render(<ReviewManagePage />);
    expect((await screen.findByTestId('counts-1')).textContent).toBe('优秀 0 · 合格 1 · 基本合格 3 · 不合格 2');
    const rows = screen.getAllByTestId('result-row');
    expect(rows[0]!.textContent).toContain('本人的等次由上级党组织评定');
    expect(screen.queryByTestId('save-0')).toBeNull();
    fireEvent.click(screen.getByTestId('set-1-unqualified'));
    fireEvent.click(screen.getByTestId('save-1'));
    expect((await screen.findByTestId('grade-error-1')).textContent).toBe('评定为不合格必须填写理由');
    fireEvent.input(screen.getByTestId('reason-1'), { target: { value: '不参加学习' } });
    fireEvent.click(screen.getByTestId('save-1'));
    await waitFor(() => expect(sent.find((r) => r.method === 'PUT')).toBeTruthy());
    expect(sent.find((r) => r.method === 'PUT')!.data).toEqual({ grade: 'unqualified', reason: '不参加学习' });
  });

  it('when fewer than 5 voted, then the reason is shown instead of counts', async () => {
    const withheld = '仅4名党员参加投票，不足5人，为保护投票秘密不显示票数';
    mockApi({
      'GET /me': ok(buildMe()),
      [`GET ${R}`]: ok(round({ voterCount: 4 })),
      [`GET ${R}/results`]: ok(
        results({ withheld, rows: results().rows.map((r) => ({ ...r, counts: null, comments: null })) }),
      ),
    });
    render(<ReviewManagePage />);
    expect((await screen.findByTestId('results-withheld')).textContent).toBe(withheld);
    expect(screen.getByTestId('counts-0').textContent).toBe('票数不显示');
  });

  it('an admin sees the 不合格 waiting for confirmation and confirms one', async () => {
    const sent = mockApi({
      'GET /me': ok(buildMe({ roles: ['member', 'admin'], adminOrg: { id: 't1', name: '青山镇', type: 'township' } })),
      'GET /reviews/pending': ok({
        items: [
          {
            branchId: 'b1',
            branchName: '红旗村党支部',
            year,
            member: { id: 'u2', name: '王大妈' },
            reason: '不参加学习',
          },
        ],
      }),
      [`POST ${R}/grades/u2/confirm`]: ok({
        grade: { grade: 'unqualified', status: 'final', reason: '不参加学习', note: null },
      }),
    });
    render(<ReviewManagePage />);
    const item = await screen.findByTestId('pending-item');
    expect(item.textContent).toContain('红旗村党支部 · 王大妈');
    fireEvent.click(screen.getByTestId('pending-confirm'));
    await waitFor(() => expect(sent.find((r) => r.method === 'POST')).toBeTruthy());
    expect(sent.find((r) => r.method === 'POST')!.data).toEqual({ decision: 'confirm' });
  });
});
