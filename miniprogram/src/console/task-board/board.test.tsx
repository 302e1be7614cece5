import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { TaskBoard, TaskReceiverRow } from '@pioneer/shared';
import { Board } from './board';
import { login, mockApi, ok } from '../../../test/api-mock';

const row = (over: Partial<TaskReceiverRow>): TaskReceiverRow => ({
  taskId: 't1',
  receiverId: 'b1',
  receiverKind: 'branch',
  receiverName: '青山村党支部',
  status: 'reported',
  state: 'reported',
  report: { text: '已开展', photoUrls: [] },
  reportedAt: '2026-11-30T02:00:00.000Z',
  reporterName: '李书记',
  comment: null,
  late: false,
  pointsAwarded: null,
  ...over,
});
const board = (rows: TaskReceiverRow[]): TaskBoard => ({
  task: {
    id: 't1',
    title: '报送主题党日开展情况',
    body: '',
    senderName: '王组织',
    orgName: '青山县',
    deadline: '2026-12-01',
    evidence: ['text'],
    points: 5,
    createdAt: '2026-11-30T02:00:00.000Z',
  },
  counts: { overdue: 1, returned: 0, todo: 0, reported: 1, accepted: 0 },
  rows,
});

describe('任务督办 board', () => {
  beforeEach(() => login());

  it('shows the counts and each receiver in the server’s order; 验收 and 退回 (with the comment) post to the receiver', async () => {
    const sent = mockApi({
      'GET /tasks/t1/board': ok(
        board([
          row({ receiverId: 'b2', receiverName: '竹林村党支部', status: 'todo', state: 'overdue', report: null }),
          row({}),
        ]),
      ),
      'POST /tasks/t1/receivers/b1/accept': ok(row({ status: 'accepted', state: 'accepted' })),
      'POST /tasks/t1/receivers/b1/return': ok(row({ status: 'returned', state: 'returned' })),
    });
    render(<Board taskId="t1" />);
    await waitFor(() => expect(screen.getByTestId('board-counts').textContent).toBe('逾期 1 · 已报 1'));
    expect(screen.getAllByTestId('board-state').map((s) => s.textContent)).toEqual(['逾期', '已报']);
    fireEvent.input(screen.getByTestId('board-comment'), { target: { value: '请补充照片' } });
    fireEvent.click(screen.getByTestId('board-return'));
    await waitFor(() => expect(sent.some((r) => r.path.endsWith('/return'))).toBe(true));
    expect(sent.find((r) => r.path.endsWith('/return'))!.data).toEqual({ comment: '请补充照片' });
    // The buttons wait while a decision is on its way.
    await waitFor(() => expect(Taro.showToast).toHaveBeenCalledWith({ title: '已退回', icon: 'none' }));
    fireEvent.click(screen.getByTestId('board-accept'));
    await waitFor(() => expect(sent.some((r) => r.path === '/tasks/t1/receivers/b1/accept')).toBe(true));
  });
});
