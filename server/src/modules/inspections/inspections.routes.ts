import Router from '@koa/router';
import { InspectionBodySchema, InspectionQuerySchema } from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { ADMINS, apiRoutes } from '../../http/route';
import type { AppState } from '../../http/types';
import { listInspections, recordInspection } from './inspections.service';

/** 巡查 (issue 18): township and county admins; the scope is the policy module's ('inspection.*'). */
export function inspectionsRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const api = apiRoutes(router, auth);

  api.post('/inspections', { roles: ADMINS, body: InspectionBodySchema, status: 201 }, (me, { body }) =>
    recordInspection(me, body),
  );
  api.get('/inspections', { roles: ADMINS, query: InspectionQuerySchema }, (me, { query }) =>
    listInspections(me, query),
  );

  return router;
}
