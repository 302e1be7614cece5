import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { Member } from '@pioneer/shared';
import { dayKey } from '@pioneer/shared/src/time';
import ServiceAdmin from './index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';
import { page, post, record } from '../../../test/posts-fixtures';

const person = (id: string, name: string): Member => ({
  id,
  name,
  avatarUrl: '',
  roles: ['member'],
  org: null,
  postedVillageId: null,
  adminOrgId: null,
  contact: null,
});
const secretary = () => buildMe({ id: 'sec', roles: ['member', 'secretary'] });

describe('服务管理 · 代为登记', () => {
  beforeEach(() => login());

  it('when the secretary picks a member, a post, a day, hours and a reason, then after the confirm dialog the record is sent as typed', async () => {
    const sent = mockApi({
      'GET /me': ok(secretary()),
      'GET /records': page([]),
      'GET /wishes': page([]),
      'GET /orgs/b1/members': page([person('sec', '张建国'), person('u7', '王大爷'), person('u8', '李奶奶')]),
      'GET /posts': page([post({ id: 'p1', title: '交通引导岗' })]),
      'POST /records': { statusCode: 201, data: record({ id: 'r9', status: 'confirmed', pointsAwarded: 3 }) },
    });
    render(<ServiceAdmin />);
    fireEvent.click(await screen.findByTestId('sa-tab-proxy'));
    await screen.findByTestId('proxy-form');
    // The secretary is not offered as a member to record for.
    expect(screen.queryByTestId('proxy-member-sec')).toBeNull();
    const button = screen.getByTestId('proxy-submit');
    expect(button.hasAttribute('disabled') || button.className.includes('disabled')).toBe(true);

    fireEvent.click(screen.getByTestId('proxy-member-u7'));
    fireEvent.click(screen.getByTestId('proxy-post-p1'));
    fireEvent.click(screen.getByTestId('proxy-day-1'));
    fireEvent.click(screen.getByTestId('proxy-hours-plus'));
    fireEvent.input(screen.getByTestId('proxy-reason'), { target: { value: '  老党员没有智能手机 ' } });
    fireEvent.click(screen.getByTestId('proxy-submit'));

    await waitFor(() => expect(sent.find((r) => r.method === 'POST')).toBeTruthy());
    expect(Taro.showModal).toHaveBeenCalledWith(
      expect.objectContaining({
        title: '确认代为登记',
        content: expect.stringContaining('为王大爷登记「交通引导岗」服务1.5小时（昨天）'),
      }),
    );
    expect(sent.find((r) => r.method === 'POST')).toMatchObject({
      path: '/records',
      data: {
        userId: 'u7',
        postId: 'p1',
        hours: 1.5,
        servedOn: dayKey(Date.now() - 86_400_000),
        reason: '老党员没有智能手机',
        note: '',
      },
    });
    expect(sent.find((r) => r.path === '/orgs/b1/members')?.query).toEqual({ limit: '100' });
    await waitFor(() => expect(Taro.showToast).toHaveBeenCalledWith({ title: '已登记，计3分', icon: 'none' }));
  });

  it('when the confirm dialog is cancelled, then nothing is sent; when the server refuses, then its message shows', async () => {
    const sent = mockApi({
      'GET /me': ok(secretary()),
      'GET /records': page([]),
      'GET /wishes': page([]),
      'GET /orgs/b1/members': page([person('u7', '王大爷')]),
      'GET /posts': page([post({ id: 'p1', title: '交通引导岗' })]),
      'POST /records': { statusCode: 403, data: { error: { code: 'FORBIDDEN', message: '只能为本支部党员代为登记' } } },
    });
    render(<ServiceAdmin />);
    fireEvent.click(await screen.findByTestId('sa-tab-proxy'));
    fireEvent.click(await screen.findByTestId('proxy-member-u7'));
    fireEvent.click(screen.getByTestId('proxy-post-p1'));
    fireEvent.input(screen.getByTestId('proxy-reason'), { target: { value: '没有手机' } });
    (Taro.showModal as jest.Mock).mockResolvedValueOnce({ confirm: false, cancel: true });
    fireEvent.click(screen.getByTestId('proxy-submit'));
    await waitFor(() => expect(Taro.showModal).toHaveBeenCalled());
    expect(sent.filter((r) => r.method === 'POST')).toHaveLength(0);
    fireEvent.click(screen.getByTestId('proxy-submit'));
    expect((await screen.findByTestId('proxy-error')).textContent).toBe('只能为本支部党员代为登记');
  });
});
