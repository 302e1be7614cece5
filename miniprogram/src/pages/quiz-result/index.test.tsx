import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import * as taroMock from '@tarojs/taro';
import QuizResult, { pointsText } from './index';
import { clearResults, saveResult } from '../../services/quiz-result-store';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';
import { attemptResult } from '../../../test/quiz-fixtures';

function open(id = 'att1') {
  jest
    .spyOn(taroMock, 'useRouter')
    .mockReturnValue({ params: { id }, path: '/pages/quiz-result/index' } as unknown as ReturnType<
      typeof taroMock.useRouter
    >);
  return render(<QuizResult />);
}

const api = () =>
  mockApi({
    'GET /me': ok(buildMe()),
    'GET /leaderboards/members': ok({ scope: 'b1', period: 'month', items: [], me: { rank: 2, points: 14 } }),
  });

describe('quiz result page', () => {
  beforeEach(() => {
    login();
    clearResults();
  });
  afterEach(() => jest.restoreAllMocks());

  it('when a paper was handed in, then it shows score, points, my new branch rank and each question with answer and explanation', async () => {
    saveResult({ result: attemptResult(), pays: true });
    const sent = api();
    open();

    expect(screen.getByTestId('result-score').textContent).toBe('答对 1 / 2 题');
    expect(screen.getByTestId('result-points').textContent).toBe('+1 积分');
    expect(await screen.findByText('第2名')).toBeTruthy();
    expect(screen.getByTestId('result-rank').textContent).toBe('第2名');
    expect(sent.find((r) => r.path === '/leaderboards/members')?.query).toMatchObject({
      scope: 'b1',
      period: 'month',
      limit: '0',
    });

    const items = screen.getAllByTestId('result-item');
    expect(items).toHaveLength(2);
    expect(items[0].textContent).toContain('✓ 答对');
    expect(items[0].textContent).toContain('党章总纲：党的最高理想和最终目标是实现共产主义。');
    const wrong = within(items[1]);
    expect(wrong.getByText('✗ 答错')).toBeTruthy();
    expect(wrong.getByText('我的答案：B')).toBeTruthy();
    expect(wrong.getByText('正确答案：A')).toBeTruthy();
    expect(wrong.getByText('我的选择')).toBeTruthy();
    expect(wrong.getByText('按期交纳党费是党员的义务。')).toBeTruthy();

    fireEvent.click(screen.getByTestId('result-mistakes'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/mistakes/index' });
    fireEvent.click(screen.getByTestId('result-back'));
    expect(Taro.switchTab).toHaveBeenCalledWith({ url: '/pages/study/index' });
  });

  it('when the attempt was practice, then the points line says 本次不计分', async () => {
    saveResult({ result: attemptResult({ pointsAwarded: 0 }), pays: false });
    api();
    open();
    expect(screen.getByTestId('result-points').textContent).toBe('本次不计分');
    expect(screen.getByText('已经交过卷，这次是练习')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('result-rank').textContent).toBe('第2名'));
  });

  it('when a practice left a question unanswered, then its answer is withheld (the server sends none) and the page still renders', async () => {
    const full = attemptResult({ pointsAwarded: 0 });
    const unanswered = { ...full.results[1]!, choice: [], answer: [], explanation: '' };
    saveResult({ result: { ...full, results: [full.results[0]!, unanswered] }, pays: false });
    api();
    open();
    const items = screen.getAllByTestId('result-item');
    expect(items).toHaveLength(2);
    expect(within(items[0]!).getByText('正确答案：A')).toBeTruthy();
    const second = within(items[1]!);
    expect(second.getByText('我的答案：未作答')).toBeTruthy();
    expect(second.getByTestId('review-withheld').textContent).toBe('练习中未作答的题不显示答案');
    expect(second.queryByText('正确答案')).toBeNull();
    expect(items[1]!.textContent).not.toContain('正确答案：');
    await waitFor(() => expect(screen.getByTestId('result-rank').textContent).toBe('第2名'));
  });

  it('when a challenge stopped short of the streak, then it says how the points are earned', () => {
    const r = attemptResult({ kind: 'challenge', pointsAwarded: 0 });
    expect(pointsText({ result: r, pays: true, streak: 3 })).toEqual({
      main: '+0 积分',
      note: '连续答对5题可得3分，明天再来挑战',
    });
    expect(pointsText({ result: { ...r, pointsAwarded: 3 }, pays: true, streak: 6 })).toEqual({ main: '+3 积分' });
  });

  it('when the result is not in memory (a reload), then it is read back from storage; an unknown id shows the empty state', async () => {
    saveResult({ result: attemptResult({ attemptId: 'att9' }), pays: true });
    api();
    const { unmount } = open('att9');
    expect(screen.getByTestId('result-score').textContent).toBe('答对 1 / 2 题');
    unmount();

    open('nope');
    expect(screen.getByText('没有找到这次答题的结果，可以在学习页重新开始')).toBeTruthy();
  });
});
