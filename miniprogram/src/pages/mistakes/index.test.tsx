import { fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import Mistakes from './index';
import { login, mockApi, ok } from '../../../test/api-mock';
import { mistake } from '../../../test/quiz-fixtures';

describe('错题本', () => {
  beforeEach(() => login());

  it('when I have mistakes, then each shows the right answer and explanation, and 练习错题 starts a mistakes quiz', async () => {
    mockApi({
      'GET /quiz/mistakes': ok({
        items: [mistake(), mistake({ questionId: 'q5', stem: '入党誓词共有多少字？', wrongCount: 1 })],
      }),
    });
    render(<Mistakes />);

    const items = await screen.findAllByTestId('mistake-item');
    expect(items).toHaveLength(2);
    expect(items[0].textContent).toContain('判断题');
    expect(items[0].textContent).toContain('正确答案：A');
    expect(items[0].textContent).toContain('按期交纳党费是党员的义务。');
    expect(items[0].textContent).toContain('答错 2 次');
    expect(items[1].textContent).toContain('入党誓词共有多少字？');

    fireEvent.click(screen.getByTestId('mistakes-practice'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/quiz/index?kind=mistakes' });
  });

  it('when there are none, then it says 暂无错题，继续保持', async () => {
    mockApi({ 'GET /quiz/mistakes': ok({ items: [] }) });
    render(<Mistakes />);
    expect(await screen.findByText('暂无错题，继续保持')).toBeTruthy();
    expect(screen.queryByTestId('mistakes-practice')).toBeNull();
  });
});
