import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import ActivityQrPage from './index';
import ActivityManagePage from '../activity-manage';
import { login, mockApi, ok } from '../../../test/api-mock';
import { managedActivity, noAttendance, qrReply } from '../../../test/activity-fixtures';
import { routeTo } from '../../../test/router';

const activity = managedActivity();
const attendance = noAttendance;
const qr = qrReply;
const routes = {
  'GET /activities/a1': ok(activity),
  'GET /activities/a1/qr': ok(qr),
  'GET /activities/a1/attendance': ok(attendance),
};
const at = (path: string) => routeTo(path, { id: 'a1' });

describe('签到二维码 full screen in the weapp (issue 15)', () => {
  const env = process.env.TARO_ENV;
  beforeEach(() => login());
  afterEach(() => {
    process.env.TARO_ENV = env;
  });

  it('the page has no WeChat navigation bar (a page’s bar cannot be hidden at run time)', () => {
    const config = readFileSync(join(__dirname, 'index.config.ts'), 'utf8');
    expect(config).toMatch(/navigationStyle: 'custom'/);
    const app = readFileSync(join(__dirname, '..', '..', 'app.config.ts'), 'utf8');
    expect(app).toContain("'activity-qr/index'");
  });

  it('when 全屏显示 is tapped in the weapp, then 签到管理 opens the page without the bar', async () => {
    process.env.TARO_ENV = 'weapp';
    mockApi(routes);
    at('/console/activity-manage/index');
    render(<ActivityManagePage />);
    fireEvent.click(await screen.findByTestId('manage-fullscreen'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/console/activity-qr/index?id=a1' });
    expect(screen.queryByTestId('manage-full')).toBeNull();
  });

  it('the page shows the title, QR and code with a back button in the safe area, and returns on a tap', async () => {
    process.env.TARO_ENV = 'weapp';
    mockApi(routes);
    at('/console/activity-qr/index');
    render(<ActivityQrPage />);
    expect((await screen.findByTestId('manage-full-code')).textContent).toBe('482913');
    expect(screen.getByTestId('manage-full-title').textContent).toBe('11月主题党日');
    expect(screen.getByTestId('manage-full-back').textContent).toContain('返回');
    fireEvent.click(screen.getByTestId('manage-full-back'));
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/console/activity-manage/index?id=a1' });
  });

  it('in the weapp the back button sits level with WeChat’s capsule and the title starts under it', async () => {
    process.env.TARO_ENV = 'weapp';
    const capsule = jest.fn(() => ({ top: 30, bottom: 62, left: 281, right: 368, width: 87, height: 32 }));
    Object.assign(Taro, { getMenuButtonBoundingClientRect: capsule });
    mockApi(routes);
    at('/console/activity-qr/index');
    render(<ActivityQrPage />);
    await screen.findByTestId('manage-full-code');
    expect(capsule).toHaveBeenCalled();
    expect(screen.getByTestId('manage-full-back').style.top).toBe('30px');
    expect(screen.getByTestId('manage-full').style.paddingTop).toBe('82px');
  });

  it('when sign-in is not open, then the page says so instead of a code', async () => {
    mockApi({ ...routes, 'GET /activities/a1': ok({ ...activity, status: 'closed' }) });
    at('/console/activity-qr/index');
    render(<ActivityQrPage />);
    expect(await screen.findByText('签到未开始或已结束')).toBeTruthy();
    expect(screen.queryByTestId('manage-full-code')).toBeNull();
  });
});
