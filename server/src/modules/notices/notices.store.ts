import mongoose from 'mongoose';
import type { AttachmentKind, NoticeAudience } from '@pioneer/shared';

/**
 * 通知公告's documents, every one read and written by `_id` (FerretDB scans for any other filter):
 * - `notices` by id: the notice itself, its target org (and that org's path, itself last) and the branches it reached;
 * - `notice_index` by org id: the notices published to that org, newest kept, what a member's list shows; a member's
 *   list is one key read per org on their path, whatever the number of notices or members;
 * - `notice_reads` by member id: the notices they opened (the unread marks and the 首页 badge);
 * - `notice_branches` by `${noticeId}|${branchId}`: who it reached in that branch when published and who read it;
 * - `notice_receipts` by `${noticeId}|${userId}`: the first open, inserted once (a duplicate key: read before);
 * - `notice_reminders` by `${noticeId}|${day}`: one reminder of the unread a Shanghai day.
 */
export interface NoticeDoc {
  _id: string;
  orgId: string;
  /** The target's ancestors and the target itself, county first (managedFilter's path field). */
  orgPath: string[];
  orgName: string;
  audience: NoticeAudience;
  title: string;
  body: string;
  pinned: boolean;
  expiresAt: Date | null;
  publishedBy: string;
  publisherName: string;
  publishedAt: Date;
  branchIds: string[];
  /** The files attached, by their storage key (uploads/attachments.ts); absent on notices from before attachments. */
  attachments?: { key: string; name: string; kind: AttachmentKind; bytes: number }[];
}

export type IndexItem = Omit<NoticeDoc, 'orgId' | 'orgPath' | 'body' | 'publishedBy' | 'branchIds' | 'attachments'>;
/** A member's list reads at most this many notices an org (the newest); older ones stay readable by link. */
export const INDEX_KEPT = 100;

export interface BranchDoc {
  _id: string;
  noticeId: string;
  branchId: string;
  branchName: string;
  recipients: { id: string; name: string }[];
  readers: string[];
}

const db = () => mongoose.connection;
export const notices = () => db().collection<NoticeDoc>('notices');
export const noticeIndex = () => db().collection<{ _id: string; items: IndexItem[] }>('notice_index');
export const noticeReads = () => db().collection<{ _id: string; ids: string[] }>('notice_reads');
export const noticeBranches = () => db().collection<BranchDoc>('notice_branches');
export const noticeReceipts = () =>
  db().collection<{ _id: string; noticeId: string; userId: string; at: Date }>('notice_receipts');
export const noticeReminders = () => db().collection<{ _id: string; at: Date; count: number }>('notice_reminders');

export const branchKey = (noticeId: string, branchId: string) => `${noticeId}|${branchId}`;
export const receiptKey = (noticeId: string, userId: string) => `${noticeId}|${userId}`;
