import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { MyTask } from '@pioneer/shared';
import TasksPage from './index';
import { login, mockApi, ok } from '../../../test/api-mock';

const task = (over: Partial<MyTask>): MyTask => ({
  taskId: 't1',
  receiverId: 'b1',
  receiverKind: 'branch',
  receiverName: '青山村党支部',
  status: 'todo',
  state: 'todo',
  report: null,
  reportedAt: null,
  reporterName: null,
  comment: null,
  late: false,
  pointsAwarded: null,
  task: {
    id: 't1',
    title: '报送主题党日开展情况',
    body: '上报照片',
    senderName: '王组织',
    orgName: '青山县',
    deadline: '2026-12-01',
    evidence: ['text'],
    points: 5,
    createdAt: '2026-11-30T02:00:00.000Z',
  },
  ...over,
});
const typeInto = (el: HTMLElement, value: string) =>
  fireEvent.input(el.querySelector('textarea') ?? el, { target: { value } });

describe('我的任务', () => {
  beforeEach(() => login());

  it('a returned task shows the comment and reports again to its receiver path', async () => {
    const sent = mockApi({
      'GET /tasks/mine': ok({ items: [task({ status: 'returned', state: 'returned', comment: '请补充照片' })] }),
      'POST /tasks/t1/receivers/b1/report': ok(task({ status: 'reported', state: 'reported' })),
    });
    render(<TasksPage />);
    expect((await screen.findByTestId('task-comment')).textContent).toContain('请补充照片');
    expect(screen.getByTestId('task-state').textContent).toBe('退回');
    typeInto(screen.getByTestId('task-report-text'), '已补充');
    fireEvent.click(screen.getByTestId('task-report-submit'));
    await waitFor(() => expect(sent.some((r) => r.method === 'POST')).toBe(true));
    expect(sent.find((r) => r.method === 'POST')).toMatchObject({
      path: '/tasks/t1/receivers/b1/report',
      data: { text: '已补充', photoUrls: [] },
    });
  });

  it('an overdue task is marked 逾期 and can still be reported; an accepted one has no form', async () => {
    mockApi({
      'GET /tasks/mine': ok({
        items: [
          task({ state: 'overdue' }),
          task({ taskId: 't2', status: 'accepted', state: 'accepted', report: { text: '完成', photoUrls: [] } }),
        ],
      }),
    });
    render(<TasksPage />);
    const states = await screen.findAllByTestId('task-state');
    expect(states.map((s) => s.textContent)).toEqual(['逾期', '已验收']);
    expect(screen.getAllByTestId('task-report-submit')).toHaveLength(1);
  });
});
