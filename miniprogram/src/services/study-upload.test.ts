/**
 * The console's video upload (issue 20) waits VIDEO_RULES.uploadTimeoutMs (15 min), not the shared 60 s: a 200 MB
 * file on a slow line takes minutes. Photos and sheets keep 60 s.
 */
import Taro from '@tarojs/taro';
import { VIDEO_RULES } from '@pioneer/shared/src/study-video';
import { importQuestions } from './api';
import { uploadVideoFile } from './study-api';
import { UPLOAD_TIMEOUT_MS } from './upload';
import { login } from '../../test/api-mock';

/** A fetch that never answers: it only ends when the upload helper aborts it. */
function hangingFetch(): void {
  global.fetch = jest.fn(
    (_url: string, init: { signal: AbortSignal }) =>
      new Promise((_resolve, reject) => init.signal.addEventListener('abort', () => reject(new Error('aborted')))),
  ) as unknown as typeof fetch;
}

const video = () => ({ kind: 'blob' as const, blob: new Blob(['mp4']), name: 'a.mp4' });
const sheet = () => ({ kind: 'blob' as const, blob: new Blob(['题干\n']), name: '题库.csv' });

describe('video upload timeout', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    jest.useRealTimers();
    delete (global as { fetch?: unknown }).fetch;
  });

  it('when a video upload is still sending after 60 s, then it keeps waiting until 15 minutes (H5)', async () => {
    login();
    hangingFetch();
    let settled = false;
    const sent = uploadVideoFile(video()).finally(() => (settled = true));
    sent.catch(() => undefined);
    await jest.advanceTimersByTimeAsync(UPLOAD_TIMEOUT_MS + 1_000);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(VIDEO_RULES.uploadTimeoutMs - UPLOAD_TIMEOUT_MS - 2_000);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(2_000);
    await expect(sent).rejects.toMatchObject({ status: 0 });
  });

  it('when a sheet upload hangs, then it still stops at 60 s', async () => {
    login();
    hangingFetch();
    const sent = importQuestions(sheet());
    sent.catch(() => undefined);
    await jest.advanceTimersByTimeAsync(UPLOAD_TIMEOUT_MS);
    await expect(sent).rejects.toMatchObject({ status: 0 });
  });
});

describe('video upload timeout in the mini-program', () => {
  const env = process.env.TARO_ENV;
  afterEach(() => {
    process.env.TARO_ENV = env;
    delete (Taro as { uploadFile?: unknown }).uploadFile;
  });

  it('when uploading a video in weapp, then Taro.uploadFile gets the 15-minute timeout', async () => {
    login();
    process.env.TARO_ENV = 'weapp';
    const uploadFile = jest.fn(async () => ({ statusCode: 201, data: JSON.stringify({ file: 'f', seconds: 12 }) }));
    (Taro as unknown as { uploadFile: unknown }).uploadFile = uploadFile;
    await uploadVideoFile({ kind: 'path', path: 'wxfile://tmp/a.mp4', name: 'a.mp4' });
    expect(uploadFile).toHaveBeenCalledWith(expect.objectContaining({ timeout: VIDEO_RULES.uploadTimeoutMs }));
    expect(VIDEO_RULES.uploadTimeoutMs).toBe(15 * 60_000);
  });
});
