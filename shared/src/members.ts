/**
 * A member's standing in the Party (党籍). Only `active` members are on lists and boards; the others are kept
 * for history (their ledger, audit lines and transfers stay), shown only when a list asks for that status.
 */
export const MEMBER_STATUSES = ['active', 'suspended', 'left', 'deceased'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

export const MEMBER_STATUS_LABELS: Record<MemberStatus, string> = {
  active: '正常',
  suspended: '停止党籍',
  left: '出党',
  deceased: '去世',
};

/** 组织关系转接: pending until the receiving branch's secretary (or an admin over it) accepts or rejects. */
export const TRANSFER_STATES = ['pending', 'accepted', 'rejected', 'cancelled'] as const;
export type TransferState = (typeof TRANSFER_STATES)[number];

export const TRANSFER_STATE_LABELS: Record<TransferState, string> = {
  pending: '待接收',
  accepted: '已接收',
  rejected: '已退回',
  cancelled: '已撤回',
};
