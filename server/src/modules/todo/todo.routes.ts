import Router from '@koa/router';
import type { RouteDeps } from '../../http/deps';
import { requireRole, sessionUser } from '../../http/auth';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import { myTodo } from './todo.service';

/** GET /todo: the branch secretary's pending counts for the 首页 card. */
export function todoRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  router.get(
    '/todo',
    auth,
    requireRole('secretary'),
    handle({}, async (_input, ctx) => {
      ctx.body = await myTodo(sessionUser(ctx.state));
    }),
  );
  return router;
}
