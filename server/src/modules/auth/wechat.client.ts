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
  url.search = new URLSearchParams({
    appid: config.appId,
    secret: config.appSecret,
    js_code: code,
    grant_type: 'authorization_code',
  }).toString();
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

/** WeChat's server access token (client_credential), kept until 5 minutes before it expires. */
const accessTokens = new Map<string, { token: string; until: number }>();

async function getJson<T>(url: URL, init?: RequestInit): Promise<T> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return (await response.json()) as T;
  } catch {
    throw new AppError('UPSTREAM_FAILED');
  }
}

/** Drops the cached token (WeChat answered 40001/42001: refused or expired early), so the next call fetches one. */
export function forgetAccessToken(config: WechatConfig): void {
  accessTokens.delete(config.baseUrl + config.appId);
}

export async function accessToken(config: WechatConfig): Promise<string> {
  const cached = accessTokens.get(config.baseUrl + config.appId);
  if (cached && cached.until > Date.now()) return cached.token;
  const url = new URL('/cgi-bin/token', config.baseUrl);
  url.search = new URLSearchParams({
    grant_type: 'client_credential',
    appid: config.appId,
    secret: config.appSecret,
  }).toString();
  const reply = await getJson<{ access_token?: string; expires_in?: number; errcode?: number }>(url);
  if (!reply.access_token) throw new AppError('UPSTREAM_FAILED');
  accessTokens.set(config.baseUrl + config.appId, {
    token: reply.access_token,
    until: Date.now() + ((reply.expires_in ?? 7200) - 300) * 1000,
  });
  return reply.access_token;
}

/** The phone number of a `getPhoneNumber` button's code (`/wxa/business/getuserphonenumber`), mainland numbers only. */
export async function codeToPhone(config: WechatConfig, code: string): Promise<string> {
  const url = new URL('/wxa/business/getuserphonenumber', config.baseUrl);
  url.search = new URLSearchParams({ access_token: await accessToken(config) }).toString();
  const reply = await getJson<{ errcode?: number; phone_info?: { purePhoneNumber?: string; countryCode?: string } }>(
    url,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    },
  );
  // 40029: invalid code. 40001/42001: token refused — dropped so the next try fetches a new one.
  if (reply.errcode === 40001 || reply.errcode === 42001) accessTokens.delete(config.baseUrl + config.appId);
  // Not 401: the member's session is fine, only this code is not.
  if (reply.errcode === 40029) throw new AppError('VALIDATION_FAILED', '获取手机号失败，请重新点击“微信手机号”');
  if (reply.errcode || !reply.phone_info?.purePhoneNumber) throw new AppError('UPSTREAM_FAILED');
  return reply.phone_info.purePhoneNumber;
}
