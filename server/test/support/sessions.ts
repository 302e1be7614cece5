import type { SessionUser } from '../../src/http/types';
import { loadSessionUser } from '../../src/modules/users/users.service';
import { buildAdmin, type County } from './factories';

/**
 * buildCounty's county admin (a member of 乙村党支部) and their session as the app loads it, for tests that call
 * services as them (client.ts's `bearer` and `client` are the same member's session over HTTP).
 */
export async function countyAdminSession(county: County): Promise<SessionUser> {
  const admin = await buildAdmin({ of: county.county, branch: county.branchB });
  const session = await loadSessionUser(admin.id);
  if (!session) throw new Error(`no session for ${admin.id}`);
  return session;
}

/**
 * An admin of `adminOf` as a service's actor, built without reading the member: for services that look only at the
 * actor's id, roles and admin org (scorecards). Cast: it has no posting, as such an actor's tests never need one.
 */
export const adminActor = (id: string, adminOf: string): SessionUser =>
  ({ id, roles: ['member', 'admin'], adminOrgId: adminOf, orgId: null, orgPath: [] }) as unknown as SessionUser;
