import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Home from '../../pages/index/index';
import { codeFromScan } from '../../services/roster-api';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

const stranger = () => buildMe({ name: '新党员', roles: ['member'], org: null });
const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });

describe('first-login join step', () => {
  beforeEach(() => login());

  it('when a member in no branch opens 首页, then they see the join step, not an empty home', async () => {
    mockApi({ 'GET /me': ok(stranger()), 'GET /quiz/today': ok({}) });
    render(<Home />);
    expect(await screen.findByTestId('join-step')).toBeTruthy();
    expect(screen.queryByTestId('shortcut-quiz')).toBeNull();
  });

  it('when a member of a branch or an admin opens 首页, then there is no join step', async () => {
    mockApi({
      'GET /me': ok(
        buildMe({ roles: ['member', 'admin'], org: null, adminOrg: { id: 'c1', name: '青山县', type: 'county' } }),
      ),
      'GET /quiz/today': ok({}),
    });
    render(<Home />);
    expect(await screen.findByTestId('home-greeting')).toBeTruthy();
    expect(screen.queryByTestId('join-step')).toBeNull();
  });

  it('when I type an invite code, then POST /me/join gets it and 首页 reloads me', async () => {
    let joined = false;
    const sent = mockApi({
      'GET /me': () => ok(joined ? buildMe() : stranger()),
      'GET /quiz/today': ok({}),
      'GET /leaderboards/members': ok({ items: [], me: null }),
      'POST /me/join': () => {
        joined = true;
        return ok(buildMe());
      },
    });
    render(<Home />);
    await screen.findByTestId('join-step');
    type('join-code', 'abcd2345');
    fireEvent.click(screen.getByTestId('join-submit'));
    await waitFor(() => expect(sent.find((r) => r.path === '/me/join')?.data).toEqual({ inviteCode: 'ABCD2345' }));
    expect(await screen.findByTestId('home-greeting')).toBeTruthy();
  });

  it('H5: the typed phone and name go to the secretary; a refusal shows the reason', async () => {
    const sent = mockApi({
      'GET /me': ok(stranger()),
      'GET /quiz/today': ok({}),
      'POST /me/roster/claim': (req) =>
        (req.data as { name: string }).name === '刘三'
          ? ok({ status: 'pending', branch: '甲镇 / 甲村 / 甲村党支部' })
          : {
              statusCode: 404,
              data: {
                error: { code: 'ROSTER_NOT_FOUND', message: '名册中没有找到这个手机号和姓名，请核对，或用邀请码加入' },
              },
            },
    });
    render(<Home />);
    await screen.findByTestId('join-step');
    type('join-phone', '13811110003');
    type('join-name', '刘四');
    fireEvent.click(screen.getByTestId('join-claim'));
    expect((await screen.findByTestId('join-claim-error')).textContent).toContain('名册中没有找到');
    type('join-name', '刘三');
    fireEvent.click(screen.getByTestId('join-claim'));
    expect((await screen.findByTestId('join-claim-sent')).textContent).toContain('甲镇 / 甲村 / 甲村党支部 书记确认');
    expect(sent.filter((r) => r.path === '/me/roster/claim').map((r) => r.data)).toEqual([
      { phone: '13811110003', name: '刘四' },
      { phone: '13811110003', name: '刘三' },
    ]);
  });

  it('a scanned poster URL or a bare code gives the invite code', () => {
    expect(codeFromScan('https://pioneer.example/#/pages/join/index?code=ABCD2345')).toBe('ABCD2345');
    expect(codeFromScan(' abcd2345 ')).toBe('ABCD2345');
    expect(codeFromScan('https://other.example/')).toBeNull();
  });
});
