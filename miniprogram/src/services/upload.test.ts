import Taro from '@tarojs/taro';
import { ApiError } from './api-error';
import { importQuestions } from './api';
import { login } from '../../test/api-mock';

interface FetchCall {
  url: string;
  init: { method: string; headers: Record<string, string>; body: FormData };
}

function mockFetch(status: number, body: unknown): FetchCall[] {
  const calls: FetchCall[] = [];
  global.fetch = jest.fn(async (url: string, init: FetchCall['init']) => {
    calls.push({ url, init });
    return { status, text: async () => (typeof body === 'string' ? body : JSON.stringify(body)) };
  }) as unknown as typeof fetch;
  return calls;
}

const sheet = () => ({
  kind: 'blob' as const,
  blob: new Blob(['题干,类型\n'], { type: 'text/csv' }),
  name: '题库.csv',
});

describe('upload helper (H5)', () => {
  afterEach(() => {
    delete (global as { fetch?: unknown }).fetch;
  });

  it('when signed in, then it POSTs the file as multipart field `file` with the bearer token and returns the JSON reply', async () => {
    login('abc');
    const calls = mockFetch(200, { imported: 2, skipped: 0, errors: [] });

    await expect(importQuestions(sheet())).resolves.toEqual({ imported: 2, skipped: 0, errors: [] });

    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe('/api/v1/quiz/questions/import');
    expect(calls[0].init.method).toBe('POST');
    expect(calls[0].init.headers.Authorization).toBe('Bearer abc');
    // the browser sets the multipart boundary: we must not
    expect(calls[0].init.headers['Content-Type']).toBeUndefined();
    const file = calls[0].init.body.get('file') as File;
    expect(file.name).toBe('题库.csv');
  });

  it('when the server refuses, then it throws the same ApiError as request() does', async () => {
    login();
    mockFetch(400, { error: { code: 'VALIDATION_FAILED', message: '只支持 .csv 或 .xlsx 文件' } });
    const err = await importQuestions(sheet()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', message: '只支持 .csv 或 .xlsx 文件', status: 400 });
    // quiet: the console shows it beside the button
    expect(Taro.showToast).not.toHaveBeenCalled();
  });

  it('when the session expired, then the token is cleared and the login page opens', async () => {
    login();
    mockFetch(401, { error: { code: 'UNAUTHENTICATED', message: '请先登录' } });
    await expect(importQuestions(sheet())).rejects.toMatchObject({ status: 401 });
    expect(Taro.getStorageSync('token')).toBe('');
    expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' });
  });

  it('when there is no reply at all, then it is a network ApiError with a Chinese toast', async () => {
    login();
    global.fetch = jest.fn(async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    await expect(importQuestions(sheet())).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
    expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '网络不给力，请稍后重试' }));
  });
});
