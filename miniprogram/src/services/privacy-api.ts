/**
 * 隐私保护指引, consent and 我的数据 (issue 24): one typed function per endpoint, types from shared/src/privacy.
 */
import type { ConsentDecision, MyData, PrivacyStatus } from '@pioneer/shared/src/privacy';
import { buildUrl, request } from './request';

export const getPrivacy = () => request<PrivacyStatus>({ path: '/privacy', quiet: true });

export const postConsent = (version: string, decision: ConsentDecision) =>
  request<PrivacyStatus>({ method: 'POST', path: '/privacy/consent', body: { version, decision } });

export const getMyData = () => request<MyData>({ path: '/me/data', quiet: true });

/** The XLSX download's URL (services/download adds the bearer token). */
export const myDataXlsxUrl = () => buildUrl('/me/data', { format: 'xlsx' });

export const closeMyAccount = () =>
  request<{ closed: true }>({ method: 'POST', path: '/me/close', body: { confirm: '注销' } });
