import * as taroMock from '@tarojs/taro';

/** Taro's router as the page at `path` sees it (useRouter), with `params` from its query. */
export const routeTo = (path: string, params: Record<string, string> = {}) =>
  jest
    .spyOn(taroMock, 'useRouter')
    .mockReturnValue({ params, path } as unknown as ReturnType<typeof taroMock.useRouter>);
