import Taro from '@tarojs/taro';
import type { CircleFence, CoordType, FenceCheck } from '@pioneer/shared';
import { checkFence, toGcj02 } from '@pioneer/shared/src/geo';

/** One position fix as the server wants it: the coordinate system says whether it still needs converting. */
export interface Fix {
  lat: number;
  lng: number;
  /** Metres, as the device reports it. */
  accuracy: number;
  coordType: CoordType;
}

export type LocateFailure = 'denied' | 'unavailable' | 'timeout';

export class LocateError extends Error {
  constructor(readonly reason: LocateFailure) {
    super(LOCATE_MESSAGES[reason]);
    this.name = 'LocateError';
  }
}

export const LOCATE_MESSAGES: Record<LocateFailure, string> = {
  denied: '没有定位权限：请在设置中允许“先锋”使用位置信息后重试',
  unavailable: '暂时无法定位：请打开手机定位（GPS）后重试',
  timeout: '定位超时：请到开阔处重试',
};

const H5_TIMEOUT_MS = 15_000;

/** WeChat gives GCJ-02 directly (the datum the fences use). */
async function locateWeapp(): Promise<Fix> {
  try {
    const res = await Taro.getLocation({ type: 'gcj02', isHighAccuracy: true, highAccuracyExpireTime: 5000 });
    return { lat: res.latitude, lng: res.longitude, accuracy: res.accuracy, coordType: 'gcj02' };
  } catch (e) {
    const msg = String((e as { errMsg?: string })?.errMsg ?? e);
    throw new LocateError(
      /auth|deny|denied|permission/i.test(msg) ? 'denied' : /timeout/i.test(msg) ? 'timeout' : 'unavailable',
    );
  }
}

/** Browsers give WGS-84; the server (and distanceToFence) convert it. */
function locateH5(): Promise<Fix> {
  return new Promise((resolve, reject) => {
    if (typeof navigator === 'undefined' || !navigator.geolocation) {
      reject(new LocateError('unavailable'));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) =>
        resolve({ lat: p.coords.latitude, lng: p.coords.longitude, accuracy: p.coords.accuracy, coordType: 'wgs84' }),
      (err) => reject(new LocateError(err.code === 1 ? 'denied' : err.code === 3 ? 'timeout' : 'unavailable')),
      { enableHighAccuracy: true, timeout: H5_TIMEOUT_MS, maximumAge: 0 },
    );
  });
}

/** Where the member is now: `Taro.getLocation({ type: 'gcj02' })` in WeChat, the browser's geolocation in H5. */
export function locate(): Promise<Fix> {
  return process.env.TARO_ENV === 'weapp' ? locateWeapp() : locateH5();
}

/** The same judgement the server makes, shown before the member taps 打卡. */
export function distanceToFence(fix: Fix, fence: CircleFence): FenceCheck {
  return checkFence(toGcj02(fix, fix.coordType), fence);
}

/** `860米` / `2.4公里`: the one formatter lives in shared/, beside the fence check it describes. */
export { formatDistance } from '@pioneer/shared/src/geo';
