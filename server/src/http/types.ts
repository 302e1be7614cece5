import type { Context, DefaultState } from 'koa';
import type { Logger } from 'pino';
import type { Role } from '@pioneer/shared';

/** Who is calling, from a verified JWT. Roles and scopes are re-read from the database on each request. */
export interface SessionUser {
  id: string;
  roles: Role[];
  orgId: string | null;
  /** Ancestors of the member's branch and the branch itself, county first. */
  orgPath: string[];
  adminOrgId: string | null;
  postedVillageId: string | null;
}

export interface AppState extends DefaultState {
  requestId: string;
  log: Logger;
  user?: SessionUser;
}

export type AppContext = Context & { state: AppState };
