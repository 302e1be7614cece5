import Router from '@koa/router';
import { AuditQuerySchema } from '@pioneer/shared';
import { requireRole, sessionUser } from '../../http/auth';
import type { RouteDeps } from '../../http/deps';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import { auditLog } from './audit.service';

export function auditRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();

  router.get(
    '/audit',
    auth,
    requireRole('secretary', 'admin'),
    handle({ query: AuditQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await auditLog(sessionUser(ctx.state), query);
    }),
  );

  return router;
}
