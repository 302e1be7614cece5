/** 组织生活会, 谈心谈话, the township's 销号 list, overdue items, the county's 优秀 share (issue 21). */
import type {
  LifeCheckView,
  LifeMeetingView,
  RectifyItem,
  RectifyQueueItem,
  Talk,
  TalkBody,
  TalkRegister,
} from '@pioneer/shared';
import { buildUrl, request } from './request';

const base = (branchId: string, year: number) => `/life-meetings/${encodeURIComponent(branchId)}/${year}`;

export const getLifeMeeting = (branchId: string, year: number) =>
  request<LifeMeetingView>({ path: base(branchId, year), quiet: true });
export const openLifeMeeting = (body: { org?: string; year: number; topics: string[] }) =>
  request<LifeMeetingView>({ method: 'POST', path: '/life-meetings', body, quiet: true });
export const submitLifeCheck = (branchId: string, year: number, text: string) =>
  request<LifeCheckView>({ method: 'PUT', path: `${base(branchId, year)}/check`, body: { text }, quiet: true });
export const getLifeCheck = (branchId: string, year: number, userId: string) =>
  request<LifeCheckView>({ path: `${base(branchId, year)}/checks/${encodeURIComponent(userId)}`, quiet: true });
export const recordTalk = (branchId: string, year: number, body: TalkBody) =>
  request<Talk>({ method: 'POST', path: `${base(branchId, year)}/talks`, body, quiet: true });
export const getTalks = (branchId: string, year: number) =>
  request<TalkRegister>({ path: `${base(branchId, year)}/talks`, quiet: true });
export const talksXlsxUrl = (branchId: string, year: number) => buildUrl(`${base(branchId, year)}/talks/export`);
export const rectifyXlsxUrl = (branchId: string, year: number) =>
  buildUrl(`/rectify/${encodeURIComponent(branchId)}/${year}/export`);

export const getItemsToClose = () => request<{ items: RectifyQueueItem[] }>({ path: '/rectify/to-close', quiet: true });
export const getOverdueAcross = () =>
  request<{ items: RectifyQueueItem[] }>({ path: '/rectify/overdue-all', quiet: true });
export const getOverdueItems = (org: string) =>
  request<{ items: RectifyQueueItem[] }>({ path: '/rectify/overdue', query: { org }, quiet: true });
export const closeQueuedItem = (q: RectifyQueueItem) =>
  request<RectifyItem>({
    method: 'POST',
    path: `/rectify/${encodeURIComponent(q.branchId)}/${q.year}/${q.item.n}/close`,
    body: {},
    quiet: true,
  });
export const getReviewSettings = () =>
  request<{ org: string; orgName: string; excellentShare: number }>({ path: '/reviews/settings', quiet: true });
export const putReviewSettings = (org: string, excellentShare: number) =>
  request<{ excellentShare: number }>({
    method: 'PUT',
    path: '/reviews/settings',
    body: { org, excellentShare },
    quiet: true,
  });
