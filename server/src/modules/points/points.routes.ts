import Router from '@koa/router';
import { AdjustmentBodySchema, DEFAULT_POINT_RULES, LedgerQuerySchema } from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { requireRole, sessionUser } from '../../http/auth';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import { adjustPoints, ledgerPage } from './points.service';

export function pointsRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();

  router.get('/points/rules', auth, async (ctx) => {
    ctx.body = { items: DEFAULT_POINT_RULES };
  });

  router.get(
    '/points/ledger',
    auth,
    handle({ query: LedgerQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await ledgerPage(sessionUser(ctx.state).id, query);
    }),
  );

  router.post(
    '/points/adjustments',
    auth,
    requireRole('secretary', 'admin'),
    handle({ body: AdjustmentBodySchema }, async ({ body }, ctx) => {
      const key = ctx.get('idempotency-key');
      ctx.status = 201;
      ctx.body = await adjustPoints(sessionUser(ctx.state), body, /^[\w-]{8,64}$/.test(key) ? key : undefined);
    }),
  );

  return router;
}
