import Router from '@koa/router';
import {
  PointsRulesQuerySchema,
  PutPointsRulesBodySchema,
  RankingSettingsQuerySchema,
  RankingSettingsSchema,
} from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { apiRoutes } from '../../http/route';
import type { AppState } from '../../http/types';
import { getPointsRules, getRanking, putPointsRules, putRanking } from './settings.service';

export function settingsRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const api = apiRoutes(router, auth);

  api.get('/settings/ranking', { query: RankingSettingsQuerySchema }, (me, { query }) => getRanking(me, query.org));
  api.put('/settings/ranking', { body: RankingSettingsSchema }, (me, { body }) => putRanking(me, body));
  api.get('/settings/points-rules', { query: PointsRulesQuerySchema }, (me, { query }) =>
    getPointsRules(me, query.org, query.at),
  );
  api.put('/settings/points-rules', { body: PutPointsRulesBodySchema }, (me, { body }) => putPointsRules(me, body));

  return router;
}
