import { AppError } from '../../http/errors';

export interface WechatConfig {
  appId: string;
  appSecret: string;
  /** https://api.weixin.qq.com in production; a local fake in tests. */
  baseUrl: string;
}

interface Code2SessionReply {
  openid?: string;
  session_key?: string;
  unionid?: string;
  errcode?: number;
  errmsg?: string;
}

/** WeChat's login: the mini-program's `wx.login` code -> `jscode2session` -> openid. */
export async function codeToOpenid(config: WechatConfig, code: string): Promise<string> {
  const url = new URL('/sns/jscode2session', config.baseUrl);
  url.search = new URLSearchParams({ appid: config.appId, secret: config.appSecret, js_code: code, grant_type: 'authorization_code' }).toString();
  let reply: Code2SessionReply;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    reply = (await response.json()) as Code2SessionReply;
  } catch {
    throw new AppError('UPSTREAM_FAILED');
  }
  // 40029: invalid code; 40163: code already used; 45011: too frequent.
  if (reply.errcode === 40029 || reply.errcode === 40163) throw new AppError('WECHAT_CODE_INVALID');
  if (reply.errcode || !reply.openid) throw new AppError('UPSTREAM_FAILED');
  return reply.openid;
}
