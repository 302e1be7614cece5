import { act, fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import PageContainer from '../PageContainer';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

const width = (windowWidth: number) =>
  (Taro.getWindowInfo as unknown as jest.Mock).mockReturnValue({ windowWidth, windowHeight: 900, pixelRatio: 1 });

afterEach(() => width(375));

describe('ConsoleFrame (through PageContainer console=…)', () => {
  it('on a phone, then the console page is the page alone, as in the mini-program', async () => {
    login();
    mockApi({ 'GET /me': ok(buildMe()) });
    render(<PageContainer console="checkin-review">queue</PageContainer>);

    expect(await screen.findByText('queue')).toBeTruthy();
    expect(screen.queryByTestId('console-frame')).toBeNull();
  });

  it('at a desk, then a secretary gets the side navigation of the pages they may use, this page highlighted', async () => {
    width(1440);
    login();
    mockApi({ 'GET /me': ok(buildMe({ roles: ['member', 'secretary'] })) });
    render(<PageContainer console="checkin-review">queue</PageContainer>);

    expect(await screen.findByTestId('console-nav-checkin-review')).toBeTruthy();
    expect(screen.getByTestId('console-frame')).toBeTruthy();
    expect(screen.getByTestId('console-nav-checkin-review').getAttribute('aria-current')).toBe('page');
    expect(screen.getByTestId('console-nav-audit-log').getAttribute('aria-current')).toBeNull();
    // Admin-only pages are not offered to a secretary.
    for (const key of ['admin-questions', 'checkin-fences', 'county-settings', 'study-articles'])
      expect(screen.queryByTestId(`console-nav-${key}`)).toBeNull();
    expect(screen.getByText('组织与党员')).toBeTruthy();
    // In 学习 a secretary keeps only the branch's 学习台账 (publishing articles is the county's).
    expect(screen.getByTestId('console-nav-study-ledger')).toBeTruthy();

    fireEvent.click(screen.getByTestId('console-nav-checkin-report'));
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/console/checkin-report/index' });
  });

  it('at a desk, then the county admin also gets 题库管理, 电子围栏 and 县级设置', async () => {
    width(1440);
    login();
    mockApi({
      'GET /me': ok(buildMe({ roles: ['member', 'admin'], adminOrg: { id: 'c1', name: '青山县', type: 'county' } })),
    });
    render(<PageContainer console="county-settings">settings</PageContainer>);

    expect(await screen.findByTestId('console-nav-county-settings')).toBeTruthy();
    expect(screen.getByTestId('console-nav-admin-questions')).toBeTruthy();
    expect(screen.getByTestId('console-nav-checkin-fences')).toBeTruthy();
    expect(screen.getByText('积分与设置')).toBeTruthy();
  });

  it('when the window is resized across 1024 px, then the frame comes and goes', async () => {
    login();
    mockApi({ 'GET /me': ok(buildMe()) });
    render(<PageContainer console="audit-log">log</PageContainer>);
    expect(screen.queryByTestId('console-frame')).toBeNull();

    width(1280);
    act(() => {
      window.dispatchEvent(new Event('resize'));
    });
    expect(await screen.findByTestId('console-frame')).toBeTruthy();
    width(800);
    act(() => {
      window.dispatchEvent(new Event('resize'));
    });
    expect(screen.queryByTestId('console-frame')).toBeNull();
  });
});
