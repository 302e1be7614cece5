import type { InviteList, InviteRow } from '@pioneer/shared';
import { notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { authorize } from '../../policy';
import { recordAudit } from '../audit/audit.service';
import { InviteModel, type InviteDoc } from './orgs.model';
import { requireOrg } from './orgs.service';

/** The newest invites a branch page shows (older ones are long expired). */
const INVITES_SHOWN = 100;

type StoredInvite = InviteDoc & { createdAt?: Date; revokedAt?: Date | null };

export function inviteRow(doc: StoredInvite, now = new Date()): InviteRow {
  const revoked = !!doc.revokedAt;
  const expired = doc.expiresAt.getTime() <= now.getTime();
  return {
    code: doc._id,
    orgId: doc.orgId,
    expiresAt: doc.expiresAt.toISOString(),
    maxUses: doc.maxUses,
    uses: doc.uses,
    usesLeft: revoked || expired ? 0 : Math.max(0, doc.maxUses - doc.uses),
    revoked,
    expired,
    createdAt: (doc.createdAt ?? doc.expiresAt).toISOString(),
  };
}

/**
 * A branch's invites, newest first, with the uses left: its secretary or an admin over it. A deliberate scan of
 * the invites collection (a county issues a few per branch and year): an admin page, bounded to 100 rows.
 */
export async function listInvites(actor: SessionUser, orgId: string, now = new Date()): Promise<InviteList> {
  const org = await requireOrg(orgId);
  authorize(actor, 'invite.manage', org);
  const docs = await InviteModel.find({ orgId: org._id })
    .sort({ createdAt: -1 })
    .limit(INVITES_SHOWN)
    .lean<StoredInvite[]>();
  return { items: docs.map((d) => inviteRow(d, now)) };
}

/** Revokes a code: joining with it is refused from now on (INVITE_REVOKED); the row stays in the list. Audited. */
export async function revokeInvite(actor: SessionUser, code: string, now = new Date()): Promise<InviteRow> {
  const invite = await InviteModel.findById(code).lean<StoredInvite>();
  if (!invite) throw notFound('邀请码');
  const org = await requireOrg(invite.orgId);
  authorize(actor, 'invite.manage', org);
  if (!invite.revokedAt) {
    await InviteModel.updateOne({ _id: code }, { $set: { revokedAt: now } });
    await recordAudit({
      actorId: actor.id,
      action: 'invite.revoke',
      targetType: 'org',
      targetId: org._id,
      details: { code },
    });
  }
  return inviteRow({ ...invite, revokedAt: invite.revokedAt ?? now }, now);
}
