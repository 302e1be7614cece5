import Router from '@koa/router';
import { MemberBoardQuerySchema, OrgBoardQuerySchema } from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { sessionUser } from '../../http/auth';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import { memberBoard, orgBoard } from './leaderboards.service';

export function leaderboardsRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();

  router.get(
    '/leaderboards/members',
    auth,
    handle({ query: MemberBoardQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await memberBoard(sessionUser(ctx.state), query);
    }),
  );

  router.get(
    '/leaderboards/orgs',
    auth,
    handle({ query: OrgBoardQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await orgBoard(sessionUser(ctx.state), query);
    }),
  );

  return router;
}
