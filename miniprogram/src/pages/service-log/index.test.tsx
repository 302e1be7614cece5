import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import * as taroMock from '@tarojs/taro';
import { dayKey } from '@pioneer/shared/src/time';
import { render as renderCard } from '@testing-library/react';
import RecordCard from '../../components/RecordCard';
import ServiceLog from './index';
import { chooseFile } from '../../utils/choose-file';
import { login, mockApi, ok } from '../../../test/api-mock';
import { myClaim, record, wish } from '../../../test/posts-fixtures';

jest.mock('../../utils/choose-file', () => ({ chooseFile: jest.fn() }));

const PHOTO = '/api/v1/uploads/2025-11/0123456789abcdef0123456789abcdef.jpg';

function open(params: Record<string, string>) {
  jest
    .spyOn(taroMock, 'useRouter')
    .mockReturnValue({ params, path: '/pages/service-log/index' } as unknown as ReturnType<typeof taroMock.useRouter>);
  return render(<ServiceLog />);
}

function mockUpload(status: number, body: unknown) {
  const calls: { url: string; body: FormData }[] = [];
  global.fetch = jest.fn(async (url: string, init: { body: FormData }) => {
    calls.push({ url, body: init.body });
    return { status, text: async () => JSON.stringify(body) };
  }) as unknown as typeof fetch;
  return calls;
}

