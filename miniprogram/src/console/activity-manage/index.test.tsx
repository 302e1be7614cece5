import { fireEvent, render, screen } from '@testing-library/react';
import * as taroMock from '@tarojs/taro';
import type { Activity, Attendance, QrReply } from '@pioneer/shared';
import ActivityManagePage from './index';
import { login, mockApi, ok } from '../../../test/api-mock';

const activity: Activity = {
  id: 'a1',
  branchId: 'b1',
  branchName: '红旗村党支部',
  type: 'theme_day',
  title: '11月主题党日',
  topic: null,
  startsAt: '2026-11-25T01:00:00.000Z',
  endsAt: '2026-11-25T03:00:00.000Z',
  place: null,
  status: 'open',
  expectedCount: 3,
  signedInCount: 0,
  minutes: null,
  mine: { expected: true, signedInAt: null, late: false, leave: null },
};
const attendance: Attendance = { present: [], late: [], onLeave: [], absent: [], pendingLeave: [] };
const qr: QrReply = {
  token: 'jwt.token.sig',
  code: '482913',
  expiresAt: '2026-11-25T01:05:30.000Z',
  qrDataUrl: 'data:image/png;base64,iVBORw0KGgo=',
};

function open() {
  jest
    .spyOn(taroMock, 'useRouter')
    .mockReturnValue({ params: { id: 'a1' }, path: '/console/activity-manage/index' } as unknown as ReturnType<
      typeof taroMock.useRouter
    >);
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
