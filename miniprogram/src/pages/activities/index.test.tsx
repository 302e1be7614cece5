import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { Org } from '@pioneer/shared';
import ActivitiesPage, { placeOf } from './index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

const fence = { lat: 30.5447, lng: 119.9752, radiusM: 600 };
const village = (f: Org['fence']): Org => ({
  id: 'v1',
  name: '红旗村',
  type: 'village',
  parentId: 't1',
  path: [],
  fence: f,
  memberCount: 40,
  children: [],
});
const created = { statusCode: 201, data: { id: 'a9' } };

async function publish(fenceChoice: 'village' | 'none' | null, place = '') {
  render(<ActivitiesPage />);
  fireEvent.click(await screen.findByTestId('acts-new'));
  fireEvent.input(screen.getByTestId('acts-title'), { target: { value: '11月主题党日' } });
  if (place) fireEvent.input(screen.getByTestId('acts-place'), { target: { value: place } });
  if (fenceChoice) fireEvent.click(await screen.findByTestId(`acts-fence-${fenceChoice}`));
  fireEvent.click(screen.getByTestId('acts-submit'));
}

describe('发布活动 · the place fence', () => {
  beforeEach(() => login());

  it('when the branch’s village has a fence and I choose it, then the activity is sent with that fence and the village’s name', async () => {
    const sent = mockApi({
      'GET /me': ok(buildMe()),
      'GET /activities': ok({ items: [] }),
      'GET /orgs/v1': ok(village(fence)),
      'POST /activities': created,
    });
    await publish('village');
    expect(screen.getByTestId('acts-fence-hint').textContent).toBe(
      '红旗村，半径600米：党员在范围内可定位签到，也可扫码',
    );
    await waitFor(() => expect(sent.find((r) => r.method === 'POST')).toBeDefined());
    expect(sent.find((r) => r.method === 'POST')!.data).toMatchObject({
      title: '11月主题党日',
      place: { name: '红旗村', fence },
    });
  });

  it('when I typed a place name and choose the fence, then my name is kept', async () => {
    const sent = mockApi({
      'GET /me': ok(buildMe()),
      'GET /activities': ok({ items: [] }),
      'GET /orgs/v1': ok(village(fence)),
      'POST /activities': created,
    });
    await publish('village', '村党群服务中心');
    await waitFor(() =>
      expect(sent.find((r) => r.method === 'POST')!.data).toMatchObject({ place: { name: '村党群服务中心', fence } }),
    );
  });

  it('when I leave it at 不设范围, then no fence is sent', async () => {
    const sent = mockApi({
      'GET /me': ok(buildMe()),
      'GET /activities': ok({ items: [] }),
      'GET /orgs/v1': ok(village(fence)),
      'POST /activities': created,
    });
    await publish(null, '村委会议室');
    await waitFor(() => expect(sent.find((r) => r.method === 'POST')).toBeDefined());
    expect((sent.find((r) => r.method === 'POST')!.data as { place: unknown }).place).toEqual({ name: '村委会议室' });
  });

  it('when the village has no fence, then the choice is not offered', async () => {
    const sent = mockApi({
      'GET /me': ok(buildMe()),
      'GET /activities': ok({ items: [] }),
      'GET /orgs/v1': ok(village(null)),
    });
    render(<ActivitiesPage />);
    fireEvent.click(await screen.findByTestId('acts-new'));
    await waitFor(() => expect(sent.some((r) => r.path === '/orgs/v1')).toBe(true));
    expect(screen.queryByTestId('acts-fence-village')).toBeNull();
  });

  it('placeOf: the fence only when chosen and known', () => {
    const v = { name: '红旗村', fence };
    expect(placeOf('', 'village', v)).toEqual({ name: '红旗村', fence });
    expect(placeOf('', 'village', null)).toBeUndefined();
    expect(placeOf('会议室', 'none', v)).toEqual({ name: '会议室' });
    expect(placeOf('', 'none', v)).toBeUndefined();
  });
});
