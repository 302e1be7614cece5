import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { pullDownRefresh } from '../../test/__mocks__/tarojs-taro';
import Mistakes from '../pages/mistakes';
import PointsHistory from '../pages/points-history';
import { login, mockApi, ok } from '../../test/api-mock';
import { mistake } from '../../test/quiz-fixtures';

/** The list pages a member pulls down to refresh, as in every WeChat app (issue 15). */
const LIST_PAGES = ['points-history', 'mistakes', 'leaderboard', 'checkin-calendar'];

describe('下拉刷新 on list pages', () => {
  beforeEach(() => login());

  it.each(LIST_PAGES)('the %s page config turns pull-down refresh on', (page) => {
    const config = readFileSync(join(__dirname, '..', 'pages', page, 'index.config.ts'), 'utf8');
    expect(config).toMatch(/enablePullDownRefresh: true/);
    const source = readFileSync(join(__dirname, '..', 'pages', page, 'index.tsx'), 'utf8');
    expect(source).toMatch(/usePullRefresh\(/);
  });

  it('when 错题本 is pulled down, then it reloads and folds the spinner away', async () => {
    const sent = mockApi({ 'GET /quiz/mistakes': ok({ items: [mistake()] }) });
    render(<Mistakes />);
    await screen.findAllByTestId('mistake-item');
    expect(sent.filter((r) => r.path === '/quiz/mistakes')).toHaveLength(1);
    pullDownRefresh();
    await waitFor(() => expect(sent.filter((r) => r.path === '/quiz/mistakes')).toHaveLength(2));
    await waitFor(() => expect(Taro.stopPullDownRefresh).toHaveBeenCalled());
  });

  it('when the reload fails, then the spinner still stops', async () => {
    let calls = 0;
    mockApi({
      'GET /points/ledger': () => {
        calls += 1;
        return calls === 1
          ? ok({ items: [], nextCursor: null })
          : { statusCode: 500, data: { error: { code: 'INTERNAL', message: '服务器开小差了，请稍后重试' } } };
      },
    });
    render(<PointsHistory />);
    await waitFor(() => expect(calls).toBe(1));
    pullDownRefresh();
    await waitFor(() => expect(calls).toBe(2));
    await waitFor(() => expect(Taro.stopPullDownRefresh).toHaveBeenCalled());
  });
});
