import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { Activity, Org } from '@pioneer/shared';
import ActivitiesPage, { branchPlace, placeOf, splitActivities } from './index';
import { defaultWhen, endAfter, instantsOf } from '../../components/ActivityForm/defaults';
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

describe('发布活动 · defaults (issue 15)', () => {
  beforeEach(() => login());

  it('defaultWhen: the next full hour in Shanghai and the type’s usual length; a late start ends 次日', () => {
    // 2026-11-28 23:38 Shanghai: the next hour is tomorrow 00:00.
    const late = Date.parse('2026-11-28T15:38:00.000Z');
    expect(defaultWhen('theme_day', late)).toEqual({ day: '2026-11-29', start: '00:00', end: '02:00' });
    expect(defaultWhen('committee', Date.parse('2026-11-28T01:10:00.000Z'))).toEqual({
      day: '2026-11-28',
      start: '10:00',
      end: '11:30',
    });
    expect(endAfter('22:30', 'red_saturday')).toBe('01:30');
    expect(instantsOf({ day: '2026-11-28', start: '22:30', end: '01:30' })).toEqual({
      startsAt: '2026-11-28T14:30:00.000Z',
      endsAt: '2026-11-28T17:30:00.000Z',
    });
  });

  it('when I open the form, then it starts at the next hour with the branch’s village as the place; a 党小组会 runs an hour', async () => {
    const sent = mockApi({
      'GET /me': ok(buildMe()),
      'GET /activities': ok({ items: [] }),
      'GET /orgs/v1': ok(village(null)),
      'POST /activities': created,
    });
    render(<ActivitiesPage />);
    fireEvent.click(await screen.findByTestId('acts-new'));
    const when = defaultWhen('theme_day');
    expect(screen.getByTestId('acts-start').textContent).toBe(when.start);
    expect(screen.getByText('日期')).toBeTruthy();
    expect(screen.getByText('开始')).toBeTruthy();
    expect(screen.getByText('结束')).toBeTruthy();
    expect((screen.getByTestId('acts-place') as HTMLInputElement).value).toBe(branchPlace(buildMe()));
    fireEvent.click(screen.getByTestId('acts-type-group'));
    expect(screen.getByTestId('acts-end').textContent).toContain(endAfter(when.start, 'group'));
    fireEvent.input(screen.getByTestId('acts-title'), { target: { value: '党小组学习' } });
    fireEvent.click(screen.getByTestId('acts-submit'));
    await waitFor(() => expect(sent.find((r) => r.method === 'POST')).toBeDefined());
    const body = sent.find((r) => r.method === 'POST')!.data as { startsAt: string; endsAt: string; type: string };
    expect(body.type).toBe('group');
    expect(Date.parse(body.endsAt) - Date.parse(body.startsAt)).toBe(60 * 60_000);
  });
});

describe('组织生活 list (issue 15)', () => {
  beforeEach(() => login());
  const act = (id: string, over: Partial<Activity>): Activity => ({
    id,
    branchId: 'b1',
    branchName: '青山村党支部',
    type: 'theme_day',
    title: id,
    topic: null,
    startsAt: '2026-11-20T01:00:00.000Z',
    endsAt: '2026-11-20T03:00:00.000Z',
    place: null,
    status: 'planned',
    expectedCount: 10,
    signedInCount: 0,
    minutes: null,
    cancelled: null,
    mine: { expected: true, signedInAt: null, late: false, leave: null },
    ...over,
  });
  const items = [
    act('旧会', { status: 'closed', startsAt: '2026-10-01T01:00:00.000Z' }),
    act('近会', { status: 'closed', startsAt: '2026-11-01T01:00:00.000Z' }),
    act('后天', { startsAt: '2026-12-03T01:00:00.000Z' }),
    act('明天', { startsAt: '2026-12-02T01:00:00.000Z' }),
    act('取消', { cancelled: { at: '2026-11-20T00:00:00.000Z', reason: '改期' } }),
  ];

  it('splitActivities: coming soonest first, ended newest first, cancelled apart', () => {
    const { coming, ended, cancelled } = splitActivities(items);
    expect(coming.map((a) => a.id)).toEqual(['明天', '后天']);
    expect(ended.map((a) => a.id)).toEqual(['近会', '旧会']);
    expect(cancelled.map((a) => a.id)).toEqual(['取消']);
  });

  it('on a phone, ended activities come after the coming ones under 已结束', async () => {
    mockApi({ 'GET /me': ok(buildMe()), 'GET /activities': ok({ items }), 'GET /orgs/v1': ok(village(null)) });
    render(<ActivitiesPage />);
    const cards = await screen.findAllByTestId('acts-item');
    expect(cards.map((c) => c.querySelector('.acts__title')!.textContent)).toEqual([
      '明天',
      '后天',
      '近会',
      '旧会',
      '取消',
    ]);
    expect(screen.getByTestId('acts-ended').textContent).toBe('已结束');
  });

  it('at a desk, a secretary gets the filters in a row and a table; 已结束 shows the ended ones', async () => {
    (Taro.getWindowInfo as unknown as jest.Mock).mockReturnValue({
      windowWidth: 1440,
      windowHeight: 900,
      pixelRatio: 1,
    });
    try {
      mockApi({ 'GET /me': ok(buildMe()), 'GET /activities': ok({ items }), 'GET /orgs/v1': ok(village(null)) });
      render(<ActivitiesPage />);
      const rows = await screen.findAllByTestId('acts-table-row');
      expect(rows.map((r) => r.textContent)).toEqual([
        expect.stringContaining('明天'),
        expect.stringContaining('后天'),
      ]);
      fireEvent.click(screen.getByTestId('acts-tab-ended'));
      expect(screen.getAllByTestId('acts-table-row').map((r) => r.textContent)).toEqual([
        expect.stringContaining('近会'),
        expect.stringContaining('旧会'),
      ]);
      fireEvent.click(screen.getByTestId('acts-tab-cancelled'));
      expect(screen.getAllByTestId('acts-table-row')[0]!.textContent).toContain('已取消');
      expect(screen.queryByTestId('acts-item')).toBeNull();
    } finally {
      (Taro.getWindowInfo as unknown as jest.Mock).mockReturnValue({
        windowWidth: 375,
        windowHeight: 812,
        pixelRatio: 2,
      });
    }
  });
});
