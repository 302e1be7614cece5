import {
  dayKey,
  maskName,
  type AttachmentKind,
  type NoticeAttachment,
  type NoticeAudience,
  type NoticeDetail,
  type NoticeList,
  type NoticeListItem,
  type NoticeStats,
  type PublishNoticeBody,
} from '@pioneer/shared';
import { isDuplicateKey } from '../../db/connect';
import { newId } from '../../db/ids';
import { AppError, forbidden, invalid, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { authorize, can, managedFilter, REFUSALS, secretaryBranchOf, type Placed } from '../../policy';
import { OrgModel } from '../orgs/orgs.model';
import { requireOrg } from '../orgs/orgs.service';
import { richTextPlain, sanitizeRichText } from '../uploads/rich-text';
import { ownedUploads } from '../uploads/attachments';
import { markUploadsUsed } from '../uploads/uploads.cleanup';
import { UserModel } from '../users/users.model';
import { tell } from '../messages/messages.service';
import { recordAudit } from '../audit/audit.service';
import {
  branchKey,
  INDEX_KEPT,
  noticeBranches,
  noticeIndex,
  noticeReads,
  noticeReceipts,
  noticeReminders,
  notices,
  receiptKey,
  type BranchDoc,
  type IndexItem,
  type NoticeDoc,
} from './notices.store';

const placedOf = (n: Pick<NoticeDoc, 'orgId' | 'orgPath'>): Placed => ({ _id: n.orgId, path: n.orgPath.slice(0, -1) });
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const live = (n: { expiresAt: Date | null }, now: Date) => !n.expiresAt || new Date(n.expiresAt) > now;

function listItem(n: IndexItem, unread: boolean): NoticeListItem {
  return {
    id: n._id,
    title: n.title,
    orgName: n.orgName,
    publisherName: n.publisherName,
    audience: n.audience,
    pinned: n.pinned,
    publishedAt: new Date(n.publishedAt).toISOString(),
    expiresAt: iso(n.expiresAt),
    unread,
  };
}

const roleFits = (roles: readonly string[], audience: NoticeAudience) =>
  audience === 'all' || roles.includes(audience === 'secretaries' ? 'secretary' : 'cadre');

/**
 * Who a notice reaches, grouped by branch, at the moment it goes out. A deliberate scan of the members below the
 * target (publishing is a rare act of a secretary or admin, not a member's hot path).
 */
async function recipientsByBranch(orgId: string, audience: NoticeAudience) {
  const users = await UserModel.find(
    { orgPath: orgId, status: 'active', closedAt: null },
    { name: 1, roles: 1, orgId: 1 },
  ).lean<{ _id: string; name: string; roles: string[]; orgId: string | null }[]>();
  const byBranch = new Map<string, { id: string; name: string }[]>();
  for (const u of users) {
    if (!u.orgId || !roleFits(u.roles, audience)) continue;
    byBranch.set(u.orgId, [...(byBranch.get(u.orgId) ?? []), { id: u._id, name: u.name }]);
  }
  return byBranch;
}

export async function publishNotice(actor: SessionUser, body: PublishNoticeBody, now = new Date()) {
  const orgId = body.org ?? secretaryBranchOf(actor);
  if (!orgId) throw invalid('请选择发布范围');
  const org = await requireOrg(orgId);
  const placed: Placed = { _id: org._id, path: org.path ?? [] };
  authorize(actor, 'notice.publish', placed);
  const html = sanitizeRichText(body.body);
  if (!richTextPlain(html) && !html.includes('<img')) throw invalid('正文不能为空');
  if (body.expiresAt && body.expiresAt <= now) throw invalid('有效期必须晚于现在');
  const uploads = await ownedUploads(
    actor.id,
    body.attachments.map((a) => a.id),
  );
  const publisher = await UserModel.findById(actor.id, { name: 1 }).lean<{ name: string }>();
  const byBranch = await recipientsByBranch(org._id, body.audience);
  const branchIds = [...byBranch.keys()];
  const names = new Map(
    (await OrgModel.find({ _id: { $in: branchIds } }, { name: 1 }).lean<{ _id: string; name: string }[]>()).map((o) => [
      o._id,
      o.name,
    ]),
  );
  const doc: NoticeDoc = {
    _id: newId(),
    orgId: org._id,
    orgPath: [...placed.path, org._id],
    orgName: org.name,
    audience: body.audience,
    title: body.title,
    body: html,
    pinned: body.pinned,
    expiresAt: body.expiresAt ?? null,
    publishedBy: actor.id,
    publisherName: publisher?.name ?? '',
    publishedAt: now,
    branchIds,
    attachments: body.attachments.map((a, i) => ({
      key: a.id,
      name: a.name,
      kind: a.id.split('.').pop() as AttachmentKind,
      bytes: uploads[i]!.bytes,
    })),
  };
  // The notice, then who it reached, then the index entry that makes it visible: a crash before the last leaves an
  // invisible notice, never a visible one without its receipts' branches.
  await notices().insertOne(doc);
  await markUploadsUsed(body.attachments.map((a) => a.id));
  const branches: BranchDoc[] = branchIds.map((b) => ({
    _id: branchKey(doc._id, b),
    noticeId: doc._id,
    branchId: b,
    branchName: names.get(b) ?? '',
    recipients: byBranch.get(b)!,
    readers: [],
  }));
  if (branches.length > 0) await noticeBranches().insertMany(branches);
  const item: IndexItem = {
    _id: doc._id,
    orgName: doc.orgName,
    audience: doc.audience,
    title: doc.title,
    pinned: doc.pinned,
    expiresAt: doc.expiresAt,
    publisherName: doc.publisherName,
    publishedAt: doc.publishedAt,
  };
  await noticeIndex().updateOne(
    { _id: org._id },
    { $push: { items: { $each: [item], $slice: -INDEX_KEPT } } },
    { upsert: true },
  );
  const recipients = branches.reduce((s, b) => s + b.recipients.length, 0);
  await recordAudit({
    actorId: actor.id,
    action: 'notice.publish',
    targetType: 'org',
    targetId: org._id,
    details: { noticeId: doc._id, title: doc.title, receivers: recipients },
  });
  return { ...listItem(item, false), body: html, attachments: attachmentsOf(doc), recipients };
}

/** A member's notices: one key read per org on their path and one for what they opened. Pinned first, newest first. */
export async function memberNotices(actor: SessionUser, now = new Date()): Promise<NoticeList> {
  const [indexes, reads] = await Promise.all([
    Promise.all(actor.orgPath.map((id) => noticeIndex().findOne({ _id: id }))),
    noticeReads().findOne({ _id: actor.id }),
  ]);
  const opened = new Set(reads?.ids ?? []);
  const items = indexes
    .flatMap((d) => d?.items ?? [])
    .filter((n) => live(n, now) && roleFits(actor.roles, n.audience))
    .sort((a, b) => Number(b.pinned) - Number(a.pinned) || +new Date(b.publishedAt) - +new Date(a.publishedAt))
    .map((n) => listItem(n, !opened.has(n._id)));
  return { items, unread: items.filter((i) => i.unread).length };
}

export async function requireNotice(id: string): Promise<NoticeDoc> {
  const doc = await notices().findOne({ _id: id });
  if (!doc) throw notFound('通知');
  return doc;
}

/**
 * Opens a notice. A reader it is meant for gets a receipt, once: the insert of `${notice}|${member}` is the
 * exactly-once (20 racing opens insert one); marking it read and counting it in the branch are `$addToSet`, safe to
 * repeat, so an open after a crash between the writes completes them. Who runs the org may open it too (no receipt).
 */
export async function openNotice(actor: SessionUser, id: string, now = new Date()): Promise<NoticeDetail> {
  const [doc, reads] = await Promise.all([requireNotice(id), noticeReads().findOne({ _id: actor.id })]);
  const reader = can(actor, 'notice.read', { orgId: doc.orgId, audience: doc.audience });
  if (!reader && !can(actor, 'notice.manage', placedOf(doc))) throw forbidden(REFUSALS['notice.read']);
  const already = (reads?.ids ?? []).includes(id);
  if (reader && !already) {
    await noticeReceipts()
      .insertOne({ _id: receiptKey(id, actor.id), noticeId: id, userId: actor.id, at: now })
      .catch((err: unknown) => {
        if (!isDuplicateKey(err)) throw err;
      });
    await Promise.all([
      actor.orgId && doc.branchIds.includes(actor.orgId)
        ? noticeBranches().updateOne({ _id: branchKey(id, actor.orgId) }, { $addToSet: { readers: actor.id } })
        : null,
      noticeReads().updateOne({ _id: actor.id }, { $addToSet: { ids: id } }, { upsert: true }),
    ]);
  }
  // `unread` says whether this open was the first (the page counts the badge down).
  return { ...listItem(doc, reader && !already), body: doc.body, attachments: attachmentsOf(doc) };
}

const attachmentsOf = (doc: NoticeDoc): NoticeAttachment[] =>
  (doc.attachments ?? []).map((a, index) => ({ index, name: a.name, kind: a.kind, bytes: a.bytes }));

/** One attachment of a notice, for those it is for and who runs its org (as opening it). */
export async function noticeAttachment(actor: SessionUser, id: string, index: number) {
  const doc = await requireNotice(id);
  const reader = can(actor, 'notice.read', { orgId: doc.orgId, audience: doc.audience });
  if (!reader && !can(actor, 'notice.manage', placedOf(doc))) throw forbidden(REFUSALS['notice.read']);
  const a = doc.attachments?.[index];
  if (!a) throw notFound('附件');
  return a;
}

/** Notices published to what the actor runs, newest first. A deliberate scan: the publisher's page, not a member's. */
export async function managedNotices(actor: SessionUser): Promise<{ items: NoticeListItem[] }> {
  const filter = managedFilter<NoticeDoc>(actor, [{ org: 'orgId', path: 'orgPath' }]);
  if (!filter) return { items: [] };
  const docs = await notices()
    .find(filter as Record<string, unknown>, { projection: { body: 0 } })
    .sort({ publishedAt: -1 })
    .limit(200)
    .toArray();
  return { items: docs.map((d) => listItem(d, false)) };
}

const NAMES_SHOWN = 200;

export async function noticeStats(actor: SessionUser, id: string): Promise<NoticeStats> {
  const doc = await requireNotice(id);
  authorize(actor, 'notice.manage', placedOf(doc));
  const docs = await Promise.all(doc.branchIds.map((b) => noticeBranches().findOne({ _id: branchKey(id, b) })));
  const branches = docs
    .filter((b): b is BranchDoc => b !== null)
    .map((b) => {
      const readers = new Set(b.readers);
      const unread = b.recipients.filter((r) => !readers.has(r.id));
      return {
        branchId: b.branchId,
        branchName: b.branchName,
        total: b.recipients.length,
        read: b.recipients.length - unread.length,
        unreadNames: unread.slice(0, NAMES_SHOWN).map((r) => maskName(r.name)),
      };
    })
    .sort((a, b) => a.read / (a.total || 1) - b.read / (b.total || 1) || a.branchName.localeCompare(b.branchName));
  const total = branches.reduce((s, b) => s + b.total, 0);
  const read = branches.reduce((s, b) => s + b.read, 0);
  return { notice: listItem(doc, false), total, read, branches };
}

/** Reminds who has not read yet (their 消息 list; a subscribe message when set up), at most once a Shanghai day. */
export async function remindUnread(actor: SessionUser, id: string, now = new Date()): Promise<{ reminded: number }> {
  const doc = await requireNotice(id);
  authorize(actor, 'notice.manage', placedOf(doc));
  if (!live(doc, now)) throw new AppError('ILLEGAL_TRANSITION', '通知已过期，不能再提醒');
  const docs = await Promise.all(doc.branchIds.map((b) => noticeBranches().findOne({ _id: branchKey(id, b) })));
  const unread = docs.flatMap((b) => {
    const readers = new Set(b?.readers ?? []);
    return (b?.recipients ?? []).filter((r) => !readers.has(r.id)).map((r) => r.id);
  });
  if (unread.length === 0) return { reminded: 0 };
  const day = dayKey(now);
  try {
    await noticeReminders().insertOne({ _id: `${id}|${day}`, at: now, count: unread.length });
  } catch (err) {
    if (isDuplicateKey(err)) throw new AppError('CONFLICT', '今天已经提醒过未读的党员，请明天再提醒');
    throw err;
  }
  await tell(
    unread,
    {
      id: `remind|${id}|${day}`,
      kind: 'notice_remind',
      title: `请阅读通知：${doc.title}`,
      text: doc.orgName,
      ref: `notice:${id}`,
    },
    now,
  );
  return { reminded: unread.length };
}
