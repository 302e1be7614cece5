import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ManualEntriesView, OrgTreeNode } from '@pioneer/shared';
import ScorecardManualPage from './index';
import { chooseFile } from '../../utils/choose-file';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

jest.mock('../../utils/choose-file', () => ({ chooseFile: jest.fn() }));

/** 手工指标录入 (issue 18): a township admin enters a branch's 集体经济收入 with a photo, sees who entered it, corrects it. */
const townAdmin = buildMe({ roles: ['member', 'admin'], adminOrg: { id: 't1', name: '青山镇', type: 'township' } });
const node = (id: string, name: string, type: OrgTreeNode['type'], children: OrgTreeNode[] = []): OrgTreeNode => ({
  id,
  name,
  type,
  parentId: null,
  memberCount: 0,
  fence: null,
  children,
});
const TREE = node('t1', '青山镇', 'township', [
  node('v1', '红旗村', 'village', [node('b1', '第一党支部', 'branch')]),
  node('v2', '竹林村', 'village', [node('b2', '第一党支部', 'branch')]),
]);
const PHOTO = '/api/v1/uploads/2026-09/0123456789abcdef0123456789abcdef.jpg';
const INDICATORS = [
  { key: 'economy', label: '集体经济收入（万元）', target: 10 },
  { key: 'projects', label: '党建+项目', target: 3 },
];
const view = (branch: string, entries: ManualEntriesView['entries'] = []): ManualEntriesView => ({
  branch: { id: branch, name: branch === 'b1' ? '红旗村第一党支部' : '竹林村第一党支部' },
  quarter: '2026Q3',
  label: '2026年第3季度',
  indicators: INDICATORS,
  entries,
});
const ENTERED = {
  key: 'economy',
  value: 6,
  note: '光伏收益',
  photoUrls: [PHOTO],
  byName: '李乡长',
  at: '2026-10-08T02:30:00.000Z',
};

function mockUpload(url: string) {
  global.fetch = jest.fn(async () => ({ status: 201, text: async () => JSON.stringify({ url }) })) as never;
}

describe('手工指标录入', () => {
  beforeEach(() => {
    login();
    (chooseFile as jest.Mock).mockResolvedValue({
      kind: 'blob',
      blob: new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' }),
      name: '账本.jpg',
    });
  });
  afterEach(() => {
    delete (global as { fetch?: unknown }).fetch;
  });

  it('enters a value with a photo; a value over the maximum or no photo is refused in Chinese and nothing is sent', async () => {
    const sent = mockApi({
      'GET /me': ok(townAdmin),
      'GET /orgs/t1/tree': ok(TREE),
      'GET /scorecards/manual': (r) => ok(view(r.query.branch!)),
      'PUT /scorecards/manual': ok({}),
    });
    mockUpload(PHOTO);
    render(<ScorecardManualPage />);
    const rows = await screen.findAllByTestId('manual-row');
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringContaining('集体经济收入（万元）未录入'),
      expect.stringContaining('党建+项目未录入'),
    ]);
    expect(sent.find((r) => r.path === '/scorecards/manual')!.query.branch).toBe('b1');
    fireEvent.click(screen.getAllByTestId('manual-branch')[1]!);
    await waitFor(() => expect(screen.getByTestId('manual-branch-card').textContent).toContain('竹林村第一党支部'));
    fireEvent.click(screen.getAllByTestId('manual-edit')[0]!);
    fireEvent.input(screen.getByTestId('manual-value'), { target: { value: '12' } });
    fireEvent.click(screen.getByTestId('manual-save'));
    expect(screen.getByTestId('manual-error').textContent).toBe('集体经济收入（万元）最高10');
    fireEvent.input(screen.getByTestId('manual-value'), { target: { value: '8.5' } });
    fireEvent.click(screen.getByTestId('manual-save'));
    expect(screen.getByTestId('manual-error').textContent).toBe('请上传佐证照片');
    expect(sent.some((r) => r.method === 'PUT')).toBe(false);
    fireEvent.click(screen.getByTestId('manual-photos-add'));
    await waitFor(() => expect(screen.getAllByTestId('manual-photos-item')).toHaveLength(1));
    fireEvent.input(screen.getByTestId('manual-note'), { target: { value: '合作社分红' } });
    fireEvent.click(screen.getByTestId('manual-save'));
    await waitFor(() => expect(sent.some((r) => r.method === 'PUT')).toBe(true));
    expect(sent.find((r) => r.method === 'PUT')!.data).toEqual({
      branch: 'b2',
      quarter: expect.stringMatching(/^20\d\dQ[1-4]$/),
      key: 'economy',
      value: 8.5,
      note: '合作社分红',
      photoUrls: [PHOTO],
    });
  });

  it('shows what is entered and by whom, and corrects it starting from the value, note and photos there', async () => {
    const sent = mockApi({
      'GET /me': ok(townAdmin),
      'GET /orgs/t1/tree': ok(TREE),
      'GET /scorecards/manual': (r) => ok(view(r.query.branch!, [ENTERED])),
      'PUT /scorecards/manual': ok({}),
    });
    render(<ScorecardManualPage />);
    const [first] = await screen.findAllByTestId('manual-row');
    expect(first!.textContent).toContain('6 / 10');
    expect(first!.textContent).toContain('光伏收益');
    expect(screen.getByTestId('manual-row-by').textContent).toBe('李乡长 录入于 2026-10-08 10:30');
    fireEvent.click(screen.getAllByTestId('manual-edit')[0]!);
    expect((screen.getByTestId('manual-value') as HTMLInputElement).value).toBe('6');
    expect(screen.getAllByTestId('manual-photos-item')).toHaveLength(1);
    fireEvent.input(screen.getByTestId('manual-value'), { target: { value: '7' } });
    fireEvent.click(screen.getByTestId('manual-save'));
    await waitFor(() => expect(sent.some((r) => r.method === 'PUT')).toBe(true));
    expect(sent.find((r) => r.method === 'PUT')!.data).toMatchObject({
      value: 7,
      note: '光伏收益',
      photoUrls: [PHOTO],
    });
    await waitFor(() =>
      expect(sent.filter((r) => r.path === '/scorecards/manual' && r.method === 'GET')).toHaveLength(2),
    );
  });

  it('not an admin: says who may enter, and asks nothing of the server', async () => {
    const sent = mockApi({ 'GET /me': ok(buildMe()) });
    render(<ScorecardManualPage />);
    expect(await screen.findByText('只有乡镇、县级管理员可以录入手工评分指标')).toBeTruthy();
    expect(sent.some((r) => r.path.startsWith('/scorecards') || r.path.startsWith('/orgs'))).toBe(false);
  });
});
