import Router from '@koa/router';
import { AdjustmentBodySchema, DEFAULT_POINT_RULES, LedgerQuerySchema } from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { MANAGERS, apiRoutes } from '../../http/route';
import type { AppState } from '../../http/types';
import { adjustPoints, ledgerPage } from './points.service';

export function pointsRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const api = apiRoutes(router, auth);

  api.get('/points/rules', {}, async () => ({ items: DEFAULT_POINT_RULES }));
  api.get('/points/ledger', { query: LedgerQuerySchema }, (me, { query }) => ledgerPage(me.id, query));
  api.post('/points/adjustments', { roles: MANAGERS, body: AdjustmentBodySchema, status: 201 }, (me, { body, key }) =>
    adjustPoints(me, body, key),
  );

  return router;
}
