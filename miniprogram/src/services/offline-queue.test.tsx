import { act, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import OfflineQueue from '../components/OfflineQueue';
import { enqueue, flushQueue, queuedWrites, resetOfflineSync } from './offline-queue';
import { login, mockApi, ok } from '../../test/api-mock';

describe('弱网队列', () => {
  let online = false;
  beforeEach(() => {
    login();
    resetOfflineSync();
    online = false;
  });

  const network = () =>
    mockApi({
      'POST /checkins': () => (online ? ok({ id: 'c1' }) : new Error('request:fail')),
      'POST /quiz/attempts/a1/submit': () => (online ? ok({ id: 'a1' }) : new Error('request:fail')),
    });

  it('when items wait offline, then the UI lists them; when the network returns they are sent once each, with their own keys', async () => {
    const sent = network();
    const a = enqueue({
      kind: 'checkin',
      label: '11月25日 09:02',
      method: 'POST',
      path: '/checkins',
      body: { lat: 1, lng: 2 },
    });
    const b = enqueue({
      kind: 'quiz-submit',
      label: '每日答题',
      method: 'POST',
      path: '/quiz/attempts/a1/submit',
      body: { answers: [] },
    });
    render(<OfflineQueue />);
    // Offline: the startup flush fails at the first item and keeps both.
    await waitFor(() => expect(sent.length).toBeGreaterThan(0));
    expect(await screen.findAllByTestId('offline-queue-item')).toHaveLength(2);
    expect(screen.getByTestId('offline-queue').textContent).toContain('2条待发送');
    expect(queuedWrites()).toHaveLength(2);

    online = true;
    sent.length = 0;
    // Reconnect: the H5 online event fires (twice, as flaky networks do) while a manual flush also runs.
    await act(async () => {
      window.dispatchEvent(new Event('online'));
      window.dispatchEvent(new Event('online'));
      await flushQueue();
    });
    await waitFor(() => expect(screen.queryByTestId('offline-queue')).toBeNull());
    expect(sent.map((r) => [r.path, r.header['Idempotency-Key']])).toEqual([
      ['/checkins', a.id],
      ['/quiz/attempts/a1/submit', b.id],
    ]);
    expect(queuedWrites()).toEqual([]);
    expect(Taro.showToast).toHaveBeenCalledWith({ title: '已补交2条离线记录', icon: 'none' });
  });

  it('when the server refuses a queued item, then it is dropped with its message instead of blocking the queue', async () => {
    online = true;
    mockApi({
      'POST /checkins': { statusCode: 422, data: { error: { code: 'OUT_OF_FENCE', message: '不在打卡范围内' } } },
      'POST /quiz/attempts/a1/submit': ok({ id: 'a1' }),
    });
    enqueue({ kind: 'checkin', label: 'x', method: 'POST', path: '/checkins', body: {} });
    enqueue({ kind: 'quiz-submit', label: 'y', method: 'POST', path: '/quiz/attempts/a1/submit', body: {} });
    const report = await flushQueue();
    expect(report.sent).toHaveLength(1);
    expect(report.refused[0]!.message).toBe('不在打卡范围内');
    expect(queuedWrites()).toEqual([]);
  });

  it('when the server says wait (429) or is restarting (503), then the items stay queued for the next flush', async () => {
    online = true;
    let answer: { statusCode: number; data: unknown } = {
      statusCode: 429,
      data: { error: { code: 'RATE_LIMITED', message: '操作太频繁，请稍后再试' } },
    };
    mockApi({ 'POST /checkins': () => answer });
    enqueue({ kind: 'checkin', label: 'x', method: 'POST', path: '/checkins', body: {} });
    expect((await flushQueue()).refused).toEqual([]);
    expect(queuedWrites()).toHaveLength(1);
    answer = { statusCode: 503, data: { error: { code: 'UNAVAILABLE', message: '服务暂不可用' } } };
    await flushQueue();
    expect(queuedWrites()).toHaveLength(1);
  });
});
