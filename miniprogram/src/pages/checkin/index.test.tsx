import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { CheckinResult } from '@pioneer/shared';
import { gcj02ToWgs84 } from '@pioneer/shared/src/geo';
import { dayKey } from '@pioneer/shared/src/time';
import CheckinPage from './index';
import { buildMe, login, mockApi, ok, type SentRequest } from '../../../test/api-mock';
import { cadre, emptyMonth, FENCE } from '../../../test/checkin-fixtures';

function result(over: Partial<CheckinResult> = {}): CheckinResult {
  return {
    id: 'c1',
    at: new Date().toISOString(),
    day: dayKey(Date.now()),
    status: 'valid',
    distanceM: 12,
    withinFence: true,
    accuracy: 15,
    flags: [],
    reason: null,
    review: null,
    village: { id: 'v1', name: '青山村', type: 'village' },
    pointsAwarded: 1,
    ...over,
  };
}

const getLocation = Taro.getLocation as unknown as jest.Mock;
const sentCheckins = (sent: SentRequest[]) =>
  sent.filter((r) => r.method === 'POST' && r.path === '/checkins').map((r) => r.data as Record<string, unknown>);

/** The browser's geolocation in H5, set to one WGS-84 fix (or a failure code). */
function browserAt(p: { lat: number; lng: number; accuracy?: number } | { code: number }) {
  Object.defineProperty(navigator, 'geolocation', {
    configurable: true,
    value: {
      getCurrentPosition: (ok: PositionCallback, fail: PositionErrorCallback) =>
        'code' in p
          ? fail({ code: p.code, message: 'x' } as GeolocationPositionError)
          : ok({ coords: { latitude: p.lat, longitude: p.lng, accuracy: p.accuracy ?? 20 } } as GeolocationPosition),
    },
  });
}

describe('驻村打卡 in WeChat (Taro.getLocation, GCJ-02)', () => {
  const env = process.env.TARO_ENV;
  beforeEach(() => {
    login();
    process.env.TARO_ENV = 'weapp';
  });
  afterEach(() => {
    process.env.TARO_ENV = env;
  });

  it('when I stand inside the fence and tap 打卡, then it sends my GCJ-02 fix and shows success with the point', async () => {
    getLocation.mockResolvedValue({ latitude: 30.5448, longitude: 119.9753, accuracy: 15 });
    const sent = mockApi({
      'GET /me': ok(cadre()),
      'GET /checkins/mine': ok(emptyMonth),
      'POST /checkins': { statusCode: 201, data: result() },
    });
    render(<CheckinPage />);

    expect((await screen.findByText('已在打卡范围内')).textContent).toBe('已在打卡范围内');
    expect(screen.getByTestId('checkin-distance').textContent).toContain('距打卡点15米');
    expect(screen.getByTestId('checkin-village').textContent).toBe('青山村');
    expect(screen.getByTestId('fence-map')).toBeTruthy();
    fireEvent.click(screen.getByTestId('checkin-button'));

    expect((await screen.findByTestId('checkin-result')).textContent).toContain('打卡成功');
    expect(screen.getByTestId('checkin-points').textContent).toBe('积分 +1');
    expect(getLocation).toHaveBeenCalledWith(expect.objectContaining({ type: 'gcj02' }));
    expect(sentCheckins(sent)).toEqual([
      expect.objectContaining({ lat: 30.5448, lng: 119.9753, accuracy: 15, coordType: 'gcj02' }),
    ]);
  });

  it('when there is no network, then the check-in is kept in the offline queue with its capture time and shown as waiting', async () => {
    getLocation.mockResolvedValue({ latitude: 30.5448, longitude: 119.9753, accuracy: 15 });
    mockApi({
      'GET /me': ok(cadre()),
      'GET /checkins/mine': ok(emptyMonth),
      'POST /checkins': new Error('request:fail'),
    });
    render(<CheckinPage />);
    await screen.findByText('已在打卡范围内');
    fireEvent.click(screen.getByTestId('checkin-button'));
    expect((await screen.findByTestId('checkin-queued', {}, { timeout: 4000 })).textContent).toContain(
      '联网后自动提交',
    );
    const queued = Taro.getStorageSync('offlineQueue') as Array<{
      kind: string;
      path: string;
      body: { lat: number; capturedAt: string };
    }>;
    expect(queued).toEqual([
      expect.objectContaining({
        kind: 'checkin',
        path: '/checkins',
        body: expect.objectContaining({ lat: 30.5448, capturedAt: expect.any(String) }),
      }),
    ]);
    expect(screen.getByTestId('offline-queue').textContent).toContain('1条待发送');
  });

  it('when location permission is refused, then it says how to allow it and does not send anything', async () => {
    getLocation.mockRejectedValue({ errMsg: 'getLocation:fail auth deny' });
    const sent = mockApi({ 'GET /me': ok(cadre()), 'GET /checkins/mine': ok(emptyMonth) });
    render(<CheckinPage />);
    await waitFor(() => expect(screen.getByTestId('checkin-distance').textContent).toContain('没有定位权限'));
    fireEvent.click(screen.getByTestId('checkin-button'));
    await waitFor(() => expect(getLocation).toHaveBeenCalledTimes(2));
    expect(sentCheckins(sent)).toEqual([]);
  });
});

