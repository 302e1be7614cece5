import Taro from '@tarojs/taro';

/** Pages of 服务 (posts and micro-wishes) and of the secretary's 工作台. */
export const SERVICE_TAB = '/pages/service/index';
export const postUrl = (id: string) => `/pages/post-detail/index?id=${encodeURIComponent(id)}`;
export const logServiceUrl = (claimId: string) => `/pages/service-log/index?claim=${encodeURIComponent(claimId)}`;
export const fulfilWishUrl = (wishId: string) => `/pages/service-log/index?wish=${encodeURIComponent(wishId)}`;
export const SERVICE_ADMIN = '/console/service-admin/index';
export const postEditUrl = (id?: string) => `/console/post-edit/index${id ? `?id=${encodeURIComponent(id)}` : ''}`;
export const wishEditUrl = (id?: string) => `/console/wish-edit/index${id ? `?id=${encodeURIComponent(id)}` : ''}`;
export const postSeatsUrl = (id: string) => `/console/post-seats/index?id=${encodeURIComponent(id)}`;

export function go(url: string): void {
  void Taro.navigateTo({ url });
}

/** After a form is saved: back to where the member came from (or the 服务 tab when opened directly). */
export function back(): void {
  if (Taro.getCurrentPages().length > 1) void Taro.navigateBack();
  else void Taro.switchTab({ url: SERVICE_TAB });
}
