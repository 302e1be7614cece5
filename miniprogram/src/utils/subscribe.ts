import Taro from '@tarojs/taro';
import type { SubscribeTemplate } from '@pioneer/shared';
import { postSubscriptions, type SubscriptionState } from '../services/notices-api';

/**
 * 订阅消息 consent, asked at the moment it matters (a task to report): WeChat shows its own dialog for the
 * templates; each one accepted is one message the server may send. A fresh wx.login code tells the server which
 * WeChat user agreed. Returns how many were accepted (0 when refused or outside WeChat).
 */
export async function askSubscribe(state: SubscriptionState, wanted: SubscribeTemplate[]): Promise<number> {
  const pairs = wanted.flatMap((t) => (state.templates[t] ? [[t, state.templates[t]!] as const] : []));
  if (!state.enabled || pairs.length === 0 || typeof Taro.requestSubscribeMessage !== 'function') return 0;
  const result = (await Taro.requestSubscribeMessage({ tmplIds: pairs.map(([, id]) => id) } as never)) as Record<
    string,
    string
  >;
  const accepted = pairs.filter(([, id]) => result[id] === 'accept').map(([t]) => t);
  if (accepted.length === 0) return 0;
  const { code } = await Taro.login();
  await postSubscriptions(code, accepted);
  return accepted.length;
}
