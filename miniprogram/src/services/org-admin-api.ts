/**
 * 组织架构, 党员管理 and 邀请码 (issue 14): one typed function per endpoint, types from the shared schemas. Kept out
 * of api.ts so the console sub-package carries them, not the main package.
 */
import type {
  AdjustmentBody,
  CreateInviteBody,
  CreateOrgBody,
  Fence,
  Invite,
  InviteList,
  InviteRow,
  Member,
  MemberQuery,
  MemberRow,
  MemberRowPage,
  MemberStatus,
  Org,
  OrgTreeNode,
  PatchMemberBody,
  Transfer,
  TransferList,
} from '@pioneer/shared';
import { request } from './request';

const id = (s: string) => encodeURIComponent(s);

export const getOrgTree = (rootId: string) => request<OrgTreeNode>({ path: `/orgs/${id(rootId)}/tree`, quiet: true });

export const createOrg = (body: CreateOrgBody) => request<Org>({ method: 'POST', path: '/orgs', body, quiet: true });

export const renameOrg = (orgId: string, name: string) =>
  request<Org>({ method: 'PATCH', path: `/orgs/${id(orgId)}`, body: { name }, quiet: true });

export const setOrgFence = (orgId: string, fence: Fence | null) =>
  request<Org>({ method: 'PATCH', path: `/orgs/${id(orgId)}`, body: { fence }, quiet: true });

export const moveOrg = (orgId: string, parentId: string) =>
  request<OrgTreeNode>({ method: 'POST', path: `/orgs/${id(orgId)}/move`, body: { parentId }, quiet: true });

export const dissolveOrg = (orgId: string) =>
  request<void>({ method: 'DELETE', path: `/orgs/${id(orgId)}`, quiet: true });

export type MemberSearch = Partial<Omit<MemberQuery, 'cursor' | 'limit'>>;

export const searchMembers = (orgId: string, q: MemberSearch, cursor: string | null, limit = 50) =>
  request<MemberRowPage>({
    path: `/orgs/${id(orgId)}/members`,
    query: { ...q, cursor: cursor ?? undefined, limit },
    quiet: true,
  });

export const patchMember = (userId: string, body: PatchMemberBody) =>
  request<Member>({ method: 'PATCH', path: `/members/${id(userId)}`, body, quiet: true });

export const setMemberStatus = (userId: string, status: MemberStatus, reason: string) =>
  request<MemberRow>({ method: 'POST', path: `/members/${id(userId)}/status`, body: { status, reason }, quiet: true });

export const adjustPoints = (body: AdjustmentBody) =>
  request<unknown>({ method: 'POST', path: '/points/adjustments', body, quiet: true });

export const getTransferBranches = () =>
  request<{ items: Array<{ id: string; name: string; parentName: string }> }>({
    path: '/transfers/branches',
    quiet: true,
  });

export const getTransfers = (org: string) => request<TransferList>({ path: '/transfers', query: { org }, quiet: true });

export const getMemberTransfers = (userId: string) =>
  request<{ items: Transfer[] }>({ path: `/members/${id(userId)}/transfers`, quiet: true });

export const startTransfer = (userId: string, toOrgId: string, reason: string) =>
  request<Transfer>({ method: 'POST', path: '/transfers', body: { userId, toOrgId, reason }, quiet: true });

export const decideTransfer = (transferId: string, accept: boolean, comment = '') =>
  request<Transfer>({
    method: 'POST',
    path: `/transfers/${id(transferId)}/${accept ? 'accept' : 'reject'}`,
    body: { comment },
    quiet: true,
  });

/** 撤回: the sending side takes back a transfer still waiting to be received. */
export const withdrawTransfer = (transferId: string) =>
  request<Transfer>({ method: 'POST', path: `/transfers/${id(transferId)}/withdraw`, body: {}, quiet: true });

export const getInvites = (orgId: string) => request<InviteList>({ path: `/orgs/${id(orgId)}/invites`, quiet: true });

export const createInvite = (orgId: string, body: CreateInviteBody) =>
  request<Invite>({ method: 'POST', path: `/orgs/${id(orgId)}/invites`, body, quiet: true });

export const revokeInvite = (code: string) =>
  request<InviteRow>({ method: 'POST', path: `/invites/${id(code)}/revoke`, quiet: true });
