import Router from '@koa/router';
import {
  PointsRulesQuerySchema,
  PutPointsRulesBodySchema,
  RankingSettingsQuerySchema,
  RankingSettingsSchema,
} from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { sessionUser } from '../../http/auth';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import { getPointsRules, getRanking, putPointsRules, putRanking } from './settings.service';

export function settingsRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();

  router.get(
    '/settings/ranking',
    auth,
    handle({ query: RankingSettingsQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await getRanking(sessionUser(ctx.state), query.org);
    }),
  );

  router.put(
    '/settings/ranking',
    auth,
    handle({ body: RankingSettingsSchema }, async ({ body }, ctx) => {
      ctx.body = await putRanking(sessionUser(ctx.state), body);
    }),
  );

  router.get(
    '/settings/points-rules',
    auth,
    handle({ query: PointsRulesQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await getPointsRules(sessionUser(ctx.state), query.org, query.at);
    }),
  );

  router.put(
    '/settings/points-rules',
    auth,
    handle({ body: PutPointsRulesBodySchema }, async ({ body }, ctx) => {
      ctx.body = await putPointsRules(sessionUser(ctx.state), body);
    }),
  );

  return router;
}
