import Router from '@koa/router';
import { MemberBoardQuerySchema, OrgBoardQuerySchema } from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { apiRoutes } from '../../http/route';
import type { AppState } from '../../http/types';
import { memberBoard, orgBoard } from './leaderboards.service';

export function leaderboardsRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const api = apiRoutes(router, auth);

  api.get('/leaderboards/members', { query: MemberBoardQuerySchema }, (me, { query }) => memberBoard(me, query));
  api.get('/leaderboards/orgs', { query: OrgBoardQuerySchema }, (me, { query }) => orgBoard(me, query));

  return router;
}
