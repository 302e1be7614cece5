import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { RosterImport } from '@pioneer/shared';
import RosterImportPage from './index';
import { chooseFile } from '../../utils/choose-file';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

jest.mock('../../utils/choose-file', () => ({ chooseFile: jest.fn() }));

const admin = () => buildMe({ roles: ['member', 'admin'], adminOrg: { id: 'c1', name: '青山县', type: 'county' } });
const report = (over: Partial<RosterImport> = {}): RosterImport => ({
  key: 'a'.repeat(32),
  fileName: '名册.xlsx',
  state: 'checked',
  expiresAt: '2026-11-29T18:00:00.000Z',
  total: 3,
  done: 0,
  counts: { created: 1, updated: 1, unchanged: 0, error: 1 },
  rows: [
    { row: 2, name: '王一', phone: '13800000001', branch: '甲村党支部', status: 'created', reason: null },
    { row: 3, name: '王二', phone: '13800000002', branch: '甲村党支部', status: 'updated', reason: null },
    {
      row: 4,
      name: '王三',
      phone: '1380',
      branch: '甲村党支部',
      status: 'error',
      reason: '手机号“1380”不是 11 位大陆手机号',
    },
  ],
  error: null,
  ...over,
});

describe('名册导入', () => {
  beforeEach(() => login());

  it('when a secretary opens it, then it is closed to them', async () => {
    mockApi({ 'GET /me': ok(buildMe()) });
    render(<RosterImportPage />);
    expect(await screen.findByText('只有管理员可以导入党员名册')).toBeTruthy();
  });

  it('when I pick a file, then the dry run report shows each row; confirm starts the import and the progress is polled to the end', async () => {
    (chooseFile as jest.Mock).mockResolvedValueOnce({ kind: 'blob', blob: new Blob(['x']), name: '名册.xlsx' });
    global.fetch = jest.fn(async () => ({
      status: 201,
      text: async () => JSON.stringify(report()),
    })) as unknown as typeof fetch;
    let polls = 0;
    const sent = mockApi({
      'GET /me': ok(admin()),
      [`POST /roster/imports/${'a'.repeat(32)}/confirm`]: ok(report({ state: 'running', total: 2, done: 0 })),
      [`GET /roster/imports/${'a'.repeat(32)}`]: () =>
        ok(
          ++polls < 2 ? report({ state: 'running', total: 2, done: 1 }) : report({ state: 'done', total: 2, done: 2 }),
        ),
    });
    render(<RosterImportPage />);
    fireEvent.click(await screen.findByTestId('roster-pick'));
    await screen.findByTestId('roster-report');
    expect(screen.getByTestId('roster-count-created').textContent).toBe('新增 1');
    expect(screen.getByTestId('roster-count-error').textContent).toBe('有错误 1');
    expect(screen.getAllByTestId('roster-row').map((r) => r.textContent)).toEqual([
      expect.stringContaining('新增'),
      expect.stringContaining('更新'),
      expect.stringContaining('不是 11 位大陆手机号'),
    ]);
    fireEvent.click(screen.getByTestId('roster-only-errors'));
    expect(screen.getAllByTestId('roster-row')).toHaveLength(1);
    fireEvent.click(screen.getByTestId('roster-confirm'));
    await waitFor(() => expect(screen.getByTestId('roster-progress').textContent).toContain('导入完成：写入 2 人'), {
      timeout: 5000,
    });
    expect(sent.filter((r) => r.path.endsWith('/confirm'))).toHaveLength(1);
  });

  it('when the file is refused whole, then its Chinese reason is shown and there is no report', async () => {
    (chooseFile as jest.Mock).mockResolvedValueOnce({ kind: 'blob', blob: new Blob(['x']), name: 'f.xlsx' });
    global.fetch = jest.fn(async () => ({
      status: 422,
      text: async () =>
        JSON.stringify({
          error: { code: 'BAD_SHEET', message: '第 3 行 A3 是公式：请把公式复制后“粘贴为数值”再导入' },
        }),
    })) as unknown as typeof fetch;
    mockApi({ 'GET /me': ok(admin()) });
    render(<RosterImportPage />);
    fireEvent.click(await screen.findByTestId('roster-pick'));
    expect((await screen.findByTestId('roster-error')).textContent).toContain('是公式');
    expect(screen.queryByTestId('roster-report')).toBeNull();
  });
});
