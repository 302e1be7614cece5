import { fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import Mine from './index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

describe('我的 page: privacy (issue 24)', () => {
  beforeEach(() => login());

  it('opens 我的数据 and 隐私保护指引 for every member', async () => {
    mockApi({ 'GET /me': ok(buildMe({ roles: ['member'] })) });
    render(<Mine />);
    fireEvent.click(await screen.findByTestId('link-my-data'));
    fireEvent.click(screen.getByTestId('link-privacy'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/my-data/index' });
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/privacy/index' });
  });
});
