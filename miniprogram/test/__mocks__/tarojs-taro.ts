/**
 * A manual mock of @tarojs/taro: API calls are jest.fn()s (tests script `request`), storage is an in-memory map,
 * page lifecycle hooks run once after mount like a page's first show.
 */
import { useEffect } from 'react';

const storage = new Map<string, unknown>();

export const ENV_TYPE = {
  WEAPP: 'WEAPP',
  WEB: 'WEB',
  RN: 'RN',
  SWAN: 'SWAN',
  ALIPAY: 'ALIPAY',
  TT: 'TT',
  QQ: 'QQ',
  JD: 'JD',
};

const taro = {
  ENV_TYPE,
  request: jest.fn(),
  getStorageSync: jest.fn((key: string) => (storage.has(key) ? storage.get(key) : '')),
  setStorageSync: jest.fn((key: string, value: unknown) => {
    storage.set(key, value);
  }),
  removeStorageSync: jest.fn((key: string) => {
    storage.delete(key);
  }),
  showToast: jest.fn(() => Promise.resolve()),
  showModal: jest.fn(() => Promise.resolve({ confirm: true, cancel: false })),
  reLaunch: jest.fn(() => Promise.resolve()),
  navigateTo: jest.fn(() => Promise.resolve()),
  redirectTo: jest.fn(() => Promise.resolve()),
  switchTab: jest.fn(() => Promise.resolve()),
  login: jest.fn(() => Promise.resolve({ code: 'wx-code', errMsg: 'login:ok' })),
  getCurrentPages: jest.fn(() => [] as Array<{ route?: string }>),
  getEnv: jest.fn(() => ENV_TYPE.WEB),
  getSystemInfoSync: jest.fn(() => ({ windowWidth: 375, windowHeight: 812, pixelRatio: 2, platform: 'devtools' })),
  getWindowInfo: jest.fn(() => ({ windowWidth: 375, windowHeight: 812, pixelRatio: 2 })),
  pxTransform: jest.fn((n: number) => `${n / 2}px`),
  stopPullDownRefresh: jest.fn(),
  getLocation: jest.fn(),
  downloadFile: jest.fn(),
  openDocument: jest.fn(() => Promise.resolve()),
  makePhoneCall: jest.fn(() => Promise.resolve()),
  setNavigationBarTitle: jest.fn(() => Promise.resolve()),
};

export default taro;
export const {
  request,
  getStorageSync,
  setStorageSync,
  removeStorageSync,
  showToast,
  showModal,
  reLaunch,
  navigateTo,
  redirectTo,
  switchTab,
  login,
  getCurrentPages,
  getEnv,
  getSystemInfoSync,
  getWindowInfo,
  pxTransform,
  stopPullDownRefresh,
  getLocation,
  downloadFile,
  openDocument,
} = taro;

function useOnce(cb: () => void) {
  useEffect(() => {
    cb();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
}

export const useDidShow = useOnce;
export const useLoad = useOnce;
export const useLaunch = useOnce;
export const useReady = useOnce;
export const useDidHide = (_cb: () => void) => undefined;
export const useReachBottom = (_cb: () => void) => undefined;
/** The page's 下拉刷新 handler, latest render's; a test pulls with `pullDownRefresh()`. */
let pullDownHandler: (() => void) | null = null;
export const usePullDownRefresh = (cb: () => void) => {
  pullDownHandler = cb;
};
export function pullDownRefresh(): void {
  if (!pullDownHandler) throw new Error('this page has no 下拉刷新 handler');
  pullDownHandler();
}
export const useRouter = () => ({ params: {}, path: '' });

/** Clears storage and call history between tests (implementations stay). */
export function resetTaroMock(): void {
  storage.clear();
  pullDownHandler = null;
  for (const fn of Object.values(taro)) {
    if (typeof fn === 'function' && 'mockClear' in fn) (fn as jest.Mock).mockClear();
  }
  taro.request.mockReset();
}
