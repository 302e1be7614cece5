import type { Me, Role } from '@pioneer/shared';
import { heldOrg, orgChain, orgSummary } from '../orgs/orgs.service';
import { pointsSummary } from '../points/points.service';
import { unseal } from '../privacy/field-crypto';
import type { MeSource } from './session-claims';

/** GET /me's reply from the member's own fields, as stored or as the session's claims carry them. */
export async function meOf(user: MeSource): Promise<Me> {
  const [chain, adminOrg, village, points] = await Promise.all([
    orgChain(user.orgPath),
    user.adminOrgId ? heldOrg.get(user.adminOrgId) : null,
    user.postedVillageId ? heldOrg.get(user.postedVillageId) : null,
    pointsSummary(user._id),
  ]);
  const branch = chain[chain.length - 1];
  const fence = village?.fence;
  return {
    id: user._id,
    name: user.name,
    avatarUrl: user.avatarUrl,
    roles: user.roles as Role[],
    org: branch ? { ...branch, path: chain.slice(0, -1) } : null,
    adminOrg: adminOrg ? orgSummary(adminOrg) : null,
    postedVillage: village
      ? { ...orgSummary(village), fence: fence ? { lat: fence.lat!, lng: fence.lng!, radiusM: fence.radiusM! } : null }
      : null,
    identity: {
      dutyTitle: user.identity?.dutyTitle ?? null,
      partySince: user.identity?.partySince ?? null,
      // The member sees their own number in full.
      contact: unseal(user.identity?.contact),
      photoUrl: user.identity?.photoUrl ?? null,
      badge: user.identity?.badge ?? null,
    },
    points,
    careMode: user.careMode ?? false,
    hideFromRankings: user.hideFromRankings ?? false,
  };
}
