import type { AuthResponse } from '@pioneer/shared';
import type { TokenIssuer } from '../../http/auth';
import { beginSigning, sessionToken } from '../users/session-claims';
import { findOrCreateByOpenid, meView } from '../users/users.service';
import { codeToOpenid, type WechatConfig } from './wechat.client';

export async function signInWithOpenid(tokens: TokenIssuer, openid: string, name?: string): Promise<AuthResponse> {
  const signing = await beginSigning(); // the marks before the member: a change after it shows (session-claims.ts)
  const user = await findOrCreateByOpenid(openid, name);
  return { token: sessionToken(tokens, user, signing), user: await meView(user._id) };
}

export async function signInWithWechat(tokens: TokenIssuer, wechat: WechatConfig, code: string): Promise<AuthResponse> {
  return signInWithOpenid(tokens, await codeToOpenid(wechat, code));
}
