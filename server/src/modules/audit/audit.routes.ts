import Router from '@koa/router';
import { AuditQuerySchema } from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { MANAGERS, apiRoutes } from '../../http/route';
import type { AppState } from '../../http/types';
import { auditLog } from './audit.service';

export function auditRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  apiRoutes(router, auth).get('/audit', { roles: MANAGERS, query: AuditQuerySchema }, (me, { query }) =>
    auditLog(me, query),
  );
  return router;
}
