import { notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { authorize } from '../../policy';
import { recordAudit } from '../audit/audit.service';
import { UserModel, type UserDoc } from '../users/users.model';
import { WishModel, type WishDoc } from '../wishes/wishes.model';
import { unseal } from './field-crypto';

/**
 * A member's phone number in full, for the secretary or admin who runs them (lists show 138****5678). Each look is
 * an audit line (who, whose, when) the county admin reads in 操作记录.
 */
export async function memberContact(
  actor: SessionUser,
  userId: string,
): Promise<{ userId: string; name: string; contact: string | null }> {
  const user = await UserModel.findById(userId).lean<UserDoc>();
  if (!user) throw notFound('党员');
  authorize(actor, 'member.viewContact', {
    _id: user._id,
    orgId: user.orgId ?? null,
    orgPath: user.orgPath,
    roles: user.roles,
  });
  await recordAudit({ actorId: actor.id, action: 'privacy.contact_view', targetType: 'user', targetId: user._id });
  return { userId: user._id, name: user.name, contact: unseal(user.identity?.contact) };
}

/**
 * The one member who claimed a wish needs to reach the resident while the work is theirs (issue 15): claimed, or
 * handed in and waiting for the secretary (who may return it). Once confirmed or closed the number is not theirs.
 */
export const claimantAtWork = (actor: Pick<SessionUser, 'id'>, w: Pick<WishDoc, 'claimantId' | 'stage'>) =>
  !!w.claimantId && w.claimantId === actor.id && (w.stage === 'open' || w.stage === 'fulfilled');

/**
 * A wish's resident's name and contact in full, for who runs the wish's org (lists mask it) and for its claimant at
 * work on it (everyone else sees the name masked and no number); each look is an audit line, the claimant's marked.
 */
export async function residentContact(
  actor: SessionUser,
  wishId: string,
): Promise<{ wishId: string; residentName: string; residentContact: string | null }> {
  const wish = await WishModel.findById(wishId).lean<WishDoc>();
  if (!wish) throw notFound('心愿');
  const asClaimant = claimantAtWork(actor, wish);
  if (!asClaimant) authorize(actor, 'wish.viewContact', { orgId: wish.orgId, orgPath: wish.orgPath });
  await recordAudit({
    actorId: actor.id,
    action: 'privacy.resident_contact_view',
    targetType: 'wish',
    targetId: wish._id,
    ...(asClaimant ? { details: { as: 'claimant' } } : {}),
  });
  return { wishId: wish._id, residentName: wish.residentName, residentContact: unseal(wish.residentContact) };
}
