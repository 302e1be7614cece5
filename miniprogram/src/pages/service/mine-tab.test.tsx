import { render, screen, within } from '@testing-library/react';
import MineTab from './mine-tab';
import { login, mockApi, ok } from '../../../test/api-mock';
import { myClaim, page, wish } from '../../../test/posts-fixtures';

describe('我的认领 · wishes (issue 15)', () => {
  beforeEach(() => login());

  it('when I claimed a wish, then 我的认领 lists it with its actions; confirmed ones are done and left out', async () => {
    const sent = mockApi({
      'GET /claims/mine': ok({ items: [myClaim()] }),
      'GET /wishes': page([
        wish({ id: 'w1', title: '想要一台收音机', status: 'claimed', mine: true }),
        wish({ id: 'w2', title: '想学用智能手机', status: 'fulfilled', mine: true }),
        wish({ id: 'w3', title: '已经完成的', status: 'confirmed', mine: true }),
      ]),
    });
    render(<MineTab />);
    const cards = await screen.findAllByTestId('my-wish');
    expect(cards.map((c) => c.textContent)).toEqual([
      expect.stringContaining('想要一台收音机'),
      expect.stringContaining('想学用智能手机'),
    ]);
    expect(within(cards[0]!).getByTestId('wish-fulfil')).toBeTruthy();
    expect(cards[1]!.textContent).toContain('已提交，等待书记确认');
    expect(sent.find((r) => r.path === '/wishes')?.query).toMatchObject({ mine: 'true' });
  });

  it('with no post and no wish claimed, it says where to find them', async () => {
    mockApi({ 'GET /claims/mine': ok({ items: [] }), 'GET /wishes': page([]) });
    render(<MineTab />);
    expect(await screen.findByText('还没有认领岗位或心愿，去“公益岗位”“微心愿”看看吧')).toBeTruthy();
  });
});
