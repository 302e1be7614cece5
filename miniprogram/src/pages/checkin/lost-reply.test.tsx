import { act, fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { dayKey } from '@pioneer/shared/src/time';
import CheckinPage from './index';
import { flushQueue, resetOfflineSync } from '../../services/offline-queue';
import { login, mockApi, ok, type SentRequest } from '../../../test/api-mock';
import { cadre, emptyMonth } from '../../../test/checkin-fixtures';

/**
 * The server's side of a lost reply, as the API behaves: a check-in is stored under its Idempotency-Key (its id
 * derives from it; server/test/checkins.test.ts "same Idempotency-Key ... recorded once"), and a repeated key gets
 * the first reply. While `replyLost`, every send is stored but its reply never reaches the phone.
 */
function server() {
  const stored = new Map<string, { id: string }>();
  let replyLost = true;
  const sent = mockApi({
    'GET /me': ok(cadre()),
    'GET /checkins/mine': ok(emptyMonth),
    'POST /checkins': (req: SentRequest) => {
      const key = req.header['Idempotency-Key']!;
      if (!stored.has(key)) stored.set(key, { id: `c${stored.size + 1}` });
      if (replyLost) return new Error('request:fail timeout');
      return {
        statusCode: 201,
        data: { ...stored.get(key), day: dayKey(Date.now()), status: 'valid', pointsAwarded: 1 },
      };
    },
  });
  return { stored, sent, reconnect: () => (replyLost = false) };
}

describe('驻村打卡 whose reply was lost', () => {
  const env = process.env.TARO_ENV;
  beforeEach(() => {
    login();
    resetOfflineSync();
    process.env.TARO_ENV = 'weapp';
    (Taro.getLocation as unknown as jest.Mock).mockResolvedValue({
      latitude: 30.5448,
      longitude: 119.9753,
      accuracy: 15,
    });
  });
  afterEach(() => {
    process.env.TARO_ENV = env;
  });

  it('when the first reply is dropped, the check-in queued and resent, then the resend carries the same key and the check-in exists once', async () => {
    const api = server();
    render(<CheckinPage />);
    await screen.findByText('已在打卡范围内');
    fireEvent.click(screen.getByTestId('checkin-button'));
    await screen.findByTestId('checkin-queued', {}, { timeout: 5000 });
    expect(api.stored.size).toBe(1);

    api.reconnect();
    let report = { sent: [] as unknown[] };
    await act(async () => {
      report = await flushQueue();
    });
    expect(report.sent).toHaveLength(1);
    const keys = api.sent
      .filter((r) => r.method === 'POST' && r.path === '/checkins')
      .map((r) => r.header['Idempotency-Key']);
    // The first send and its two retries, then the queued resend: one key for the one tap.
    expect(keys).toHaveLength(4);
    expect(new Set(keys).size).toBe(1);
    expect([...api.stored.values()]).toEqual([{ id: 'c1' }]);
  }, 30_000);
});
