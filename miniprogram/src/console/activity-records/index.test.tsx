import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { ACTIVITY_FREQUENCIES, type ActivityFrequencies, type RecordBook } from '@pioneer/shared';
import ActivityRecordsPage from './index';
import { downloadFile } from '../../services/download';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

jest.mock('../../services/download', () => ({ downloadFile: jest.fn(() => Promise.resolve('三会一课台账.xlsx')) }));

const book: RecordBook = {
  org: { id: 'b1', name: '青山村党支部' },
  quarter: '2026-Q2',
  label: '2026年第2季度',
  generatedAt: '2026-11-25T01:00:00.000Z',
  branches: [
    {
      branch: { id: 'b1', name: '青山村党支部' },
      attendanceRate: 0.571,
      byType: [
        { type: 'party_congress', held: 1, required: 1, met: true, rate: 1 },
        { type: 'committee', held: 3, required: 3, met: true, rate: 0.667 },
        { type: 'group', held: 2, required: 3, met: false, rate: 0.5 },
        { type: 'lecture', held: 0, required: 1, met: false, rate: null },
        { type: 'theme_day', held: 1, required: 0, met: true, rate: 0.5 },
        { type: 'red_saturday', held: 0, required: 0, met: true, rate: null },
      ],
      activities: [
        {
          id: 'a1',
          type: 'party_congress',
          title: '党员大会',
          startsAt: '2026-04-10T01:00:00.000Z',
          expected: 4,
          attended: 4,
          onLeave: 0,
          rate: 1,
          expectedScope: 'members',
        },
        {
          id: 'a2',
          type: 'committee',
          title: '支委会',
          startsAt: '2026-04-03T01:00:00.000Z',
          expected: 3,
          attended: 2,
          onLeave: 0,
          rate: 0.667,
          expectedScope: 'committee',
        },
      ],
    },
  ],
};

describe('三会一课台账', () => {
  beforeEach(() => login());

  it('shows held against required per type, the rate, idle branches, and exports XLSX', async () => {
    const sent = mockApi({
      'GET /me': ok(buildMe()),
      'GET /activities/record-book': ok(book),
      'GET /activities/idle': ok({ days: 30, branches: [{ id: 'b9', name: '乙村党支部', lastActivityAt: null }] }),
    });
    render(<ActivityRecordsPage />);
    const branch = await screen.findByTestId('rb-branch');
    expect(branch.textContent).toContain('青山村党支部 · 出勤率 57%');
    const types = screen.getAllByTestId('rb-type').map((r) => r.textContent);
    expect(types).toEqual([
      '支部党员大会1 / 应开 1 达标',
      '支委会3 / 应开 3 达标',
      '党小组会2 / 应开 3 未达标',
      '党课0 / 应开 1 未达标',
      '主题党日1 次 · 不要求',
    ]);
    // A 支委会 is measured against the committee, and says so.
    expect(screen.getByText(/支委会 支委会 · 实到 2\/3（支委委员）/)).toBeTruthy();
    expect((await screen.findByTestId('rb-idle')).textContent).toContain('乙村党支部（从未开展）');
    fireEvent.click(screen.getByTestId('rb-export'));
    await waitFor(() => expect(downloadFile).toHaveBeenCalled());
    expect((downloadFile as jest.Mock).mock.calls[0][0]).toMatch(/\/activities\/record-book\?.*format=xlsx/);
    expect(sent.find((r) => r.path === '/activities/record-book')!.query).toMatchObject({ format: 'json' });
    // A secretary neither asks for nor sees the county's frequency settings.
    expect(sent.some((r) => r.path === '/activities/frequencies')).toBe(false);
    expect(screen.queryByTestId('rb-freq-toggle')).toBeNull();
  });

  const freq = (over: Partial<ActivityFrequencies> = {}): ActivityFrequencies => ({
    org: { id: 'c1', name: '青山县' },
    frequencies: { ...ACTIVITY_FREQUENCIES },
    isDefault: true,
    canEdit: true,
    ...over,
  });
  const admin = () => buildMe({ roles: ['member', 'admin'], adminOrg: { id: 'c1', name: '青山县', type: 'county' } });

  it('when the county admin changes 党课 to monthly and saves, then the whole table is sent and the book reloads', async () => {
    let saved: ActivityFrequencies | null = null;
    const sent = mockApi({
      'GET /me': ok(admin()),
      'GET /activities/record-book': ok(book),
      'GET /activities/idle': ok({ days: 30, branches: [] }),
      'GET /activities/frequencies': () => ok(saved ?? freq()),
      'PUT /activities/frequencies': (req) => {
        saved = freq({
          frequencies: (req.data as { frequencies: ActivityFrequencies['frequencies'] }).frequencies,
          isDefault: false,
        });
        return ok(saved);
      },
    });
    render(<ActivityRecordsPage />);
    fireEvent.click(await screen.findByTestId('rb-freq-toggle'));
    expect(screen.getByTestId('freq-form').textContent).toContain('青山县 · 三会一课应开频次（默认）');
    // Nothing changed yet: nothing to save.
    const save = screen.getByTestId('freq-save');
    expect(save.hasAttribute('disabled') || save.className.includes('disabled')).toBe(true);
    fireEvent.click(screen.getByTestId('freq-lecture-monthly'));
    fireEvent.click(screen.getByTestId('freq-save'));
    await waitFor(() => expect(sent.find((r) => r.method === 'PUT')).toBeDefined());
    expect(sent.find((r) => r.method === 'PUT')!.data).toEqual({
      org: 'c1',
      frequencies: { ...ACTIVITY_FREQUENCIES, lecture: 'monthly' },
    });
    await waitFor(() => expect(sent.filter((r) => r.path === '/activities/record-book')).toHaveLength(2));
    expect(Taro.showToast).toHaveBeenCalledWith({ title: '已保存，台账已按新频次统计', icon: 'none' });
    await waitFor(() => expect(screen.getByTestId('freq-form').textContent).not.toContain('（默认）'));
  });

  it('when the server refuses the save, then its message shows', async () => {
    mockApi({
      'GET /me': ok(admin()),
      'GET /activities/record-book': ok(book),
      'GET /activities/idle': ok({ days: 30, branches: [] }),
      'GET /activities/frequencies': ok(freq()),
      'PUT /activities/frequencies': {
        statusCode: 403,
        data: { error: { code: 'FORBIDDEN', message: '只有本县管理员可以修改三会一课频次' } },
      },
    });
    render(<ActivityRecordsPage />);
    fireEvent.click(await screen.findByTestId('rb-freq-toggle'));
    fireEvent.click(screen.getByTestId('freq-group-none'));
    fireEvent.click(screen.getByTestId('freq-save'));
    expect((await screen.findByTestId('freq-error')).textContent).toBe('只有本县管理员可以修改三会一课频次');
  });

  it('when an admin may not edit this county (township admin), then no form is offered', async () => {
    mockApi({
      'GET /me': ok(admin()),
      'GET /activities/record-book': ok(book),
      'GET /activities/idle': ok({ days: 30, branches: [] }),
      'GET /activities/frequencies': ok(freq({ canEdit: false })),
    });
    render(<ActivityRecordsPage />);
    await screen.findByTestId('rb-branch');
    await waitFor(() => expect(screen.queryByTestId('rb-freq-toggle')).toBeNull());
  });
});
