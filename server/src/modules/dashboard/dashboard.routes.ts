import Router from '@koa/router';
import { DashboardQuerySchema } from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { apiRoutes } from '../../http/route';
import type { AppState } from '../../http/types';
import { getDashboard } from './dashboard.service';

export function dashboardRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const api = apiRoutes(router, auth);

  /** 数据看板: an admin's subtree (or an org inside it) for a month, quarter or year; key reads only. */
  api.get('/dashboard', { query: DashboardQuerySchema }, (me, { query }) => getDashboard(me, query));

  return router;
}
