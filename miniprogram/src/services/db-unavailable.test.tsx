import { fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import CheckinPage from '../pages/checkin/index';
import { ApiError } from './api-error';
import { enqueue, flushQueue, queuedWrites, resetOfflineSync } from './offline-queue';
import { request } from './request';
import { login, mockApi, ok } from '../../test/api-mock';
import { cadre, emptyMonth } from '../../test/checkin-fixtures';

/** What the server answers while its database is away (issue 23): 503 DB_UNAVAILABLE with Retry-After, nothing written. */
const dbUnavailable = {
  statusCode: 503,
  data: { error: { code: 'DB_UNAVAILABLE', message: '服务正在恢复，请稍后重试' } },
};

describe('the server answers 503 DB_UNAVAILABLE (its database restarting): an offline moment, not a refusal', () => {
  const env = process.env.TARO_ENV;
  beforeEach(() => {
    login();
    process.env.TARO_ENV = 'weapp';
  });
  afterEach(() => {
    process.env.TARO_ENV = env;
    resetOfflineSync();
    jest.useRealTimers();
  });

  it('when a request gets 503, then the ApiError carries the code and counts as offline (the write is worth keeping)', async () => {
    mockApi({ 'POST /checkins': dbUnavailable });
    const err = await request({ method: 'POST', path: '/checkins', body: {}, quiet: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'DB_UNAVAILABLE', status: 503, isNetwork: true });
  });

  it('when a check-in gets 503, then it is kept in the offline queue and shown as waiting, and a flush while still 503 keeps it', async () => {
    (Taro.getLocation as unknown as jest.Mock).mockResolvedValue({
      latitude: 30.5448,
      longitude: 119.9753,
      accuracy: 15,
    });
    mockApi({ 'GET /me': ok(cadre()), 'GET /checkins/mine': ok(emptyMonth), 'POST /checkins': dbUnavailable });
    render(<CheckinPage />);
    await screen.findByText('已在打卡范围内');
    fireEvent.click(screen.getByTestId('checkin-button'));
    expect((await screen.findByTestId('checkin-queued', {}, { timeout: 4000 })).textContent).toContain(
      '联网后自动提交',
    );
    expect(queuedWrites()).toEqual([expect.objectContaining({ kind: 'checkin', path: '/checkins' })]);

    expect((await flushQueue()).refused).toEqual([]);
    expect(queuedWrites()).toHaveLength(1);
  });

  it('when a write was queued after a 503, then the queue sends it by itself once the server is back: 5 s, then 10 s later (no network event comes)', async () => {
    jest.useFakeTimers();
    let back = false;
    const sent = mockApi({ 'POST /checkins': () => (back ? ok({ id: 'c1' }) : dbUnavailable) });
    await request({ method: 'POST', path: '/checkins', body: {}, quiet: true }).catch(() => undefined);
    enqueue({ kind: 'checkin', label: '11月25日 09:02', method: 'POST', path: '/checkins', body: {} });

    await jest.advanceTimersByTimeAsync(4_900);
    expect(sent).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(100);
    expect(sent).toHaveLength(2); // still 503: kept, next try 10 s later
    expect(queuedWrites()).toHaveLength(1);

    back = true;
    await jest.advanceTimersByTimeAsync(9_900);
    expect(sent).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(100);
    expect(sent).toHaveLength(3);
    expect(queuedWrites()).toEqual([]);
  });

  it('when a write is queued for want of a network (no 503 seen), then nothing is retried on a timer: it waits for the network', async () => {
    jest.useFakeTimers();
    const sent = mockApi({ 'POST /checkins': new Error('request:fail') });
    jest.setSystemTime(Date.now() + 60_000); // the 503s of the tests above are long past
    enqueue({ kind: 'checkin', label: '11月25日 09:02', method: 'POST', path: '/checkins', body: {} });
    await flushQueue();
    await jest.advanceTimersByTimeAsync(120_000);
    expect(sent).toHaveLength(1);
    expect(queuedWrites()).toHaveLength(1);
  });
});
