import type { AuthResponse } from '@pioneer/shared';
import type { TokenIssuer } from '../../http/auth';
import { findOrCreateByOpenid, meView } from '../users/users.service';
import { codeToOpenid, type WechatConfig } from './wechat.client';

export async function signInWithOpenid(tokens: TokenIssuer, openid: string, name?: string): Promise<AuthResponse> {
  const user = await findOrCreateByOpenid(openid, name);
  return { token: tokens.sign(user._id), user: await meView(user._id) };
}

export async function signInWithWechat(tokens: TokenIssuer, wechat: WechatConfig, code: string): Promise<AuthResponse> {
  return signInWithOpenid(tokens, await codeToOpenid(wechat, code));
}
