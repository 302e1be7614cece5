import Router from '@koa/router';
import { DashboardQuerySchema } from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { sessionUser } from '../../http/auth';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import { getDashboard } from './dashboard.service';

export function dashboardRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();

  /** 数据看板: an admin's subtree (or an org inside it) for a month, quarter or year; key reads only. */
  router.get(
    '/dashboard',
    auth,
    handle({ query: DashboardQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await getDashboard(sessionUser(ctx.state), query);
    }),
  );

  return router;
}
