/**
 * One typed function per endpoint. Request and response types come from the shared package (the same zod
 * schemas the server parses with), so the two sides cannot drift apart silently.
 */
import type { AuthResponse, LedgerPage, Me, MemberBoard, Org, OrgBoard, Period, PublicConfig } from '@pioneer/shared'
import { request } from './request'

export const getPublicConfig = () => request<PublicConfig>({ path: '/config/public', quiet: true })

export const loginDev = (openid: string) => request<AuthResponse>({ method: 'POST', path: '/auth/dev', body: { openid } })

export const loginWechat = (code: string) => request<AuthResponse>({ method: 'POST', path: '/auth/wechat', body: { code } })

export const getMe = () => request<Me>({ path: '/me', quiet: true })

export const getLedger = (cursor?: string | null) =>
  request<LedgerPage>({ path: '/points/ledger', query: { cursor }, quiet: true })

export const getMemberBoard = (params: { scope: string; period: Period; limit?: number }) =>
  request<MemberBoard>({ path: '/leaderboards/members', query: params, quiet: true })

export const getOrgBoard = (params: { parent: string; period: Period }) =>
  request<OrgBoard>({ path: '/leaderboards/orgs', query: params, quiet: true })

export const getOrg = (id: string) => request<Org>({ path: `/orgs/${encodeURIComponent(id)}`, quiet: true })
