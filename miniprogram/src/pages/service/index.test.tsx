import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import Service from './index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';
import { myClaim, page, post, wish } from '../../../test/posts-fixtures';

const member = () => buildMe({ roles: ['member'] });

describe('服务 tab', () => {
  beforeEach(() => login());

  it('when a member opens it, then open posts of their org show with seats left, hours and problems solved', async () => {
    const sent = mockApi({
      'GET /me': ok(member()),
      'GET /posts': page([
        post(),
        post({
          id: 'p2',
          title: '路口交通引导岗',
          category: '交通引导',
          seatsLeft: 0,
          taken: 6,
          capacity: 6,
          serviceHours: 0,
          resolved: 0,
        }),
      ]),
    });
    render(<Service />);

    const cards = await screen.findAllByTestId('post-card');
    expect(cards).toHaveLength(2);
    expect(cards[0].textContent).toContain('法律咨询岗');
    expect(cards[0].textContent).toContain('青山村党支部');
    expect(within(cards[0]).getByTestId('post-seats-left').textContent).toBe('2');
    expect(cards[0].textContent).toContain('剩余名额 / 共3');
    expect(cards[0].textContent).toContain('6.5服务小时');
    expect(cards[0].textContent).toContain('4解决困难');
    expect(cards[1].textContent).toContain('已满员');
    expect(sent.find((r) => r.path === '/posts')?.query).toEqual({ status: 'open' });
    // Members have no 工作台.
    expect(screen.queryByTestId('service-admin-link')).toBeNull();
  });

  it('when a category is chosen, then the list is asked again for that category and says so when empty', async () => {
    const sent = mockApi({
      'GET /me': ok(member()),
      'GET /posts': (req) => (req.query.category ? page([]) : page([post()])),
    });
    render(<Service />);
    await screen.findAllByTestId('post-card');

    fireEvent.click(screen.getByTestId('category-治水护水'));
    expect(await screen.findByText('暂无招募中的“治水护水”岗位')).toBeTruthy();
    expect(sent.filter((r) => r.path === '/posts').at(-1)?.query).toEqual({ status: 'open', category: '治水护水' });
    expect(screen.getByTestId('category-治水护水').getAttribute('aria-selected')).toBe('true');
  });

  it('when a post is tapped, then its detail page opens', async () => {
    mockApi({ 'GET /me': ok(member()), 'GET /posts': page([post()]) });
    render(<Service />);
    fireEvent.click(await screen.findByText('法律咨询岗'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/post-detail/index?id=p1' });
  });

  it('when 我的认领 is opened, then each claim shows its post, a 记录服务 button and the records with their review', async () => {
    mockApi({ 'GET /me': ok(member()), 'GET /posts': page([]), 'GET /claims/mine': ok({ items: [myClaim()] }) });
    render(<Service />);
    fireEvent.click(screen.getByTestId('service-tab-mine'));

    const claim = await screen.findByTestId('my-claim');
    expect(claim.textContent).toContain('我已认领');
    expect(claim.textContent).toContain('已确认 2 小时 · 解决 1 件');
    const rec = within(claim).getByTestId('record-card');
    expect(within(rec).getByTestId('record-status').textContent).toBe('已确认 +4分');
    expect(rec.textContent).toContain('李书记：辛苦了');
    fireEvent.click(within(claim).getByTestId('log-service'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/service-log/index?claim=p1_u1' });
  });

  it('when a member claims an open wish, then it is claimed and the list shows it as theirs; the resident stays masked', async () => {
    let claimed = false;
    const sent = mockApi({
      'GET /me': ok(member()),
      'GET /posts': page([]),
      'GET /wishes': () =>
        page([claimed ? wish({ status: 'claimed', mine: true, claimant: { id: 'u1', name: '张建国' } }) : wish()]),
      'POST /wishes/w1/claim': () => {
        claimed = true;
        return ok(wish({ status: 'claimed', mine: true }));
      },
    });
    render(<Service />);
    fireEvent.click(screen.getByTestId('service-tab-wishes'));

    const card = await screen.findByTestId('wish-card');
    expect(within(card).getByTestId('wish-resident').textContent).toBe('群众：陈*英（联系方式仅认领人可见）');
    expect(within(card).queryByTestId('wish-contact')).toBeNull();
    fireEvent.click(within(card).getByTestId('wish-claim'));
    await waitFor(() => expect(screen.getByTestId('wish-status').textContent).toBe('已认领'));
    expect(sent.some((r) => r.method === 'POST' && r.path === '/wishes/w1/claim')).toBe(true);
    expect(screen.getByTestId('wish-card').textContent).toContain('由我认领');
    expect(screen.getByTestId('wish-fulfil')).toBeTruthy();
  });

  it("when I claimed a wish, then I may look up the resident's number (on request) and call it with one big button", async () => {
    const sent = mockApi({
      'GET /me': ok(member()),
      'GET /posts': page([]),
      'GET /wishes': page([wish({ status: 'claimed', mine: true, claimant: { id: 'u1', name: '张建国' } })]),
      'GET /wishes/w1/contact': ok({ wishId: 'w1', residentName: '陈秀英', residentContact: '13955558888' }),
    });
    render(<Service />);
    fireEvent.click(screen.getByTestId('service-tab-wishes'));

    const box = await screen.findByTestId('wish-contact');
    expect(box.textContent).toContain('仅您和书记可见，查看会留下记录');
    expect(screen.getByTestId('wish-resident').textContent).toBe('群众：陈*英');
    // Nothing is fetched (and audited) until I ask.
    expect(sent.some((r) => r.path === '/wishes/w1/contact')).toBe(false);
    fireEvent.click(within(box).getByTestId('wish-contact-show'));
    expect((await screen.findByTestId('wish-contact-phone')).textContent).toBe('13955558888');
    expect(screen.getByTestId('wish-contact-name').textContent).toBe('群众：陈秀英');

    const env = process.env.TARO_ENV;
    process.env.TARO_ENV = 'weapp';
    try {
      fireEvent.click(screen.getByTestId('wish-contact-call'));
    } finally {
      process.env.TARO_ENV = env;
    }
    expect(Taro.makePhoneCall).toHaveBeenCalledWith({ phoneNumber: '13955558888' });
  });

  it('when a wish was taken meanwhile, then the server’s reason is shown and the list refreshes', async () => {
    const sent = mockApi({
      'GET /me': ok(member()),
      'GET /posts': page([]),
      'GET /wishes': page([wish()]),
      'POST /wishes/w1/claim': {
        statusCode: 409,
        data: { error: { code: 'WISH_TAKEN', message: '该心愿已被其他党员认领' } },
      },
    });
    render(<Service />);
    fireEvent.click(screen.getByTestId('service-tab-wishes'));
    fireEvent.click(await screen.findByTestId('wish-claim'));
    await waitFor(() =>
      expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '该心愿已被其他党员认领' })),
    );
    await waitFor(() => expect(sent.filter((r) => r.path === '/wishes')).toHaveLength(2));
  });

  it('when a secretary opens it, then the 服务管理 link is there (named for the work, not 书记工作台: admins use it too)', async () => {
    mockApi({ 'GET /me': ok(buildMe({ roles: ['member', 'secretary'] })), 'GET /posts': page([]) });
    render(<Service />);
    const link = await screen.findByTestId('service-admin-link');
    expect(link.textContent).toContain('服务管理');
    expect(link.textContent).not.toContain('书记工作台');
    fireEvent.click(link);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/console/service-admin/index' });
  });
});
