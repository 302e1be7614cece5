import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import ActivityPage from './index';
import ActivityManagePage from '../../console/activity-manage/index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';
import { activity } from '../../../test/activity-fixtures';
import { routeTo } from '../../../test/router';

const member = () => buildMe({ roles: ['member'] });

function open(Page: () => JSX.Element, id = 'a1') {
  routeTo('/pages/activity/index', { id });
  return render(<Page />);
}

describe('组织生活 · a member', () => {
  const env = process.env.TARO_ENV;
  beforeEach(() => login());
  afterEach(() => {
    process.env.TARO_ENV = env;
  });

  it('when the activity is open, then I type the 6-digit code, it is sent and the page shows I signed in', async () => {
    let signed = false;
    const sent = mockApi({
      'GET /me': ok(member()),
      'GET /activities/a1': () =>
        ok(
          activity(
            signed
              ? { mine: { expected: true, signedInAt: '2026-11-25T01:05:00.000Z', late: false, leave: null } }
              : {},
          ),
        ),
      'POST /activities/a1/signin': () => {
        signed = true;
        return { statusCode: 201, data: { at: '2026-11-25T01:05:00.000Z', late: false, pointsAwarded: 3 } };
      },
    });
    open(ActivityPage);
    expect((await screen.findByTestId('activity-title')).textContent).toBe('11月主题党日');
    expect(screen.getByTestId('activity-status').textContent).toBe('签到中');
    expect(screen.queryByTestId('activity-scan')).toBeNull();
    fireEvent.input(screen.getByTestId('activity-code'), { target: { value: '123456' } });
    fireEvent.click(screen.getByTestId('activity-signin'));
    expect((await screen.findByTestId('activity-signed')).textContent).toBe('已签到 09:05');
    expect(sent.find((r) => r.method === 'POST')).toMatchObject({
      path: '/activities/a1/signin',
      data: { code: '123456' },
    });
    expect(Taro.showToast).toHaveBeenCalledWith({ title: '签到成功', icon: 'none' });
    expect(screen.queryByTestId('activity-manage')).toBeNull();
  });

  it('when the code has expired, then the server message shows and I can try again', async () => {
    mockApi({
      'GET /me': ok(member()),
      'GET /activities/a1': ok(activity()),
      'POST /activities/a1/signin': {
        statusCode: 422,
        data: { error: { code: 'TOKEN_EXPIRED', message: '签到码已过期或不正确，请输入书记屏幕上的最新签到码' } },
      },
    });
    open(ActivityPage);
    fireEvent.input(await screen.findByTestId('activity-code'), { target: { value: '654321' } });
    fireEvent.click(screen.getByTestId('activity-signin'));
    expect((await screen.findByTestId('activity-error')).textContent).toContain('签到码已过期');
    expect(screen.queryByTestId('activity-signed')).toBeNull();
  });

  it('in WeChat, 扫码签到 sends the scanned token', async () => {
    process.env.TARO_ENV = 'weapp';
    const scanCode = jest.fn().mockResolvedValue({ result: 'eyJhbGciOiJIUzI1NiJ9.token.sig' });
    (Taro as unknown as { scanCode: jest.Mock }).scanCode = scanCode;
    const sent = mockApi({
      'GET /me': ok(member()),
      'GET /activities/a1': ok(activity()),
      'POST /activities/a1/signin': {
        statusCode: 201,
        data: { at: '2026-11-25T01:20:00.000Z', late: true, pointsAwarded: 3 },
      },
    });
    open(ActivityPage);
    fireEvent.click(await screen.findByTestId('activity-scan'));
    await waitFor(() =>
      expect(sent.find((r) => r.method === 'POST')).toMatchObject({
        data: { token: 'eyJhbGciOiJIUzI1NiJ9.token.sig' },
      }),
    );
    expect(scanCode).toHaveBeenCalledWith({ onlyFromCamera: true, scanType: ['qrCode'] });
  });

  it('when the place has a fence, then 定位签到 sends my position (GCJ-02 in WeChat)', async () => {
    process.env.TARO_ENV = 'weapp';
    (Taro.getLocation as jest.Mock).mockResolvedValue({ latitude: 30.5448, longitude: 119.9753, accuracy: 15 });
    const sent = mockApi({
      'GET /me': ok(member()),
      'GET /activities/a1': ok(
        activity({ place: { name: '村党群服务中心', fence: { lat: 30.5447, lng: 119.9752, radiusM: 200 } } }),
      ),
      'POST /activities/a1/signin': {
        statusCode: 201,
        data: { at: '2026-11-25T01:05:00.000Z', late: false, pointsAwarded: 3 },
      },
    });
    open(ActivityPage);
    fireEvent.click(await screen.findByTestId('activity-locate'));
    await waitFor(() =>
      expect(sent.find((r) => r.method === 'POST')).toMatchObject({
        data: { lat: 30.5448, lng: 119.9753, accuracy: 15, coordType: 'gcj02' },
      }),
    );
  });

  it('before it opens, I ask for leave with a reason and then see it waiting for the secretary', async () => {
    let asked = false;
    const sent = mockApi({
      'GET /me': ok(member()),
      'GET /activities/a1': () =>
        ok(
          activity({
            status: 'planned',
            mine: {
              expected: true,
              signedInAt: null,
              late: false,
              leave: asked ? { reason: '外出务工', status: 'pending', at: 'x' } : null,
            },
          }),
        ),
      'POST /activities/a1/leave': () => {
        asked = true;
        return ok(activity());
      },
    });
    open(ActivityPage);
    expect((await screen.findByTestId('activity-mine')).textContent).toContain('活动开始前30分钟开放签到');
    expect(screen.queryByTestId('activity-code')).toBeNull();
    fireEvent.input(screen.getByTestId('activity-leave-reason'), { target: { value: '外出务工' } });
    fireEvent.click(screen.getByTestId('activity-leave'));
    expect((await screen.findByTestId('activity-leave-status')).textContent).toBe('请假待批准：外出务工');
    expect(sent.find((r) => r.method === 'POST')).toMatchObject({
      path: '/activities/a1/leave',
      data: { reason: '外出务工' },
    });
    expect(screen.queryByTestId('activity-leave')).toBeNull();
  });

  it('the branch secretary gets the way to 签到管理', async () => {
    mockApi({ 'GET /me': ok(buildMe()), 'GET /activities/a1': ok(activity()) });
    open(ActivityPage);
    fireEvent.click(await screen.findByTestId('activity-manage'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/console/activity-manage/index?id=a1' });
  });

  it('in WeChat, before a planned activity, 开始前一小时微信提醒我 records my consent for the activity reminder', async () => {
    process.env.TARO_ENV = 'weapp';
    const ask = jest.fn(() => Promise.resolve({ 'TPL-ACT': 'accept', errMsg: 'requestSubscribeMessage:ok' }));
    (Taro as unknown as Record<string, unknown>).requestSubscribeMessage = ask;
    let counts = {};
    const sent = mockApi({
      'GET /me': ok(member()),
      'GET /activities/a1': ok(activity({ status: 'planned' })),
      'GET /me/subscriptions': () => ok({ enabled: true, templates: { activity: 'TPL-ACT' }, counts }),
      'POST /me/subscriptions': () => {
        counts = { activity: 1 };
        return ok({ counts });
      },
    });
    open(ActivityPage);
    fireEvent.click(await screen.findByTestId('activity-subscribe'));
    await waitFor(() =>
      expect(sent.find((r) => r.method === 'POST')).toMatchObject({ data: { accepted: ['activity'] } }),
    );
    expect(ask).toHaveBeenCalledWith({ tmplIds: ['TPL-ACT'] });
    // consent held: the button goes away until it is used
    await waitFor(() => expect(screen.queryByTestId('activity-subscribe')).toBeNull());
    delete (Taro as unknown as Record<string, unknown>).requestSubscribeMessage;
  });

  it('outside WeChat nothing asks for reminders', async () => {
    mockApi({
      'GET /me': ok(member()),
      'GET /activities/a1': ok(activity({ status: 'planned' })),
      'GET /me/subscriptions': ok({ enabled: true, templates: { activity: 'TPL-ACT' }, counts: {} }),
    });
    open(ActivityPage);
    await screen.findByTestId('activity-leave');
    expect(screen.queryByTestId('activity-subscribe')).toBeNull();
  });

  it('in WeChat, once my leave is approved, nothing asks for the reminder', async () => {
    process.env.TARO_ENV = 'weapp';
    const leave = { status: 'approved' as const, reason: '外出务工', at: '2026-11-24T01:00:00.000Z' };
    mockApi({
      'GET /me': ok(member()),
      'GET /activities/a1': ok(
        activity({ status: 'planned', mine: { expected: true, signedInAt: null, late: false, leave } }),
      ),
      'GET /me/subscriptions': ok({ enabled: true, templates: { activity: 'TPL-ACT' }, counts: {} }),
    });
    open(ActivityPage);
    await screen.findByTestId('activity-leave-status');
    expect(screen.queryByTestId('activity-subscribe')).toBeNull();
  });
});

describe('签到管理 · the secretary', () => {
  beforeEach(() => login());
  const attendance = {
    present: [{ userId: 'u2', name: '李红', at: '2026-11-25T01:02:00.000Z', method: 'qr', reason: null }],
    late: [],
    onLeave: [],
    absent: [
      { userId: 'u3', name: '王强', at: null, method: null, reason: null },
      { userId: 'u4', name: '赵敏', at: null, method: null, reason: null },
    ],
    pendingLeave: [{ userId: 'u4', name: '赵敏', at: '2026-11-24T01:00:00.000Z', method: null, reason: '住院' }],
  };

  it('shows the rotating code large, the live counts, approves leave and adds a member with a reason', async () => {
    const sent = mockApi({
      'GET /activities/a1': ok(activity()),
      'GET /activities/a1/qr': ok({ token: 'jwt.token.sig', code: '482913', expiresAt: '2026-11-25T01:05:30.000Z' }),
      'GET /activities/a1/attendance': ok(attendance),
      'POST /activities/a1/leave/u4/review': ok(attendance),
      'POST /activities/a1/attendees': { statusCode: 201, data: attendance },
    });
    open(ActivityManagePage);
    expect((await screen.findByTestId('manage-code')).textContent).toBe('482913');
    expect((await screen.findByTestId('manage-counts')).textContent).toBe('已到 1 · 迟到 0 · 请假 0 · 未到 2');
    fireEvent.click(screen.getByTestId('manage-leave-approve'));
    await waitFor(() =>
      expect(sent.find((r) => r.path === '/activities/a1/leave/u4/review')).toMatchObject({
        data: { decision: 'approve' },
      }),
    );
    const [add] = screen.getAllByTestId('manage-add');
    fireEvent.input(screen.getByTestId('manage-reason'), { target: { value: '手机没电' } });
    fireEvent.click(add!);
    await waitFor(() =>
      expect(sent.find((r) => r.path === '/activities/a1/attendees')).toMatchObject({
        data: { userId: 'u3', reason: '手机没电' },
      }),
    );
    fireEvent.click(screen.getByTestId('manage-fullscreen'));
    expect(screen.getByTestId('manage-full-code').textContent).toBe('482913');
  });
});
