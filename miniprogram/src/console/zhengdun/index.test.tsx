import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { Plan } from '@pioneer/shared';
import ZhengdunPage from './index';
import { chooseFile } from '../../utils/choose-file';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

jest.mock('../../utils/choose-file', () => ({ chooseFile: jest.fn() }));

/** 整顿 (issue 18): the branch secretary reports an item's progress with evidence photos; the township sees them. */
const PHOTO = '/api/v1/uploads/2026-10/0123456789abcdef0123456789abcdef.jpg';
const plan = (over: Partial<Plan['items'][number]> = {}): Plan => ({
  id: 'b1|2026Q3',
  branchId: 'b1',
  branchName: '红旗村党支部',
  townshipName: '青山镇',
  quarter: '2026Q3',
  reason: '管理员认定：组织生活不经常',
  status: 'open',
  seq: 1,
  items: [
    {
      n: 1,
      text: '召开专题组织生活会',
      owner: '支部书记',
      deadline: '2099-01-01',
      status: 'todo',
      progress: null,
      comment: null,
      overdue: false,
      ...over,
    },
  ],
  history: [],
});
const listOf = (p: Plan) => ok({ org: { id: 'b1', name: '红旗村党支部' }, plans: [p], overdue: [] });
const PATH = '/rectification-plans/b1/2026Q3/items/1/progress';

describe('整顿: progress with evidence', () => {
  beforeEach(() => {
    login();
    (chooseFile as jest.Mock).mockResolvedValue({
      kind: 'blob',
      blob: new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' }),
      name: '会议.jpg',
    });
  });
  afterEach(() => {
    delete (global as { fetch?: unknown }).fetch;
  });

  it('the secretary attaches photos to a progress report; nothing at all is refused in Chinese and not sent', async () => {
    const sent = mockApi({
      'GET /me': ok(buildMe()),
      'GET /rectification-plans': listOf(plan()),
      [`POST ${PATH}`]: ok(plan({ status: 'reported' })),
    });
    global.fetch = jest.fn(async () => ({ status: 201, text: async () => JSON.stringify({ url: PHOTO }) })) as never;
    render(<ZhengdunPage />);
    fireEvent.click(await screen.findByTestId('plan-report-open'));
    fireEvent.click(screen.getByTestId('plan-report-send'));
    expect(screen.getByTestId('plan-report-error').textContent).toBe('请填写整顿进展或上传佐证照片');
    expect(sent.some((r) => r.method === 'POST')).toBe(false);
    fireEvent.click(screen.getByTestId('plan-report-photos-add'));
    await waitFor(() => expect(screen.getAllByTestId('plan-report-photos-item')).toHaveLength(1));
    fireEvent.input(screen.getByTestId('plan-report-text'), { target: { value: '已召开专题会，查摆问题5条' } });
    fireEvent.click(screen.getByTestId('plan-report-send'));
    await waitFor(() => expect(sent.some((r) => r.method === 'POST')).toBe(true));
    expect(sent.find((r) => r.method === 'POST')).toMatchObject({
      path: PATH,
      data: { text: '已召开专题会，查摆问题5条', photoUrls: [PHOTO] },
    });
  });

  it('the township admin sees the reported photos beside the progress before accepting', async () => {
    mockApi({
      'GET /me': ok(buildMe({ roles: ['member', 'admin'], adminOrg: { id: 't1', name: '青山镇', type: 'township' } })),
      'GET /rectification-plans': listOf(
        plan({ status: 'reported', progress: { text: '已召开', photoUrls: [PHOTO], at: '2026-10-09T01:00:00Z' } }),
      ),
      'GET /scorecards/results': ok({ branches: [] }),
    });
    render(<ZhengdunPage />);
    const item = await screen.findByTestId('plan-item');
    expect(item.textContent).toContain('进展：已召开');
    const photos = within(item).getByTestId('plan-evidence').querySelectorAll('img');
    expect(photos).toHaveLength(1);
    expect(photos[0]!.getAttribute('src')).toContain('0123456789abcdef0123456789abcdef.jpg');
    expect(screen.queryByTestId('plan-report-open')).toBeNull();
  });
});
