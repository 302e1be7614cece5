import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import * as taroMock from '@tarojs/taro';
import type { VideoView, WatchSession } from '@pioneer/shared';
import VideoPage from './index';
import { login, mockApi, ok } from '../../../test/api-mock';

const video: VideoView = {
  id: 'v1',
  title: '红旗渠精神',
  topic: '党史',
  poster: null,
  source: '',
  orgId: 'c1',
  orgName: '青山县',
  seconds: 12,
  publishedAt: '2026-11-29T01:00:00.000Z',
  src: '/api/v1/study/videos/v1/stream?t=abc',
  paid: false,
  watched: false,
  fav: false,
};
const watch = (over: Partial<WatchSession> = {}): WatchSession => ({
  id: 'w1',
  videoId: 'v1',
  seconds: 12,
  watchedSeconds: 0,
  needSeconds: 10,
  running: false,
  completed: false,
  position: 0,
  ...over,
});

function open() {
  jest
    .spyOn(taroMock, 'useRouter')
    .mockReturnValue({ params: { id: 'v1' }, path: '/pages/video/index' } as unknown as ReturnType<
      typeof taroMock.useRouter
    >);
  return render(<VideoPage />);
}

describe('学习视频 player', () => {
  beforeEach(() => login());
  afterEach(() => jest.useRealTimers());

  it('beats while playing (at once, then every 5 s), pauses on pause and when hidden, and shows the server’s refusal', async () => {
    let watched = 0;
    const sent = mockApi({
      'GET /study/videos/v1': ok(video),
      'POST /study/videos/v1/watches': { statusCode: 201, data: watch() },
      'POST /study/watches/w1/beat': () => ok(watch({ running: true, watchedSeconds: (watched += 5) })),
      'POST /study/watches/w1/pause': ok(watch({ watchedSeconds: watched })),
      'POST /study/watches/w1/complete': {
        statusCode: 422,
        data: { error: { code: 'WATCH_TOO_SHORT', message: '观看时间不足，还需观看 5 秒' } },
      },
    });
    open();
    const player = await screen.findByTestId('video-player');
    expect(player.getAttribute('src')).toBe('/api/v1/study/videos/v1/stream?t=abc');
    await waitFor(() => expect(screen.getByTestId('video-finish').textContent).toBe('看完了（还需约 10 秒）'));
    const paths = () => sent.map((r) => r.path);
    expect(paths()).not.toContain('/study/watches/w1/beat'); // not playing yet: nothing counts

    jest.useFakeTimers();
    act(() => void fireEvent.play(player));
    await waitFor(() => expect(paths().filter((p) => p.endsWith('/beat'))).toHaveLength(1));
    await act(async () => void jest.advanceTimersByTime(5000));
    await waitFor(() => expect(paths().filter((p) => p.endsWith('/beat'))).toHaveLength(2));
    act(() => void fireEvent.pause(player));
    await waitFor(() => expect(paths()).toContain('/study/watches/w1/pause'));
    await act(async () => void jest.advanceTimersByTime(20_000));
    expect(paths().filter((p) => p.endsWith('/beat'))).toHaveLength(2); // paused: no more beats

    // Hidden while playing: the watching is paused, and no beat goes out until it is in front again.
    act(() => void fireEvent.play(player));
    await waitFor(() => expect(paths().filter((p) => p.endsWith('/beat'))).toHaveLength(3));
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    act(() => void document.dispatchEvent(new Event('visibilitychange')));
    await waitFor(() => expect(paths().filter((p) => p.endsWith('/pause'))).toHaveLength(2));
    await act(async () => void jest.advanceTimersByTime(20_000));
    expect(paths().filter((p) => p.endsWith('/beat'))).toHaveLength(3);
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    act(() => void document.dispatchEvent(new Event('visibilitychange')));
    await waitFor(() => expect(paths().filter((p) => p.endsWith('/beat'))).toHaveLength(4));
    jest.useRealTimers();

    fireEvent.click(screen.getByTestId('video-finish'));
    expect((await screen.findByTestId('video-refused')).textContent).toBe('观看时间不足，还需观看 5 秒');
  });

  it('when the server pays, it says +1; 收藏 toggles through the API', async () => {
    const sent = mockApi({
      'GET /study/videos/v1': ok(video),
      'POST /study/videos/v1/watches': { statusCode: 201, data: watch({ watchedSeconds: 10 }) },
      'POST /study/watches/w1/complete': ok({
        session: watch({ completed: true, watchedSeconds: 11 }),
        awarded: 1,
        unpaid: null,
      }),
      'PUT /study/favs/v1': ok({ id: 'v1', fav: true }),
    });
    open();
    // "看完了" also shows before the watch session exists (disabled): wait for the session the server opened.
    await waitFor(() => expect(screen.getByTestId('video-clock').textContent).toContain('已观看 10 秒'));
    expect(screen.getByTestId('video-finish').textContent).toBe('看完了');
    fireEvent.click(screen.getByTestId('video-finish'));
    expect((await screen.findByTestId('video-result')).textContent).toBe('看完了，+1 积分，已计入今日学习');
    expect(screen.getByTestId('video-clock').textContent).toBe('本次计时 11 秒');
    fireEvent.click(screen.getByTestId('study-fav'));
    await waitFor(() => expect(screen.getByTestId('study-fav').textContent).toBe('★ 已收藏'));
    expect(sent.some((r) => r.method === 'PUT' && r.path === '/study/favs/v1')).toBe(true);
  });
});
