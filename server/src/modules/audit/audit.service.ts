import { auditActionOf, type AuditAction, type AuditEntry, type AuditPage, type AuditQuery } from '@pioneer/shared';
import { notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { OrgModel } from '../orgs/orgs.model';
import { authorize } from '../../policy';
import { appendToFeeds, readFeed, type StoredFeedItem } from './audit-feed';
import { auditFacts, auditReason, auditSummary } from './audit-scope';
import { AuditModel } from './audit.model';

export interface AuditInput {
  actorId: string;
  /** One of shared/src/audit.ts's actions (each has its Chinese name there). */
  action: AuditAction;
  targetType: string;
  targetId: string;
  details?: Record<string, unknown>;
}

/**
 * The one door for audit lines: stores the entry, then files it in the log of every org on the actor's and the
 * target's chains, so an admin reads their subtree's log (and a secretary their branch's) by key.
 */
export async function recordAudit(entry: AuditInput): Promise<void> {
  const facts = await auditFacts(entry);
  const doc = await AuditModel.create({ ...entry, ...facts });
  await appendToFeeds(facts.scopes, auditActionOf(entry.action).group, {
    id: String(doc._id),
    at: doc.at,
    actorId: entry.actorId,
    actorName: facts.actorName,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    targetLabel: facts.targetLabel,
    summary: auditSummary(entry.action, entry.details),
    reason: auditReason(entry.details),
  });
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
