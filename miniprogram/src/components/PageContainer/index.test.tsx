import { fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import PageContainer from './index';
import { ApiError } from '../../services/api-error';

describe('PageContainer', () => {
  it('when there is no session, then it asks the member to log in and 去登录 opens the login page', () => {
    render(<PageContainer loggedIn={false}>secret</PageContainer>);

    expect(screen.queryByText('secret')).toBeNull();
    fireEvent.click(screen.getByText('去登录'));
    expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' });
  });

  it('when loading for the first time, then it says so; with earlier data it keeps showing the data', () => {
    const { rerender } = render(<PageContainer loading>content</PageContainer>);
    expect(screen.getByText('正在加载…')).toBeTruthy();

    rerender(
      <PageContainer loading hasData>
        content
      </PageContainer>,
    );
    expect(screen.getByText('content')).toBeTruthy();
  });

  it('when loading failed, then the server message and a 重试 button are shown', () => {
    const retry = jest.fn();
    render(
      <PageContainer error={new ApiError('NETWORK_ERROR', '网络不给力，请稍后重试', 0)} onRetry={retry}>
        content
      </PageContainer>,
    );

    expect(screen.getByText('网络不给力，请稍后重试')).toBeTruthy();
    fireEvent.click(screen.getByText('重试'));
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it('when there is nothing to show, then the empty text is shown', () => {
    render(<PageContainer empty emptyText="暂无记录" />);
    expect(screen.getByText('暂无记录')).toBeTruthy();
  });
});
