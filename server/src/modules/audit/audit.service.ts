import { auditActionOf, type AuditAction, type AuditEntry, type AuditPage, type AuditQuery } from '@pioneer/shared';
import { groupedMarks } from '../../db/grouped-marks';
import { notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { OrgModel } from '../orgs/orgs.model';
import { authorize } from '../../policy';
import { appendToFeeds, readFeed, type StoredFeedItem } from './audit-feed';
import { auditFacts, auditReason, auditSummary, type AuditFacts } from './audit-scope';
import { AuditModel } from './audit.model';

export interface AuditInput {
  actorId: string;
  /** One of shared/src/audit.ts's actions (each has its Chinese name there). */
  action: AuditAction;
  targetType: string;
  targetId: string;
  details?: Record<string, unknown>;
}

/** Set once an entry is in every feed of its scopes, in groups off the requests' path (db/grouped-marks.ts). */
const filedMarks = groupedMarks('audit-filed-marks', AuditModel, { filed: true });

type StoredEntry = AuditInput & AuditFacts & { _id: unknown; at: Date };

/** Files a stored entry in its scopes' feeds and marks it filed (both off the requests' path). */
function fileEntry(doc: StoredEntry): Promise<void> {
  return appendToFeeds(doc.scopes, auditActionOf(doc.action).group, {
    id: String(doc._id),
    at: doc.at,
    actorId: doc.actorId,
    actorName: doc.actorName,
    action: doc.action,
    targetType: doc.targetType,
    targetId: doc.targetId,
    targetLabel: doc.targetLabel,
    summary: auditSummary(doc.action, doc.details),
    reason: auditReason(doc.details),
  }).then(() => filedMarks.mark(String(doc._id)));
}

/**
 * The one door for audit lines: stores the entry (the record of what was done), then files it in the log of every
 * org on the actor's and the target's chains, so an admin reads their subtree's log (and a secretary their
 * branch's) by key. Issue 17: the filing is queued, not awaited (audit-feed.ts: one head `$inc` per org and one
 * page write per 10 ms for all lines); a reader of the log writes this process's queue first.
 */
export async function recordAudit(entry: AuditInput): Promise<void> {
  const facts = await auditFacts(entry);
  const doc = await AuditModel.create({ ...entry, ...facts, filed: false });
  void fileEntry(doc.toObject() as StoredEntry);
}

/**
 * Start-up: files again the entries a stop kept from their feeds (stored, never marked filed). Entries from before
 * the mark existed were filed when stored. A deliberate scan, once at start-up like the other repairs.
 */
export async function refileAudits(): Promise<number> {
  const unfiled = await AuditModel.find({ filed: false }).lean<StoredEntry[]>();
  await Promise.all(unfiled.map(fileEntry));
  await filedMarks.flush();
  return unfiled.length;
}

function entryOut(i: StoredFeedItem): AuditEntry {
  const { label, group } = auditActionOf(i.action);
  return {
    id: i.id,
    at: new Date(i.at).toISOString(),
    actor: { id: i.actorId, name: i.actorName },
    action: i.action,
    actionLabel: label,
    group,
    target: { type: i.targetType, id: i.targetId, label: i.targetLabel },
    summary: i.summary ?? null,
    reason: i.reason ?? null,
  };
}

/** 操作记录: an admin reads any org in their subtree, a secretary their own branch; newest first. */
export async function auditLog(actor: SessionUser, query: AuditQuery): Promise<AuditPage> {
  const org = await OrgModel.findById(query.org).lean();
  if (!org) throw notFound('组织');
  authorize(actor, 'audit.read', org);
  const { items, next } = await readFeed(
    org._id,
    query.action ?? 'all',
    query.limit,
    query.cursor ? Number(query.cursor) : undefined,
  );
  return { items: items.map(entryOut), nextCursor: next === null ? null : String(next) };
}
