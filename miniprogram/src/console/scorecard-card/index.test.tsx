import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { dayKey, type ScorecardView } from '@pioneer/shared';
import ScorecardCardPage from './index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

/** 评分标准 (issue 18): the county admin adds and removes indicators, sets weights and stars, and saves a version. */
const countyAdmin = buildMe({ roles: ['member', 'admin'], adminOrg: { id: 'c1', name: '青山县', type: 'county' } });
const today = dayKey(Date.now());
const VIEW: ScorecardView = {
  org: 'c1',
  at: today,
  versions: ['2026-01-01'],
  version: {
    effectiveFrom: '2026-01-01',
    indicators: [
      { key: 'active', label: '党员活跃率', kind: 'auto', source: 'activeRate', target: 80, weight: 50 },
      { key: 'held', label: '开展活动', kind: 'auto', source: 'held', target: 6, weight: 30 },
      { key: 'economy', label: '集体经济收入（万元）', kind: 'manual', target: 10, weight: 20 },
    ],
    stars: [60, 70, 80, 90],
    candidatesPerTownship: 2,
    weakBelow: 50,
  },
};
const type = (id: string, value: string, el: HTMLElement | Document = document) =>
  fireEvent.input(within(el as HTMLElement).getByTestId(id), { target: { value } });
const error = () => screen.getByTestId('card-error').textContent;

describe('评分标准', () => {
  beforeEach(() => login());

  it('removes one, adds an automatic and a manual one, is told in Chinese what is wrong, then saves the version', async () => {
    const sent = mockApi({
      'GET /me': ok(countyAdmin),
      'GET /scorecards/card': ok(VIEW),
      'PUT /scorecards/card': ok(VIEW),
    });
    render(<ScorecardCardPage />);
    expect(await screen.findAllByTestId('card-row')).toHaveLength(3);
    expect(screen.getByTestId('card-total').textContent).toBe('指标与权重（合计 100，应为 100）');
    // The sources already on the card are not offered again.
    expect(screen.queryByTestId('add-source-activeRate')).toBeNull();

    fireEvent.click(screen.getAllByTestId('card-remove')[1]!); // 开展活动
    expect(screen.getAllByTestId('card-row')).toHaveLength(2);
    expect(screen.getByTestId('card-total').textContent).toBe('指标与权重（合计 70，应为 100）');
    fireEvent.click(screen.getByTestId('card-save'));
    expect(error()).toBe('各指标权重之和应为100（现为70）');

    fireEvent.click(screen.getByTestId('add-source-wishes'));
    expect(screen.queryByTestId('add-source-wishes')).toBeNull();
    fireEvent.click(screen.getByTestId('add-kind-manual'));
    fireEvent.click(screen.getByTestId('add-manual'));
    expect(screen.getByTestId('add-error').textContent).toBe('请填写指标名称');
    type('add-name', '党建+项目');
    type('add-unit', '个');
    type('add-target', '3');
    fireEvent.click(screen.getByTestId('add-manual'));
    const rows = screen.getAllByTestId('card-row');
    expect(rows).toHaveLength(4);
    expect(rows[2]!.textContent).toContain('自动：微心愿完成（个）');
    expect(rows[3]!.textContent).toContain('手工：乡镇录入');
    type('card-weight', '20', rows[2]!);
    type('card-weight', '10', rows[3]!);
    expect(screen.getByTestId('card-total').textContent).toBe('指标与权重（合计 100，应为 100）');

    type('card-star-1', '55');
    fireEvent.click(screen.getByTestId('card-save'));
    expect(error()).toBe('星级分数线应逐级升高（二星 < 三星 < 四星 < 五星）');
    type('card-star-1', '65');
    type('card-from', '2020-01-01');
    fireEvent.click(screen.getByTestId('card-save'));
    expect(error()).toBe('生效日期不能早于今天（已评定的季度不会被改写）');
    expect(sent.some((r) => r.method === 'PUT')).toBe(false);

    type('card-from', today);
    fireEvent.click(screen.getByTestId('card-save'));
    await waitFor(() => expect(sent.some((r) => r.method === 'PUT')).toBe(true));
    expect(sent.find((r) => r.method === 'PUT')!.data).toEqual({
      org: 'c1',
      effectiveFrom: today,
      indicators: [
        { key: 'active', label: '党员活跃率', kind: 'auto', source: 'activeRate', target: 80, weight: 50 },
        { key: 'economy', label: '集体经济收入（万元）', kind: 'manual', target: 10, weight: 20 },
        { key: 'wishes', label: '微心愿完成', kind: 'auto', source: 'wishes', target: 10, weight: 20 },
        { key: 'manual1', label: '党建+项目（个）', kind: 'manual', target: 3, weight: 10 },
      ],
      stars: [60, 65, 80, 90],
      candidatesPerTownship: 2,
      weakBelow: 50,
    });
  });

  it("shows the server's reason when it refuses the version", async () => {
    mockApi({
      'GET /me': ok(countyAdmin),
      'GET /scorecards/card': ok(VIEW),
      'PUT /scorecards/card': {
        statusCode: 400,
        data: { error: { code: 'VALIDATION_FAILED', message: '生效日期不能早于今天（已评定的季度不会被改写）' } },
      },
    });
    render(<ScorecardCardPage />);
    await screen.findAllByTestId('card-row');
    fireEvent.click(screen.getByTestId('card-save'));
    await waitFor(() => expect(error()).toBe('生效日期不能早于今天（已评定的季度不会被改写）'));
  });

  it('a township admin is told the card is the county’s, and nothing is asked', async () => {
    const sent = mockApi({
      'GET /me': ok(buildMe({ roles: ['member', 'admin'], adminOrg: { id: 't1', name: '青山镇', type: 'township' } })),
    });
    render(<ScorecardCardPage />);
    expect(await screen.findByText('只有县级管理员可以设置支部评分标准')).toBeTruthy();
    expect(sent.some((r) => r.path.startsWith('/scorecards'))).toBe(false);
  });
});