describe('记录服务 / 标记完成', () => {
  beforeEach(() => {
    login();
    (chooseFile as jest.Mock).mockResolvedValue({
      kind: 'blob',
      blob: new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' }),
      name: '现场.jpg',
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    delete (global as { fetch?: unknown }).fetch;
  });

  it('when a member sets 2.5 hours and 2 problems, adds a photo and submits, then the record carries exactly that', async () => {
    const sent = mockApi({
      'GET /claims/mine': ok({ items: [myClaim()] }),
      'POST /claims/p1_u1/records': { statusCode: 201, data: record() },
    });
    const uploads = mockUpload(201, { url: PHOTO });
    open({ claim: 'p1_u1' });

    expect((await screen.findByTestId('slog-title')).textContent).toBe('法律咨询岗');
    expect(screen.getByTestId('slog-hours-value').textContent).toBe('1');
    for (let i = 0; i < 3; i++) fireEvent.click(screen.getByTestId('slog-hours-plus'));
    fireEvent.click(screen.getByTestId('slog-resolved-plus'));
    fireEvent.click(screen.getByTestId('slog-resolved-plus'));
    expect(screen.getByText('书记确认后得 5 分（每小时2分，每天最多8分）')).toBeTruthy();
    fireEvent.change(screen.getByTestId('slog-note'), { target: { value: '为群众解答宅基地纠纷' } });
    fireEvent.click(screen.getByTestId('slog-photos-add'));
    await waitFor(() => expect(screen.getAllByTestId('slog-photos-item')).toHaveLength(1));
    expect(uploads[0].url).toBe('/api/v1/uploads');
    expect((uploads[0].body.get('file') as File).name).toBe('现场.jpg');

    fireEvent.click(screen.getByTestId('slog-submit'));
    await waitFor(() => expect(sent.some((r) => r.method === 'POST')).toBe(true));
    expect(sent.find((r) => r.method === 'POST')?.data).toEqual({
      hours: 2.5,
      resolved: 2,
      note: '为群众解答宅基地纠纷',
      photoUrls: [PHOTO],
      servedOn: dayKey(Date.now()),
    });
    await waitFor(() => expect(Taro.switchTab).toHaveBeenCalledWith({ url: '/pages/service/index' }));
  });

  it('when the photo is not an image the server accepts, then its reason shows and nothing is added', async () => {
    mockApi({ 'GET /claims/mine': ok({ items: [myClaim()] }) });
    mockUpload(415, { error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: '只能上传 JPG、PNG 或 WebP 格式的照片' } });
    open({ claim: 'p1_u1' });
    fireEvent.click(await screen.findByTestId('slog-photos-add'));
    expect((await screen.findByTestId('slog-photos-error')).textContent).toBe('只能上传 JPG、PNG 或 WebP 格式的照片');
    expect(screen.queryAllByTestId('slog-photos-item')).toHaveLength(0);
  });

  it('when the note is empty, then it asks for one and sends nothing; hours stay within 0.5-12', async () => {
    const sent = mockApi({ 'GET /claims/mine': ok({ items: [myClaim()] }) });
    open({ claim: 'p1_u1' });
    await screen.findByTestId('slog-title');
    for (let i = 0; i < 5; i++) fireEvent.click(screen.getByTestId('slog-hours-minus'));
    expect(screen.getByTestId('slog-hours-value').textContent).toBe('0.5');
    fireEvent.click(screen.getByTestId('slog-submit'));
    expect(screen.getByTestId('slog-problem').textContent).toBe('请简要写下服务内容');
    expect(sent.some((r) => r.method === 'POST')).toBe(false);
  });

  it('when a member fulfils a wish, then the note and photos go to /fulfil', async () => {
    const sent = mockApi({
      'GET /wishes/w1': ok(wish({ status: 'claimed', mine: true })),
      'POST /wishes/w1/fulfil': ok(wish({ status: 'fulfilled', mine: true })),
    });
    open({ wish: 'w1' });
    expect((await screen.findByTestId('slog-title')).textContent).toBe('想学用智能手机视频通话');
    expect(screen.queryByTestId('slog-hours-value')).toBeNull();
    fireEvent.change(screen.getByTestId('slog-note'), { target: { value: '上门教会老人视频通话' } });
    fireEvent.click(screen.getByTestId('slog-submit'));
    await waitFor(() =>
      expect(sent.find((r) => r.method === 'POST')?.data).toEqual({ note: '上门教会老人视频通话', photoUrls: [] }),
    );
  });

  it('when a member served yesterday, then they choose 昨天 among today and the last 7 days and the record carries that day', async () => {
    const sent = mockApi({
      'GET /claims/mine': ok({ items: [myClaim()] }),
      'POST /claims/p1_u1/records': { statusCode: 201, data: record() },
    });
    open({ claim: 'p1_u1' });
    await screen.findByTestId('slog-title');
    const yesterday = dayKey(Date.now() - 86_400_000);
    expect(screen.getAllByTestId(/^slog-day-\d/)).toHaveLength(8);
    expect(screen.getByTestId(`slog-day-${dayKey(Date.now())}`).textContent).toBe('今天');
    fireEvent.click(screen.getByTestId(`slog-day-${yesterday}`));
    expect(screen.getByTestId('slog-day').textContent).toMatch(/^服务日期：\d+月\d+日 周[一二三四五六日]$/);
    expect(screen.getByTestId('slog-note').getAttribute('placeholder')).toContain('法律咨询岗');
    fireEvent.change(screen.getByTestId('slog-note'), { target: { value: '为群众解答宅基地纠纷' } });
    fireEvent.click(screen.getByTestId('slog-submit'));
    await waitFor(() => expect(sent.some((r) => r.method === 'POST')).toBe(true));
    expect(sent.find((r) => r.method === 'POST')?.data).toMatchObject({ servedOn: yesterday });
  });

  it('when a wish is marked done, then the page is titled 标记心愿完成, not 记录服务', async () => {
    mockApi({ 'GET /wishes/w1': ok(wish({ status: 'claimed', mine: true })) });
    open({ wish: 'w1' });
    await screen.findByTestId('slog-title');
    expect(Taro.setNavigationBarTitle).toHaveBeenCalledWith({ title: '标记心愿完成' });
    expect(screen.queryByTestId('slog-day')).toBeNull();
  });
});

describe('RecordCard: the day served, hours and status read first', () => {
  it('shows the day served (not the time it was typed in), the hours and the status', () => {
    renderCard(
      <RecordCard
        record={record({ servedOn: '2026-11-27', hours: 2, status: 'pending', createdAt: '2026-11-29T01:00:00Z' })}
      />,
    );
    expect(screen.getByTestId('record-day').textContent).toBe('11月27日 周五');
    expect(screen.getByTestId('record-hours').textContent).toBe('服务 2 小时');
    expect(screen.getByTestId('record-status').textContent).toBe('待确认');
    expect(screen.getByTestId('record-card').textContent).toContain('提交于');
  });
});
