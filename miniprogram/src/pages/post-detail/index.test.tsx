import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import * as taroMock from '@tarojs/taro';
import PostDetail from './index';
import { login, mockApi, ok } from '../../../test/api-mock';
import { post } from '../../../test/posts-fixtures';

function open(id = 'p1') {
  jest
    .spyOn(taroMock, 'useRouter')
    .mockReturnValue({ params: { id }, path: '/pages/post-detail/index' } as unknown as ReturnType<
      typeof taroMock.useRouter
    >);
  return render(<PostDetail />);
}

describe('post detail: claim and release', () => {
  beforeEach(() => login());
  afterEach(() => jest.restoreAllMocks());

  it('when a member claims a post with seats left, then the claim is sent and the page shows the seat as theirs', async () => {
    let held = false;
    const sent = mockApi({
      'GET /posts/p1': () =>
        ok(held ? post({ taken: 2, seatsLeft: 1, myClaim: { id: 'p1_u1', status: 'active' } }) : post()),
      'POST /posts/p1/claims': () => {
        held = true;
        return {
          statusCode: 201,
          data: {
            id: 'p1_u1',
            postId: 'p1',
            userId: 'u1',
            status: 'active',
            claimedAt: '2025-11-25T02:00:00.000Z',
            hours: 0,
            resolved: 0,
          },
        };
      },
    });
    open();
    expect((await screen.findByTestId('post-title')).textContent).toBe('法律咨询岗');
    expect(screen.getByTestId('post-detail-seats').textContent).toBe('2');
    fireEvent.click(screen.getByTestId('post-claim'));

    expect(await screen.findByTestId('post-held')).toBeTruthy();
    expect(screen.getByTestId('post-detail-seats').textContent).toBe('1');
    expect(sent.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(['/posts/p1/claims']);
    expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '认领成功' }));
    fireEvent.click(screen.getByTestId('post-log-service'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/service-log/index?claim=p1_u1' });
  });

  it('when the last seat went to someone else meanwhile, then the server’s 满员 reason shows and the button says so', async () => {
    let full = false;
    mockApi({
      'GET /posts/p1': () => ok(full ? post({ taken: 3, seatsLeft: 0 }) : post({ taken: 2, seatsLeft: 1 })),
      'POST /posts/p1/claims': () => {
        full = true;
        return { statusCode: 409, data: { error: { code: 'POST_FULL', message: '该岗位已认领满员' } } };
      },
    });
    open();
    fireEvent.click(await screen.findByTestId('post-claim'));
    await waitFor(() => expect(screen.getByTestId('post-claim').textContent).toBe('名额已满'));
    expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '该岗位已认领满员' }));
    expect(screen.queryByTestId('post-held')).toBeNull();
  });

  it('when the holder releases after confirming, then DELETE claims/mine is sent and the claim button returns', async () => {
    let held = true;
    const sent = mockApi({
      'GET /posts/p1': () =>
        ok(
          held
            ? post({ myClaim: { id: 'p1_u1', status: 'active' } })
            : post({ myClaim: { id: 'p1_u1', status: 'released' } }),
        ),
      'DELETE /posts/p1/claims/mine': () => {
        held = false;
        return { statusCode: 204, data: '' };
      },
    });
    open();
    fireEvent.click(await screen.findByTestId('post-release'));
    await waitFor(() => expect(screen.getByTestId('post-claim').textContent).toBe('认领岗位'));
    expect(Taro.showModal).toHaveBeenCalled();
    expect(sent.some((r) => r.method === 'DELETE')).toBe(true);
  });

  it('when the post is closed, then it cannot be claimed; a secretary sees the seat list and edit links', async () => {
    mockApi({ 'GET /posts/p1': ok(post({ status: 'closed', canManage: true, taken: 1 })) });
    open();
    const button = await screen.findByTestId('post-claim');
    expect(button.textContent).toBe('该岗位已结束');
    expect(button.hasAttribute('disabled') || button.className.includes('disabled')).toBe(true);
    fireEvent.click(screen.getByTestId('post-seats-link'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/console/post-seats/index?id=p1' });
  });
});
