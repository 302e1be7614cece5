import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import * as taroMock from '@tarojs/taro';
import type { ArticleView, ReadingSession } from '@pioneer/shared';
import ArticlePage from './index';
import { speakableText, speechChunks } from './listen';
import { login, mockApi, ok } from '../../../test/api-mock';

const article = (over: Partial<ArticleView> = {}): ArticleView => ({
  id: 'a1',
  title: '周一晨读',
  topic: '三会一课',
  cover: null,
  source: '县委组织部',
  orgId: 'c1',
  orgName: '青山县',
  chars: 600,
  minSeconds: 40,
  publishedAt: '2026-11-29T01:00:00.000Z',
  body: '<p>第一段</p><p>第二段 &amp; 结尾</p>',
  paid: false,
  read: false,
  ...over,
});
const session = (over: Partial<ReadingSession> = {}): ReadingSession => ({
  id: 's1',
  articleId: 'a1',
  minSeconds: 40,
  activeSeconds: 0,
  running: true,
  completed: false,
  ...over,
});

function open() {
  jest
    .spyOn(taroMock, 'useRouter')
    .mockReturnValue({ params: { id: 'a1' }, path: '/pages/article/index' } as unknown as ReturnType<
      typeof taroMock.useRouter
    >);
  return render(<ArticlePage />);
}

describe('学习文章 reader', () => {
  beforeEach(() => login());

  it('when opened, then a reading session starts; when the page is hidden it is paused, when shown again resumed', async () => {
    const sent = mockApi({
      'GET /study/articles/a1': ok(article()),
      'POST /study/articles/a1/sessions': { statusCode: 201, data: session() },
      'POST /study/sessions/s1/pause': ok(session({ running: false })),
      'POST /study/sessions/s1/resume': ok(session()),
    });
    open();
    expect((await screen.findByTestId('article-title')).textContent).toBe('周一晨读');
    await waitFor(() => expect(sent.some((r) => r.path === '/study/articles/a1/sessions')).toBe(true));
    await waitFor(() => expect(screen.getByTestId('article-finish').textContent).toContain('还需约'));

    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    act(() => void document.dispatchEvent(new Event('visibilitychange')));
    await waitFor(() => expect(sent.map((r) => r.path)).toContain('/study/sessions/s1/pause'));
    expect(screen.getByTestId('article-clock').textContent).toBe('已暂停计时');

    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    act(() => void document.dispatchEvent(new Event('visibilitychange')));
    await waitFor(() => expect(sent.map((r) => r.path)).toContain('/study/sessions/s1/resume'));
  });

  it('when the page is hidden while its session is still opening, then the session is paused as soon as it exists', async () => {
    let openSession: (r: { statusCode: number; data: ReadingSession }) => void = () => undefined;
    const sent = mockApi({
      'GET /study/articles/a1': ok(article()),
      'POST /study/articles/a1/sessions': () => new Promise((resolve) => (openSession = resolve)),
      'POST /study/sessions/s1/pause': ok(session({ running: false })),
    });
    open();
    await waitFor(() => expect(sent.some((r) => r.path === '/study/articles/a1/sessions')).toBe(true));
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    act(() => void document.dispatchEvent(new Event('visibilitychange')));
    await act(async () => openSession({ statusCode: 201, data: session() }));
    await waitFor(() => expect(sent.map((r) => r.path)).toContain('/study/sessions/s1/pause'));
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
  });

  it('when 读完了 is pressed too early, then the server’s refusal is shown; when it pays, then +1 is shown', async () => {
    let early = true;
    const sent = mockApi({
      'GET /study/articles/a1': ok(article()),
      'POST /study/articles/a1/sessions': { statusCode: 201, data: session() },
      'POST /study/sessions/s1/complete': () =>
        early
          ? { statusCode: 422, data: { error: { code: 'READ_TOO_SHORT', message: '阅读时间不足，还需阅读 35 秒' } } }
          : ok({ session: session({ completed: true }), awarded: 1, unpaid: null }),
    });
    open();
    // Enabled once the server's session is open: the label then counts down the minimum.
    await waitFor(() => expect(screen.getByTestId('article-finish').textContent).toContain('还需约'));
    fireEvent.click(screen.getByTestId('article-finish'));
    expect((await screen.findByTestId('article-refused')).textContent).toBe('阅读时间不足，还需阅读 35 秒');
    expect(sent.find((r) => r.path === '/study/sessions/s1/complete')?.data).toEqual({ reachedEnd: true });

    early = false;
    fireEvent.click(screen.getByTestId('article-finish'));
    expect((await screen.findByTestId('article-result')).textContent).toBe('读完了，+1 积分，已计入今日学习');
  });

  it('reads the words aloud without the markup', () => {
    expect(speakableText('<h3>标题</h3><p>第一段</p><p>甲 &amp; 乙</p>')).toBe('标题。 第一段。 甲 & 乙。');
  });

  it('cuts the text for WeChat’s speech plugin at sentence ends, never over the size it takes', () => {
    const text = `${'党员要牢记初心使命。'.repeat(30)}尾句`;
    const chunks = speechChunks(text, 50);
    expect(chunks.join('')).toBe(text);
    expect(chunks.every((c) => c.length <= 50)).toBe(true);
    expect(chunks.slice(0, -1).every((c) => c.endsWith('。'))).toBe(true);
    expect(speechChunks('一'.repeat(120), 50).map((c) => c.length)).toEqual([50, 50, 20]);
  });
});