describe('驻村打卡 in H5 (browser geolocation, WGS-84)', () => {
  beforeEach(() => login());

  it('when I am outside, then 打卡 brings the reason prompt; with a reason it is sent again and is pending', async () => {
    const outside = gcj02ToWgs84({ lat: FENCE.lat + 0.02, lng: FENCE.lng });
    browserAt(outside);
    const sent = mockApi({
      'GET /me': ok(cadre()),
      'GET /checkins/mine': ok(emptyMonth),
      'POST /checkins': (req) =>
        (req.data as { reason?: string }).reason
          ? {
              statusCode: 201,
              data: result({
                status: 'pending',
                withinFence: false,
                distanceM: 2224,
                reason: '到镇里开会',
                pointsAwarded: 0,
              }),
            }
          : {
              statusCode: 422,
              data: {
                error: {
                  code: 'OUT_OF_FENCE',
                  message: '距青山村打卡点约2224米，超出600米范围。如在外勤，请填写说明后提交审核',
                },
              },
            },
    });
    render(<CheckinPage />);

    expect((await screen.findByText('不在打卡范围内')).textContent).toBeTruthy();
    expect(screen.getByTestId('checkin-distance').textContent).toContain('2.2公里');
    fireEvent.click(screen.getByTestId('checkin-button'));
    const prompt = await screen.findByTestId('checkin-reason');
    expect(prompt.textContent).toContain('超出600米范围');
    const submit = screen.getByTestId('checkin-reason-submit');
    fireEvent.click(submit);
    expect(sentCheckins(sent)).toHaveLength(1);

    fireEvent.change(screen.getByTestId('checkin-reason-input'), { target: { value: ' 到镇里开会 ' } });
    fireEvent.click(screen.getByTestId('checkin-reason-submit'));
    expect((await screen.findByTestId('checkin-result')).textContent).toContain('等待支部书记审核');
    const bodies = sentCheckins(sent);
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toMatchObject({ lat: outside.lat, lng: outside.lng, coordType: 'wgs84', reason: '到镇里开会' });
    expect(getLocation).not.toHaveBeenCalled();
  });

  it('when the server refuses the accuracy, then its message is shown', async () => {
    browserAt({ ...gcj02ToWgs84(FENCE), accuracy: 800 });
    mockApi({
      'GET /me': ok(cadre()),
      'GET /checkins/mine': ok(emptyMonth),
      'POST /checkins': {
        statusCode: 422,
        data: { error: { code: 'LOCATION_INACCURATE', message: '定位精度约800米，需在300米以内，请到开阔处重新定位' } },
      },
    });
    render(<CheckinPage />);
    expect((await screen.findByText('已在打卡范围内')).textContent).toBeTruthy();
    expect(screen.getByTestId('checkin-distance').textContent).toContain('定位精度不足');
    fireEvent.click(screen.getByTestId('checkin-button'));
    expect((await screen.findByTestId('checkin-error')).textContent).toContain('300米以内');
  });

  it('when I am not a cadre, or my village has no fence, then it says why and never asks for my location', async () => {
    const spy = jest.fn();
    Object.defineProperty(navigator, 'geolocation', { configurable: true, value: { getCurrentPosition: spy } });
    mockApi({ 'GET /me': ok(buildMe()) });
    const { unmount } = render(<CheckinPage />);
    expect((await screen.findByTestId('page-empty')).textContent).toContain('驻村打卡只对驻村干部开放');
    unmount();

    mockApi({ 'GET /me': ok(cadre({ postedVillage: { id: 'v1', name: '青山村', type: 'village', fence: null } })) });
    render(<CheckinPage />);
    expect((await screen.findByTestId('page-empty')).textContent).toContain('青山村尚未设置打卡范围');
    expect(spy).not.toHaveBeenCalled();
  });

  it('when geolocation times out, then it says so', async () => {
    browserAt({ code: 3 });
    mockApi({ 'GET /me': ok(cadre()), 'GET /checkins/mine': ok(emptyMonth) });
    render(<CheckinPage />);
    await waitFor(() => expect(screen.getByTestId('checkin-distance').textContent).toContain('定位超时'));
  });
});
