import Router from '@koa/router';
import {
  ComputeBodySchema,
  FlagBodySchema,
  ManualEntryBodySchema,
  ResultsQuerySchema,
  ScorecardQuerySchema,
  ScorecardVersionBodySchema,
} from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { requireRole, sessionUser } from '../../http/auth';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import { bulletinOf, bulletinXlsx } from './bulletin';
import { computeFor } from './scorecards.compute';
import { getResults } from './scorecards.results';
import { enterManual, flagBranch, getScorecard, putScorecard } from './scorecards.service';

/** 支部评分 · 星级评定 and the 季度通报 (issue 18). Who may do what is in the policy module ('scorecard.*'). */
export function scorecardsRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const admin = requireRole('admin');

  router.get(
    '/scorecards/card',
    auth,
    admin,
    handle({ query: ScorecardQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await getScorecard(sessionUser(ctx.state), query.org, query.at);
    }),
  );
  router.put(
    '/scorecards/card',
    auth,
    admin,
    handle({ body: ScorecardVersionBodySchema }, async ({ body }, ctx) => {
      ctx.body = await putScorecard(sessionUser(ctx.state), body);
    }),
  );
  router.put(
    '/scorecards/manual',
    auth,
    admin,
    handle({ body: ManualEntryBodySchema }, async ({ body }, ctx) => {
      ctx.body = await enterManual(sessionUser(ctx.state), body);
    }),
  );
  router.put(
    '/scorecards/flags',
    auth,
    admin,
    handle({ body: FlagBodySchema }, async ({ body }, ctx) => {
      ctx.body = await flagBranch(sessionUser(ctx.state), body);
    }),
  );
  router.post(
    '/scorecards/compute',
    auth,
    admin,
    handle({ body: ComputeBodySchema }, async ({ body }, ctx) => {
      ctx.body = await computeFor(sessionUser(ctx.state), body.org, body.quarter);
    }),
  );
  router.get(
    '/scorecards/results',
    auth,
    admin,
    handle({ query: ResultsQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await getResults(sessionUser(ctx.state), query);
    }),
  );
  /** The printable 通报's data (the H5 page renders it for print). */
  router.get(
    '/scorecards/bulletin',
    auth,
    admin,
    handle({ query: ResultsQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await bulletinOf(sessionUser(ctx.state), query);
    }),
  );
  router.get(
    '/scorecards/bulletin.xlsx',
    auth,
    admin,
    handle({ query: ResultsQuerySchema }, async ({ query }, ctx) => {
      const buffer = await bulletinXlsx(sessionUser(ctx.state), query);
      const name = encodeURIComponent(`季度通报-${query.quarter}.xlsx`);
      ctx.set('Content-Disposition', `attachment; filename="bulletin.xlsx"; filename*=UTF-8''${name}`);
      ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      ctx.body = buffer;
    }),
  );
  return router;
}
