import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { Activity } from '@pioneer/shared';
import ActivityPage from './index';
import { flushQueue, queuedWrites, resetOfflineSync } from '../../services/offline-queue';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';
import { activity } from '../../../test/activity-fixtures';
import { routeTo } from '../../../test/router';

const signedIn = (signedInAt: string | null): Activity =>
  activity({ topic: null, mine: { expected: true, signedInAt, late: false, leave: null } });

describe('组织生活 · signing in without a network', () => {
  beforeEach(() => {
    login();
    resetOfflineSync();
    routeTo('/pages/activity/index', { id: 'a1' });
  });

  it('when the network is down, then the typed code waits in the queue with its capture time and the page says so; back online it is sent once', async () => {
    let online = false;
    let signedInAt: string | null = null;
    const sent = mockApi({
      'GET /me': ok(buildMe({ roles: ['member'] })),
      'GET /activities/a1': () => ok(signedIn(signedInAt)),
      'POST /activities/a1/signin': () => {
        if (!online) return new Error('request:fail');
        signedInAt = '2026-11-25T01:05:00.000Z';
        return { statusCode: 201, data: { at: signedInAt, late: false, pointsAwarded: 3 } };
      },
    });
    render(<ActivityPage />);
    fireEvent.input(await screen.findByTestId('activity-code'), { target: { value: '123456' } });
    const before = Date.now();
    fireEvent.click(screen.getByTestId('activity-signin'));

    expect((await screen.findByTestId('activity-queued', undefined, { timeout: 5000 })).textContent).toContain(
      '联网后自动提交',
    );
    expect(screen.getByTestId('offline-queue').textContent).toContain('1条待发送');
    expect(screen.getByTestId('offline-queue-item').textContent).toContain('活动签到 · 11月主题党日');
    expect(screen.queryByTestId('activity-signin')).toBeNull();
    // Saved, not failed: no "network" toast, and no leave form beside a sign-in on its way.
    expect(Taro.showToast).not.toHaveBeenCalled();
    expect(screen.queryByTestId('activity-leave')).toBeNull();
    const [item] = queuedWrites();
    expect(item).toMatchObject({ kind: 'activity-signin', path: '/activities/a1/signin', body: { code: '123456' } });
    expect(Date.parse((item!.body as { capturedAt: string }).capturedAt)).toBeGreaterThanOrEqual(before - 1000);

    online = true;
    sent.length = 0;
    await act(async () => {
      window.dispatchEvent(new Event('online'));
      await flushQueue();
    });
    expect((await screen.findByTestId('activity-signed')).textContent).toBe('已签到 09:05');
    const posts = sent.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.header['Idempotency-Key']).toBe(item!.id);
    expect(posts[0]!.data).toEqual(item!.body);
    expect(queuedWrites()).toEqual([]);
  });

  it('when the server refuses the sign-in (not the network), then nothing is queued and its message shows', async () => {
    mockApi({
      'GET /me': ok(buildMe({ roles: ['member'] })),
      'GET /activities/a1': ok(signedIn(null)),
      'POST /activities/a1/signin': {
        statusCode: 422,
        data: { error: { code: 'TOKEN_EXPIRED', message: '签到码已过期或不正确' } },
      },
    });
    render(<ActivityPage />);
    fireEvent.input(await screen.findByTestId('activity-code'), { target: { value: '123456' } });
    fireEvent.click(screen.getByTestId('activity-signin'));
    await waitFor(() => expect(screen.getByTestId('activity-error').textContent).toBe('签到码已过期或不正确'));
    expect(queuedWrites()).toEqual([]);
  });
});
