import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import Study from './index';
import { login, mockApi, ok } from '../../../test/api-mock';
import { quizToday } from '../../../test/quiz-fixtures';

describe('学习 tab', () => {
  beforeEach(() => login());

  it("when today's daily quiz is done, then the big card says so with today's points and offers 再练一次", async () => {
    mockApi({ 'GET /quiz/today': ok(quizToday({ daily: { done: true, pointsToday: 4 }, weekly: { done: true } })) });
    render(<Study />);

    const daily = await screen.findByTestId('study-daily');
    expect(daily.textContent).toContain('✓ 今日已完成');
    expect(screen.getByTestId('study-daily-points').textContent).toBe('4');
    expect(screen.getByTestId('study-daily-start').textContent).toBe('再练一次');
    expect(screen.getByTestId('study-weekly-start').textContent).toBe('再练一次');
    expect(screen.getByText('✓ 本周已完成')).toBeTruthy();

    fireEvent.click(screen.getByTestId('study-daily-start'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/quiz/index?kind=daily' });
  });

  it('when nothing is done yet, then each card invites me to start, with its rule', async () => {
    mockApi({ 'GET /quiz/today': ok(quizToday()) });
    render(<Study />);

    expect((await screen.findByTestId('study-daily-start')).textContent).toBe('开始答题');
    expect(screen.getByTestId('study-daily').textContent).toContain('今日未完成');
    expect(screen.getByText('连续答对5题得3分，每天一次，答错即结束')).toBeTruthy();
    expect(screen.getByTestId('study-challenge-start').textContent).toBe('开始挑战');

    fireEvent.click(screen.getByTestId('study-weekly-start'));
    fireEvent.click(screen.getByTestId('study-challenge-start'));
    expect(Taro.navigateTo).toHaveBeenNthCalledWith(1, { url: '/pages/quiz/index?kind=weekly' });
    expect(Taro.navigateTo).toHaveBeenNthCalledWith(2, { url: '/pages/quiz/index?kind=challenge' });
  });

  it('when there are topics and mistakes, then each topic shows its size and done mark, and 错题本 its count', async () => {
    mockApi({ 'GET /quiz/today': ok(quizToday()) });
    render(<Study />);

    const done = await screen.findByTestId('study-topic-党章');
    expect(done.textContent).toContain('40 题');
    expect(done.textContent).toContain('已完成');
    expect(screen.getByTestId('study-topic-党史').textContent).not.toContain('已完成');
    expect(screen.getByTestId('study-mistakes').textContent).toContain('3 道错题');

    fireEvent.click(done);
    fireEvent.click(screen.getByTestId('study-mistakes'));
    expect(Taro.navigateTo).toHaveBeenNthCalledWith(1, {
      url: '/pages/quiz/index?kind=topic&topic=%E5%85%9A%E7%AB%A0',
    });
    expect(Taro.navigateTo).toHaveBeenNthCalledWith(2, { url: '/pages/mistakes/index' });
  });

  it('when the rules are shown, then every amount is filled in: no raw {v} template on any card (issue 15)', async () => {
    mockApi({ 'GET /quiz/today': ok(quizToday()) });
    const { container } = render(<Study />);

    await screen.findByTestId('study-weekly-start');
    expect(container.textContent).not.toContain('{v}');
    expect(container.textContent).toContain('每答对1题得1分，每周一次');
    expect(container.textContent).toContain('每答对1题得1分，每个专题一次');
  });

  it('when there is no session, then it asks me to log in without calling the API', async () => {
    Taro.removeStorageSync('token');
    const sent = mockApi({});
    await act(async () => {
      render(<Study />);
    });
    expect(screen.getByText('请先登录')).toBeTruthy();
    expect(sent).toHaveLength(0);
  });

  it('the daily study card shows today’s readings and quiz points as the server counted them, then articles with 已学', async () => {
    const sent = mockApi({
      'GET /quiz/today': ok(quizToday()),
      'GET /study/today': ok({
        day: '2026-11-29',
        read: { count: 2, cap: 6, points: 2 },
        watch: { count: 1, cap: 6, points: 1 },
        daily: { done: true, points: 4 },
        weekly: { done: false, points: 0 },
        challenge: { done: true, points: 3 },
        total: 10,
      }),
      'GET /study/articles': ok({
        items: [
          { id: 'a1', title: '周一晨读', topic: '三会一课', orgName: '青山县', minSeconds: 40, read: true },
          { id: 'a2', title: '红色故事', topic: '党史', orgName: '青山县', minSeconds: 90, read: false },
        ],
      }),
    });
    render(<Study />);
    expect((await screen.findByTestId('today-read')).textContent).toBe('阅读文章2/6+2分');
    expect(screen.getByTestId('today-watch').textContent).toBe('观看视频1/6+1分');
    expect(screen.getByTestId('today-daily').textContent).toBe('每日答题已完成+4分');
    expect(screen.getByTestId('today-challenge').textContent).toBe('挑战答题今日已挑战+3分');
    expect(screen.getByTestId('today-total').textContent).toBe('今日学习得分 10');
    expect((await screen.findByTestId('study-article-a1')).textContent).toContain('✓ 已学');
    expect(screen.getByTestId('study-article-a2').textContent).not.toContain('已学');

    fireEvent.click(screen.getByTestId('study-topic-chip-党史'));
    await waitFor(() => expect(sent.some((r) => r.path === '/study/articles' && r.query.topic === '党史')).toBe(true));
    fireEvent.click(screen.getByTestId('study-article-a2'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/article/index?id=a2' });
  });

  it('searches titles, lists only 收藏, and switches to 学习视频, which open the player', async () => {
    const sent = mockApi({
      'GET /quiz/today': ok(quizToday()),
      'GET /study/today': ok({
        day: '2026-11-29',
        read: { count: 0, cap: 6, points: 0 },
        watch: { count: 0, cap: 6, points: 0 },
        daily: { done: false, points: 0 },
        weekly: { done: false, points: 0 },
        challenge: { done: false, points: 0 },
        total: 0,
      }),
      'GET /study/articles': ok({ items: [] }),
      'GET /study/videos': ok({
        items: [{ id: 'v1', title: '红旗渠', topic: '党史', orgName: '青山县', seconds: 12, watched: true, fav: true }],
      }),
    });
    render(<Study />);
    fireEvent.change(await screen.findByTestId('study-search'), { target: { value: '晨读' } });
    fireEvent.click(screen.getByTestId('study-search-go'));
    await waitFor(() => expect(sent.some((r) => r.path === '/study/articles' && r.query.q === '晨读')).toBe(true));
    expect((await screen.findByTestId('study-list-empty')).textContent).toBe('没有标题含“晨读”的文章');
    fireEvent.click(screen.getByTestId('study-fav-filter'));
    await waitFor(() =>
      expect(sent.some((r) => r.path === '/study/articles' && r.query.fav === '1' && r.query.q === '晨读')).toBe(true),
    );
    fireEvent.click(screen.getByTestId('study-kind-videos'));
    const video = await screen.findByTestId('study-video-v1');
    expect(video.textContent).toContain('★ 红旗渠');
    expect(video.textContent).toContain('12秒');
    expect(video.textContent).toContain('✓ 已学');
    fireEvent.click(video);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/video/index?id=v1' });
  });
});
