import type {
  AuthResponse,
  BindRequest,
  JoinPoster,
  Me,
  RosterClaimReply,
  RosterImport,
  RosterMatch,
} from '@pioneer/shared';
import { buildUrl, request } from './request';
import { upload, type UploadFile } from './upload';

const seg = encodeURIComponent;

/** 党员名册导入: the dry run (a per-row report, nothing written), then confirm, then poll by key for progress. */
export const dryRunRoster = (file: UploadFile) => upload<RosterImport>({ path: '/roster/imports', file, quiet: true });
export const confirmRoster = (key: string) =>
  request<RosterImport>({ method: 'POST', path: `/roster/imports/${seg(key)}/confirm`, quiet: true });
export const getRosterImport = (key: string) =>
  request<RosterImport>({ path: `/roster/imports/${seg(key)}`, quiet: true });
export const rosterTemplateUrl = () => buildUrl('/roster/template');

/** Joining: weapp phone (WeChat vouches), H5 typed phone (the secretary confirms), or an invite code. */
export const matchRosterPhone = (code: string) =>
  request<RosterMatch>({ method: 'POST', path: '/me/roster/phone', body: { code }, quiet: true });
export const bindRoster = () => request<AuthResponse>({ method: 'POST', path: '/me/roster/bind', quiet: true });
export const claimRoster = (phone: string, name: string) =>
  request<RosterClaimReply>({ method: 'POST', path: '/me/roster/claim', body: { phone, name }, quiet: true });
export const joinByCode = (inviteCode: string) =>
  request<Me>({ method: 'POST', path: '/me/join', body: { inviteCode }, quiet: true });

/** The secretary's side: the branch's join QR poster and the H5 binding requests. */
export const makeJoinPoster = (orgId: string) =>
  request<JoinPoster>({ method: 'POST', path: `/orgs/${seg(orgId)}/join-poster`, quiet: true });
export const getBindRequests = (orgId: string) => request<BindRequest[]>({ path: `/orgs/${seg(orgId)}/bind-requests` });
export const decideBindRequest = (orgId: string, id: string, accept: boolean) =>
  request<BindRequest[]>({
    method: 'POST',
    path: `/orgs/${seg(orgId)}/bind-requests/${seg(id)}/${accept ? 'confirm' : 'reject'}`,
    quiet: true,
  });

/** An invite code from what a scan returned: the poster's URL (…?code=XXXX) or the bare code. */
export function codeFromScan(text: string): string | null {
  const m = /[?&]code=([A-Za-z0-9]{6,12})/.exec(text) ?? /^\s*([A-Za-z0-9]{6,12})\s*$/.exec(text);
  return m ? m[1]!.toUpperCase() : null;
}
