import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { LifeMeetingView, TalkRegister } from '@pioneer/shared';
import LifeMeetingPage from './index';
import { MyLifeCheck } from '../../pages/review-vote/my-life';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

/** 组织生活会 (issue 21): the secretary's topics, who has not submitted 对照检查, the 谈心谈话 register; a member's form. */
const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
const me = buildMe();
const B = me.org!.id;
const L = `/life-meetings/${B}/${year}`;
const members = [
  { id: me.id, name: '李书记' },
  { id: 'u2', name: '王大妈' },
  { id: 'u3', name: '张建国' },
];
const view = (over: Partial<LifeMeetingView> = {}): LifeMeetingView => ({
  branchId: B,
  branchName: '红旗村党支部',
  year,
  topics: ['理想信念', '担当作为'],
  members,
  checks: [
    { member: members[0]!, submittedAt: null },
    { member: members[1]!, submittedAt: '2026-11-20T02:00:00.000Z' },
    { member: members[2]!, submittedAt: null },
  ],
  missingChecks: 2,
  meeting: null,
  mine: { text: null, submittedAt: null },
  canManage: true,
  ...over,
});
const register: TalkRegister = {
  talks: [{ n: 1, talker: members[0]!, talkee: members[1]!, date: `${year}-11-01`, summary: '谈学习' }],
  missing: [members[0]!, members[2]!],
};
const notFound = { statusCode: 404, data: { error: { code: 'NOT_FOUND', message: '组织生活会不存在' } } };

describe('组织生活会', () => {
  beforeEach(() => login());

  it('with none arranged, the secretary sets the topics (one a line)', async () => {
    const sent = mockApi({ 'GET /me': ok(me), [`GET ${L}`]: notFound, 'POST /life-meetings': ok(view()) });
    render(<LifeMeetingPage />);
    // The form shows once the year's meeting has been asked for (and found missing).
    await waitFor(() => expect(sent.some((r) => r.path === L)).toBe(true));
    await waitFor(() => expect(screen.getByTestId('life-hint').textContent).toContain('尚未安排'));
    fireEvent.click(screen.getByTestId('life-save'));
    expect((await screen.findByTestId('life-error')).textContent).toBe('请至少填写一个对照检查主题');
    fireEvent.input(screen.getByTestId('life-topics'), { target: { value: '理想信念\n\n 担当作为 ' } });
    fireEvent.click(screen.getByTestId('life-save'));
    await waitFor(() => expect(sent.find((r) => r.method === 'POST')).toBeTruthy());
    expect(sent.find((r) => r.method === 'POST')!.data).toEqual({ year, topics: ['理想信念', '担当作为'] });
  });

  it('the secretary sees who has not submitted, the register and who had no talk, and records a talk', async () => {
    const sent = mockApi({
      'GET /me': ok(me),
      [`GET ${L}`]: ok(view()),
      [`GET ${L}/talks`]: ok(register),
      [`POST ${L}/talks`]: ok(register.talks[0]),
    });
    render(<LifeMeetingPage />);
    await waitFor(() =>
      expect(screen.getByTestId('checks-summary').textContent).toBe('已提交1/3人；未提交：李书记、张建国'),
    );
    await waitFor(() =>
      expect(screen.getByTestId('talks-missing').textContent).toBe('共1次谈话；尚未谈话2人：李书记、张建国'),
    );
    fireEvent.click(screen.getByTestId('talk-save'));
    expect((await screen.findByTestId('talk-error')).textContent).toBe('请选择谈话对象');
    fireEvent.click(screen.getByTestId('talkee-u3'));
    fireEvent.input(screen.getByTestId('talk-summary'), { target: { value: '提醒按时交党费' } });
    fireEvent.click(screen.getByTestId('talk-save'));
    await waitFor(() => expect(sent.find((r) => r.method === 'POST')).toBeTruthy());
    expect(sent.find((r) => r.method === 'POST')!.data).toMatchObject({
      talkerId: me.id,
      talkeeId: 'u3',
      summary: '提醒按时交党费',
    });
  });

  it('a member submits 对照检查 against the topics; after the meeting the form is gone', async () => {
    const sent = mockApi({
      [`GET ${L}`]: ok(view({ canManage: false, checks: [] })),
      [`PUT ${L}/check`]: ok({ member: members[1], text: '学习不够', submittedAt: '2026-11-21T02:00:00.000Z' }),
    });
    const { unmount } = render(<MyLifeCheck branchId={B} />);
    expect((await screen.findByTestId('my-life-state')).textContent).toBe('尚未提交，请在会前提交');
    fireEvent.click(screen.getByTestId('my-life-send'));
    expect((await screen.findByTestId('my-life-error')).textContent).toBe('请填写对照检查材料');
    fireEvent.input(screen.getByTestId('my-life-text'), { target: { value: '学习不够' } });
    fireEvent.click(screen.getByTestId('my-life-send'));
    await waitFor(() => expect(sent.find((r) => r.method === 'PUT')).toBeTruthy());
    expect(sent.find((r) => r.method === 'PUT')!.data).toEqual({ text: '学习不够' });
    unmount();
    // Reopened after sending: the stored text is back in the form.
    mockApi({
      [`GET ${L}`]: ok(
        view({ canManage: false, checks: [], mine: { text: '学习不够', submittedAt: '2026-11-21T02:00:00.000Z' } }),
      ),
    });
    const again = render(<MyLifeCheck branchId={B} />);
    await waitFor(() => expect(screen.getByTestId('my-life-state').textContent).toContain('已于'));
    expect((screen.getByTestId('my-life-text') as HTMLTextAreaElement).value).toBe('学习不够');
    again.unmount();
    mockApi({
      [`GET ${L}`]: ok(
        view({
          meeting: {
            activityId: 'a1',
            title: '组织生活会',
            startsAt: '2026-11-25T02:00:00.000Z',
            held: true,
            attended: 3,
            expected: 3,
            minutes: null,
          },
        }),
      ),
    });
    render(<MyLifeCheck branchId={B} />);
    expect((await screen.findByTestId('my-life-state')).textContent).toBe('会议已召开，未提交对照检查');
    expect(screen.queryByTestId('my-life-send')).toBeNull();
  });
});
