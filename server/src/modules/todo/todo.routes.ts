import Router from '@koa/router';
import type { RouteDeps } from '../../http/deps';
import { apiRoutes } from '../../http/route';
import type { AppState } from '../../http/types';
import { myTodo } from './todo.service';

/** GET /todo: the branch secretary's pending counts for the 首页 card. */
export function todoRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  apiRoutes(router, auth).get('/todo', { roles: ['secretary'] }, (me) => myTodo(me));
  return router;
}
