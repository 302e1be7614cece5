import {
  AUDIT_TARGET_LABELS,
  MEMBER_STATUS_LABELS,
  RATING_LABELS,
  ROLE_LABELS,
  type CommitmentRating,
  type MemberStatus,
  type Role,
} from '@pioneer/shared';
import { adminRootOf } from '../../policy/scope';
import { OrgModel } from '../orgs/orgs.model';
import { UserModel, type UserDoc } from '../users/users.model';
import { readOnce } from '../../db/engine-commands';

/**
 * Works out, at write time, whose logs an entry belongs in and how it reads, so the log is a key lookup later:
 * the actor's chain (an admin's administered org, a secretary's branch) and the target's chain (the member it is
 * about, or the org itself). Services keep calling `recordAudit` with ids only.
 */
export interface AuditFacts {
  actorName: string;
  targetLabel: string;
  scopes: string[];
}

interface EntryLike {
  actorId: string;
  targetType: string;
  targetId: string;
  details?: Record<string, unknown>;
}

const chainOf = (org: { _id: string; path: string[] } | null) => (org ? [...org.path, org._id] : []);

/** Read once per request: the actor is usually the session's member, the subject often the one just paid. */
const userById = (id: string) => readOnce('users', id, () => UserModel.findById(id).lean<UserDoc>());

async function actorFacts(actorId: string) {
  const user = await userById(actorId);
  if (!user) return { name: '', orgs: [] as string[] };
  // An admin acts for the org they run, not for the branch they happen to belong to.
  const adminRoot = adminRootOf(user);
  if (adminRoot) return { name: user.name, orgs: chainOf(await OrgModel.findById(adminRoot).lean()) };
  return { name: user.name, orgs: user.orgPath ?? [] };
}

/** The member an entry is about: the target itself, a commitment's owner (`${userId}|${year}`), or named in details. */
function subjectUserId(entry: EntryLike): string | null {
  if (entry.targetType === 'user') return entry.targetId;
  if (entry.targetType === 'commitment') return entry.targetId.split('|')[0] ?? null;
  const d = entry.details ?? {};
  const id = d.userId ?? d.claimantId;
  return typeof id === 'string' ? id : null;
}

async function targetFacts(entry: EntryLike) {
  const typeLabel = AUDIT_TARGET_LABELS[entry.targetType] ?? entry.targetType;
  if (entry.targetType === 'org') {
    const org = await OrgModel.findById(entry.targetId).lean();
    return { label: org?.name ?? typeLabel, orgs: chainOf(org) };
  }
  const userId = subjectUserId(entry);
  const user = userId ? await userById(userId) : null;
  if (!user) return { label: typeLabel, orgs: [] as string[] };
  return { label: entry.targetType === 'user' ? user.name : `${typeLabel} · ${user.name}`, orgs: user.orgPath ?? [] };
}

export async function auditFacts(entry: EntryLike): Promise<AuditFacts> {
  const [actor, target] = await Promise.all([actorFacts(entry.actorId), targetFacts(entry)]);
  return { actorName: actor.name, targetLabel: target.label, scopes: [...new Set([...actor.orgs, ...target.orgs])] };
}

const text = (v: unknown, max = 200) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : null);

/** The reason or comment the actor wrote, if any. */
export function auditReason(details: Record<string, unknown> = {}): string | null {
  return text(details.reason) ?? text(details.comment);
}

/** What changed, in a few words, for the actions whose name alone does not say it. */
export function auditSummary(action: string, d: Record<string, unknown> = {}): string | null {
  const parts: string[] = [];
  if (action === 'points.adjust' && typeof d.delta === 'number') parts.push(`${d.delta > 0 ? '+' : ''}${d.delta} 分`);
  if (Array.isArray(d.roles))
    parts.push(`角色：${(d.roles as Role[]).map((r) => ROLE_LABELS[r] ?? r).join('、') || ROLE_LABELS.member}`);
  if (action === 'member.update' && d.orgId !== undefined) parts.push('调整所在支部');
  if (d.postedVillageId !== undefined) parts.push(d.postedVillageId === null ? '取消驻村' : '调整驻村');
  if (d.adminOrgId !== undefined) parts.push(d.adminOrgId === null ? '取消管理范围' : '设置管理范围');
  // Roles a change of branch took away (policy/members.ts): said in words, since nobody asked for them to go.
  if (Array.isArray(d.dropped) && d.dropped.length > 0)
    parts.push(`不再担任：${(d.dropped as Role[]).map((r) => ROLE_LABELS[r] ?? r).join('、')}`);
  if (action === 'member.status' && typeof d.status === 'string')
    parts.push(`党籍：${MEMBER_STATUS_LABELS[d.status as MemberStatus] ?? d.status}`);
  if (typeof d.rating === 'string') parts.push(`评定：${RATING_LABELS[d.rating as CommitmentRating] ?? d.rating}`);
  if (typeof d.hours === 'number') parts.push(`${d.hours} 小时`);
  if (typeof d.day === 'string') parts.push(d.day);
  // issue 24: what was exported (report and period, format, rows) or the retention a county set.
  if (action === 'privacy.export' && typeof d.what === 'string')
    parts.push(`${d.what}（${String(d.format).toUpperCase()}，${String(d.rows)} 行）`);
  // issue 15: a points-rules change says what changed ("每日答题 每题分值 1 → 2") and from which day.
  if (action === 'settings.points_rules' && Array.isArray(d.changes))
    parts.push(`自${String(d.effectiveFrom)}起：${(d.changes as string[]).join('；') || '规则未变'}`);
  if (action === 'activity.cancel' && typeof d.title === 'string') parts.push(`活动：${d.title}`);
  // issue 19: what went down the tree, and to how many.
  if ((action === 'notice.publish' || action === 'task.send') && typeof d.title === 'string')
    parts.push(`《${d.title}》送达 ${String(d.receivers)} ${action === 'task.send' ? '个接收方' : '人'}`);
  if (typeof d.retentionDays === 'number') parts.push(`坐标保存 ${d.retentionDays} 天`);
  return parts.length > 0 ? parts.join('，') : null;
}
