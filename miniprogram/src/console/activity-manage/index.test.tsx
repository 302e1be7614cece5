import { fireEvent, render, screen } from '@testing-library/react';
import type { Activity } from '@pioneer/shared';
import ActivityManagePage from './index';
import { login, mockApi, ok } from '../../../test/api-mock';
import { managedActivity, noAttendance, qrReply } from '../../../test/activity-fixtures';
import { routeTo } from '../../../test/router';

const activity = managedActivity();
const attendance = noAttendance;
const qr = qrReply;

function open() {
  routeTo('/console/activity-manage/index', { id: 'a1' });
  return render(<ActivityManagePage />);
}

describe('签到管理 · the QR', () => {
  beforeEach(() => login());

  it('when sign-in is open, then the QR image shows with the 6-digit code under it, and full screen shows both large', async () => {
    mockApi({
      'GET /activities/a1': ok(activity),
      'GET /activities/a1/qr': ok(qr),
      'GET /activities/a1/attendance': ok(attendance),
    });
    open();
    const img = await screen.findByTestId('manage-qr-img');
    expect(img.tagName).toBe('IMG');
    expect(img.getAttribute('src')).toBe(qr.qrDataUrl);
    const code = screen.getByTestId('manage-code');
    expect(code.textContent).toBe('482913');
    // The code is read under the image: members without a camera type it.
    expect(img.compareDocumentPosition(code) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.queryByText('复制签名令牌')).toBeNull();

    fireEvent.click(screen.getByTestId('manage-fullscreen'));
    expect(screen.getByTestId('manage-full-qr').getAttribute('src')).toBe(qr.qrDataUrl);
    expect(screen.getByTestId('manage-full-code').textContent).toBe('482913');
    fireEvent.click(screen.getByTestId('manage-full'));
    expect(await screen.findByTestId('manage-qr-img')).toBeTruthy();
  });

  it('when sign-in is not open, then no QR is asked for or shown', async () => {
    const sent = mockApi({
      'GET /activities/a1': ok({ ...activity, status: 'planned' }),
      'GET /activities/a1/attendance': ok(attendance),
    });
    open();
    expect(await screen.findByTestId('manage-open')).toBeTruthy();
    expect(screen.queryByTestId('manage-qr-img')).toBeNull();
    expect(sent.some((r) => r.path === '/activities/a1/qr')).toBe(false);
  });
});

describe('签到管理 · 修改与取消 (issue 15)', () => {
  beforeEach(() => login());
  // Whole minutes, as the form's pickers give them.
  const tomorrow = Math.floor(Date.now() / 60_000) * 60_000 + 86_400_000;
  const later = {
    ...activity,
    status: 'planned' as const,
    startsAt: new Date(tomorrow).toISOString(),
    endsAt: new Date(tomorrow + 7_200_000).toISOString(),
  };

  it('before it starts, I can cancel it with a reason; the page then says it is cancelled', async () => {
    let current: Activity = later;
    const sent = mockApi({
      'GET /activities/a1': () => ok(current),
      'GET /activities/a1/attendance': ok(attendance),
      'POST /activities/a1/cancel': (req) => {
        current = {
          ...later,
          cancelled: { at: new Date().toISOString(), reason: String((req.data as { reason: string }).reason) },
        };
        return ok(current);
      },
    });
    open();
    fireEvent.click(await screen.findByTestId('manage-cancel-open'));
    expect(screen.getByTestId('manage-cancel-dialog')).toBeTruthy();
    fireEvent.input(screen.getByTestId('manage-cancel-reason'), { target: { value: '与镇里会议冲突' } });
    fireEvent.click(screen.getByTestId('manage-cancel-confirm'));
    expect((await screen.findByTestId('manage-cancelled')).textContent).toBe('已取消：与镇里会议冲突');
    expect(sent.find((r) => r.method === 'POST')).toMatchObject({
      path: '/activities/a1/cancel',
      data: { reason: '与镇里会议冲突' },
    });
    expect(screen.queryByTestId('manage-open')).toBeNull();
    expect(screen.queryByTestId('manage-change')).toBeNull();
  });

  it('before it starts, 修改活动 opens the form with its values and PATCHes the change', async () => {
    const sent = mockApi({
      'GET /activities/a1': ok(later),
      'GET /activities/a1/attendance': ok(attendance),
      'PATCH /activities/a1': ok({ ...later, title: '12月主题党日' }),
    });
    open();
    fireEvent.click(await screen.findByTestId('manage-edit-open'));
    const title = screen.getByTestId('acts-title') as HTMLInputElement;
    expect(title.value).toBe('11月主题党日');
    fireEvent.input(title, { target: { value: '12月主题党日' } });
    fireEvent.click(screen.getByTestId('acts-submit'));
    await screen.findByTestId('manage-change');
    expect(sent.find((r) => r.method === 'PATCH')).toMatchObject({
      data: { title: '12月主题党日', startsAt: later.startsAt, endsAt: later.endsAt },
    });
  });

  it('once it has ended, neither 开始签到 nor 修改/取消 is offered', async () => {
    mockApi({
      'GET /activities/a1': ok({ ...activity, status: 'closed' }),
      'GET /activities/a1/attendance': ok(attendance),
    });
    open();
    expect((await screen.findByTestId('manage-ended')).textContent).toContain('活动已结束');
    expect(screen.queryByTestId('manage-open')).toBeNull();
    expect(screen.queryByTestId('manage-change')).toBeNull();
  });
});
