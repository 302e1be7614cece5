import Taro from '@tarojs/taro';
import { ApiError } from './api-error';
import { request, resetRateLimitCoolDown } from './request';
import { login, mockApi, ok } from '../../test/api-mock';

const toastTitles = () => (Taro.showToast as jest.Mock).mock.calls.map((c: [{ title: string }]) => c[0].title);

describe('request wrapper', () => {
  it('when signed in, then it sends the bearer token to /api/v1 and returns the JSON body', async () => {
    login('abc');
    const sent = mockApi({ 'GET /me': ok({ id: 'u1' }) });

    await expect(request({ path: '/me', query: { a: 1, skip: undefined } })).resolves.toEqual({ id: 'u1' });

    expect(sent).toHaveLength(1);
    expect(sent[0].header.Authorization).toBe('Bearer abc');
    expect(sent[0].query).toEqual({ a: '1' });
    const opts = (Taro.request as unknown as jest.Mock).mock.calls[0][0];
    expect(opts.url).toBe('/api/v1/me?a=1');
    expect(opts.timeout).toBeGreaterThan(0);
  });

  it('when there is no token, then no Authorization header is sent', async () => {
    const sent = mockApi({ 'GET /config/public': ok({}) });
    await request({ path: '/config/public' });
    expect(sent[0].header.Authorization).toBeUndefined();
  });

  it('when the server replies with an error body, then it throws ApiError(code, message, status) and toasts the message', async () => {
    mockApi({
      'POST /posts/p1/claims': { statusCode: 409, data: { error: { code: 'POST_FULL', message: '该岗位已认领满员' } } },
    });

    const err = await request({ method: 'POST', path: '/posts/p1/claims' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'POST_FULL', message: '该岗位已认领满员', status: 409 });
    expect(toastTitles()).toEqual(['该岗位已认领满员']);
  });

  it('when the error body is not ours (a proxy page), then it still throws a Chinese ApiError', async () => {
    mockApi({ 'GET /me': { statusCode: 502, data: '<html>Bad Gateway</html>' } });
    await expect(request({ path: '/me' })).rejects.toMatchObject({
      code: 'HTTP_502',
      status: 502,
      message: '服务器开小差了，请稍后重试',
    });
  });

  it('when quiet, then a server error is thrown without a toast', async () => {
    mockApi({ 'GET /me': { statusCode: 404, data: { error: { code: 'NOT_FOUND', message: '内容不存在或已删除' } } } });
    await expect(request({ path: '/me', quiet: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(Taro.showToast).not.toHaveBeenCalled();
  });

  describe('network failures', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('when the network fails twice, then the third try succeeds and nobody sees a toast', async () => {
      let calls = 0;
      const sent = mockApi({ 'GET /me': () => (++calls <= 2 ? new Error('request:fail timeout') : ok({ id: 'u1' })) });

      const result = request({ path: '/me' });
      await jest.runAllTimersAsync();

      await expect(result).resolves.toEqual({ id: 'u1' });
      expect(sent).toHaveLength(3);
      expect(Taro.showToast).not.toHaveBeenCalled();
    });

    it('when the network keeps failing, then it gives up after 2 retries with a clear Chinese toast', async () => {
      const sent = mockApi({ 'GET /me': new Error('request:fail') });

      const result = request({ path: '/me', quiet: true }).catch((e: unknown) => e);
      await jest.runAllTimersAsync();
      const err = await result;

      expect(sent).toHaveLength(3);
      expect(err).toBeInstanceOf(ApiError);
      expect(err).toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
      expect(toastTitles()).toEqual(['网络不给力，请稍后重试']);
    });

    it('when a write is retried, then every try carries the same Idempotency-Key', async () => {
      let calls = 0;
      const sent = mockApi({
        'POST /auth/dev': () => (++calls === 1 ? new Error('request:fail') : ok({ token: 't' })),
      });

      const result = request({ method: 'POST', path: '/auth/dev', body: { openid: 'x' } });
      await jest.runAllTimersAsync();
      await result;

      expect(sent).toHaveLength(2);
      expect(sent[0].header['Idempotency-Key']).toBeTruthy();
      expect(sent[1].header['Idempotency-Key']).toBe(sent[0].header['Idempotency-Key']);
    });
  });

  it('when the server says 401, then the token is cleared and the member is sent to the login page', async () => {
    login('stale');
    mockApi({ 'GET /me': { statusCode: 401, data: { error: { code: 'UNAUTHENTICATED', message: '请先登录' } } } });

    await expect(request({ path: '/me', quiet: true })).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });

    expect(Taro.getStorageSync('token')).toBe('');
    expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' });
  });

  it('when a 401 comes back on the login page itself, then it does not reload the login page', async () => {
    (Taro.getCurrentPages as jest.Mock).mockReturnValueOnce([{ route: 'pages/login/index' }]);
    mockApi({
      'POST /auth/wechat': {
        statusCode: 401,
        data: { error: { code: 'WECHAT_CODE_INVALID', message: '微信登录已失效' } },
      },
    });

    await expect(request({ method: 'POST', path: '/auth/wechat', body: { code: 'x' } })).rejects.toMatchObject({
      status: 401,
    });
    expect(Taro.reLaunch).not.toHaveBeenCalled();
    expect(toastTitles()).toEqual(['微信登录已失效']);
  });

  describe('rate limits (429)', () => {
    afterEach(() => {
      resetRateLimitCoolDown();
      jest.useRealTimers();
    });

    const tooMany = (
      header: Record<string, string>,
      data: unknown = { error: { code: 'RATE_LIMITED', message: '操作太频繁，请稍后再试' } },
    ) =>
      (Taro.request as unknown as jest.Mock).mockResolvedValue({ statusCode: 429, data, header, errMsg: 'request:ok' });

    it('when a write gets 429, then the member sees the Chinese message and no write is sent again until Retry-After has passed', async () => {
      jest.useFakeTimers({ now: new Date('2026-11-25T02:00:00Z') });
      tooMany({ 'Retry-After': '20' });

      await expect(request({ method: 'POST', path: '/checkins', body: {} })).rejects.toMatchObject({
        code: 'RATE_LIMITED',
        status: 429,
      });
      expect(Taro.request).toHaveBeenCalledTimes(1);
      expect(toastTitles()).toEqual(['操作太频繁，请稍后再试']);

      // A double tap, or the offline queue draining, inside the window: refused here, not sent.
      await expect(request({ method: 'PATCH', path: '/me', body: {} })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
      expect(Taro.request).toHaveBeenCalledTimes(1);
      expect(toastTitles()).toEqual(['操作太频繁，请稍后再试', '操作太频繁，请稍后再试']);

      // Reads are not limited by the server, so they still go out.
      mockApi({ 'GET /me': ok({ id: 'u1' }), 'PATCH /me': ok({ id: 'u1' }) });
      await expect(request({ path: '/me' })).resolves.toEqual({ id: 'u1' });

      jest.setSystemTime(new Date('2026-11-25T02:00:21Z'));
      await expect(request({ method: 'PATCH', path: '/me', body: {} })).resolves.toEqual({ id: 'u1' });
    });

    it('when a gateway answers 429 without our body or a Retry-After, then the message is still Chinese and writes pause briefly', async () => {
      jest.useFakeTimers({ now: new Date('2026-11-25T02:00:00Z') });
      tooMany({}, '<html>429</html>');

      await expect(request({ method: 'POST', path: '/posts/p1/claims' })).rejects.toMatchObject({
        code: 'RATE_LIMITED',
        message: '操作太频繁，请稍后再试',
      });
      await expect(request({ method: 'POST', path: '/posts/p1/claims' })).rejects.toMatchObject({
        code: 'RATE_LIMITED',
      });
      expect(Taro.request).toHaveBeenCalledTimes(1);

      jest.setSystemTime(new Date('2026-11-25T02:00:11Z'));
      await expect(request({ method: 'POST', path: '/posts/p1/claims' })).rejects.toMatchObject({
        code: 'RATE_LIMITED',
      });
      expect(Taro.request).toHaveBeenCalledTimes(2);
    });
  });
});

/** Each request answers 200 with the next of `headers`; returns the headers each request sent. */
const replies = (headers: Record<string, string>[]) => {
  const sent: Record<string, string>[] = [];
  let n = 0;
  (Taro.request as unknown as jest.Mock).mockImplementation(async (opts: { header: Record<string, string> }) => {
    sent.push(opts.header);
    return { statusCode: 200, data: {}, header: headers[n++] ?? {}, errMsg: 'request:ok' };
  });
  return sent;
};

describe('my points sequence (X-Points-Version)', () => {
  it('when a reply says a sequence, then every later request sends the highest seen; garbage and lower ones are ignored', async () => {
    login('seq-a');
    const sent = replies([{ 'x-points-version': '41' }, { 'X-Points-Version': 'abc' }, { 'X-Points-Version': '12' }]);
    for (let i = 0; i < 4; i++) await request({ method: i === 0 ? 'POST' : 'GET', path: '/me' });
    expect(sent.map((h) => h['X-Points-Version'])).toEqual([undefined, '41', '41', '41']);
  });

  it('when another member signs in, then the sequence seen under the old token is not sent', async () => {
    login('seq-b');
    const sent = replies([{ 'X-Points-Version': '7' }, {}]);
    await request({ path: '/me' });
    login('seq-c');
    await request({ path: '/me' });
    expect(sent.map((h) => h['X-Points-Version'])).toEqual([undefined, undefined]);
  });

  it('when a sequence is longer than 12 digits, then it is ignored', async () => {
    login('seq-d');
    const sent = replies([{ 'X-Points-Version': '1234567890123' }, {}]);
    await request({ path: '/me' });
    await request({ path: '/me' });
    expect(sent.map((h) => h['X-Points-Version'])).toEqual([undefined, undefined]);
  });
});

describe('a renewed session token (X-Session-Token)', () => {
  const T1 = 'h.one.s';
  const T2 = 'h.two.s';

  it('when a reply renews the token, then later requests send it, with the points sequence seen before', async () => {
    login(T1);
    const sent = replies([{ 'X-Points-Version': '9' }, { 'x-session-token': T2 }, {}]);
    for (let i = 0; i < 3; i++) await request({ path: '/me' });
    expect(sent.map((h) => h.Authorization)).toEqual([`Bearer ${T1}`, `Bearer ${T1}`, `Bearer ${T2}`]);
    expect(sent[2]!['X-Points-Version']).toBe('9');
    expect(Taro.getStorageSync('token')).toBe(T2);
  });

  it('when another member signed in meanwhile, or the value is not a token, then it is not taken', async () => {
    login(T1);
    (Taro.request as unknown as jest.Mock).mockImplementation(async () => {
      login('h.other.s'); // a sign-in while the read was on its way
      return { statusCode: 200, data: {}, header: { 'X-Session-Token': T2 }, errMsg: 'request:ok' };
    });
    await request({ path: '/me' });
    expect(Taro.getStorageSync('token')).toBe('h.other.s');
    login(T1);
    replies([{ 'X-Session-Token': 'not a token' }]);
    await request({ path: '/me' });
    expect(Taro.getStorageSync('token')).toBe(T1);
  });
});
