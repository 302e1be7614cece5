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

/**
 * Files attached to a notice: documents and pictures, the kind decided from the file's bytes on upload (never its
 * name), downloaded only by those the notice is for and who runs its org.
 */
export const ATTACHMENT_KINDS = ['pdf', 'docx', 'xlsx', 'jpg', 'png', 'webp'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];
export const ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;
export const ATTACHMENTS_PER_NOTICE = 9;
export const ATTACHMENT_NAME_MAX = 100;
/** What the picker offers (the server decides by the bytes whatever the name says). */
export const ATTACHMENT_EXTENSIONS = ['pdf', 'docx', 'xlsx', 'jpg', 'jpeg', 'png', 'webp'] as const;

export interface NoticeAttachment {
  /** Its place in the notice (the download URL's last part). */
  index: number;
  name: string;
  kind: AttachmentKind;
  bytes: number;
}

/** An upload not yet published: `id` is what the publish body names. */
export interface UploadedAttachment {
  id: string;
  name: string;
  kind: AttachmentKind;
  bytes: number;
}

/** 1.2 MB, 350 KB, 800 B. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}

export interface NoticeDetail extends NoticeListItem {
  /** Sanitized HTML (server/src/modules/uploads/rich-text.ts): rendered as is. */
  body: string;
  attachments: NoticeAttachment[];
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
  kind:
    | 'notice_remind'
    | 'task'
    | 'task_returned'
    | 'task_accepted'
    /** The scheduled reminders (server/src/modules/notify/reminders.job.ts). */
    | 'task_deadline'
    | 'activity_soon'
    | 'review_open'
    | 'review_closing'
    /** Decisions in other modules (server/src/modules/notify/reviewed.ts). */
    | 'commitment_reviewed'
    | 'checkin_reviewed';
  title: string;
  text: string;
  /** What it is about: `notice:<id>`, `task:<id>`, `activity:<id>`, `review:<round id>`, `commitment:<id>`, `checkin:<id>`. */
  ref: string;
  at: string;
}
