/** 通知公告 (issue 19): who a notice is for, and what the pages show of it. */
export const NOTICE_AUDIENCES = ['all', 'secretaries', 'cadres'] as const;
export type NoticeAudience = (typeof NOTICE_AUDIENCES)[number];
export const NOTICE_AUDIENCE_LABELS: Record<NoticeAudience, string> = {
  all: '全体党员',
  secretaries: '仅支部书记',
  cadres: '仅驻村干部',
};
export const NOTICE_TITLE_MAX = 60;
/** Raw HTML sent by the editor, before sanitizing (the stored body is capped by the sanitizer's own limit). */
export const NOTICE_BODY_MAX = 200_000;

export interface NoticeListItem {
  id: string;
  title: string;
  orgName: string;
  publisherName: string;
  audience: NoticeAudience;
  pinned: boolean;
  publishedAt: string;
  expiresAt: string | null;
  unread: boolean;
}

export interface NoticeList {
  items: NoticeListItem[];
  unread: number;
}

export interface NoticeDetail extends NoticeListItem {
  /** Sanitized HTML (server/src/modules/uploads/rich-text.ts): rendered as is. */
  body: string;
}

/** Read receipts of one branch: recipients counted when the notice went out. */
export interface NoticeBranchStat {
  branchId: string;
  branchName: string;
  total: number;
  read: number;
  /** Names of who has not read yet, masked (张*明). */
  unreadNames: string[];
}

export interface NoticeStats {
  notice: NoticeListItem;
  total: number;
  read: number;
  branches: NoticeBranchStat[];
}

/** 订阅消息 templates, by what they announce (their ids are the server's config). */
export const SUBSCRIBE_TEMPLATES = ['task', 'deadline', 'activity', 'review'] as const;
export type SubscribeTemplate = (typeof SUBSCRIBE_TEMPLATES)[number];

/** One line of 我的 -> 消息: everything the member was told, whether or not WeChat delivered it. */
export interface MemberMessage {
  id: string;
  kind: 'notice_remind' | 'task' | 'task_returned' | 'task_accepted';
  title: string;
  text: string;
  /** What it is about: `notice:<id>` or `task:<id>`. */
  ref: string;
  at: string;
}
