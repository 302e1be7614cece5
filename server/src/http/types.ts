import type { Context, DefaultState } from 'koa';
import type { Logger } from 'pino';
import type { Role } from '@pioneer/shared';

/** Who is calling, from a verified JWT: read from the database, or a read's trusted claims (session-view.ts). */
export interface SessionUser {
  id: string;
  roles: Role[];
  orgId: string | null;
  /** Ancestors of the member's branch and the branch itself, county first. */
  orgPath: string[];
  adminOrgId: string | null;
  postedVillageId: string | null;
  /** GET /me's member fields, sealed, when a read trusted the token's claims (modules/users/session-claims.ts). */
  profile?: string;
}

export interface AppState extends DefaultState {
  requestId: string;
  log: Logger;
  user?: SessionUser;
}

export type AppContext = Context & { state: AppState };
