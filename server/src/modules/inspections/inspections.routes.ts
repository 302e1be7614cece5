import Router from '@koa/router';
import { InspectionBodySchema, InspectionQuerySchema } from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { requireRole, sessionUser } from '../../http/auth';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import { listInspections, recordInspection } from './inspections.service';

/** 巡查 (issue 18): township and county admins; the scope is the policy module's ('inspection.*'). */
export function inspectionsRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const admin = requireRole('admin');

  router.post(
    '/inspections',
    auth,
    admin,
    handle({ body: InspectionBodySchema }, async ({ body }, ctx) => {
      ctx.status = 201;
      ctx.body = await recordInspection(sessionUser(ctx.state), body);
    }),
  );
  router.get(
    '/inspections',
    auth,
    admin,
    handle({ query: InspectionQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await listInspections(sessionUser(ctx.state), query);
    }),
  );

  return router;
}
