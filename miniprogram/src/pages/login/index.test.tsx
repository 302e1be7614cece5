import Taro from '@tarojs/taro';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Login from './index';
import { buildMe, mockApi, ok } from '../../../test/api-mock';

const demoConfig = {
  devLogin: true,
  demoIdentities: [
    { openid: 'demo-admin', name: '演示管理员', label: '县委组织部' },
    { openid: 'demo-member', name: '演示党员', label: '红旗村党支部' },
  ],
};

describe('login page (H5)', () => {
  it('when dev login is on, then each demo identity is a big button with its name and label', async () => {
    mockApi({ 'GET /config/public': ok(demoConfig) });
    render(<Login />);

    const admin = await screen.findByTestId('demo-login-demo-admin');
    expect(admin.textContent).toContain('演示管理员');
    expect(admin.textContent).toContain('县委组织部');
    expect(screen.getByTestId('demo-login-demo-member').textContent).toContain('演示党员');
  });

  it('when a demo identity is tapped, then it logs in as that openid, keeps the token and opens 首页', async () => {
    const sent = mockApi({
      'GET /config/public': ok(demoConfig),
      'POST /auth/dev': ok({ token: 'jwt-1', user: buildMe() }),
    });
    render(<Login />);

    fireEvent.click(await screen.findByTestId('demo-login-demo-member'));

    await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/index/index' }));
    expect(sent.find((r) => r.path === '/auth/dev')?.data).toEqual({ openid: 'demo-member' });
    expect(Taro.getStorageSync('token')).toBe('jwt-1');
  });

  it('when dev login is off, then no demo identities are offered and the member is told to use WeChat', async () => {
    mockApi({ 'GET /config/public': ok({ devLogin: false, demoIdentities: [] }) });
    render(<Login />);

    expect(await screen.findByText('请在微信中打开「先锋」小程序登录。')).toBeTruthy();
    expect(screen.queryByTestId(/^demo-login-/)).toBeNull();
  });

  it('when the config cannot be loaded, then an error with 重试 is shown and retrying recovers', async () => {
    let calls = 0;
    mockApi({
      'GET /config/public': () =>
        ++calls === 1
          ? { statusCode: 500, data: { error: { code: 'INTERNAL', message: '服务器开小差了，请稍后重试' } } }
          : ok(demoConfig),
    });
    render(<Login />);

    expect(await screen.findByText('服务器开小差了，请稍后重试')).toBeTruthy();
    fireEvent.click(screen.getByText('重试'));
    expect(await screen.findByTestId('demo-login-demo-admin')).toBeTruthy();
  });
});
