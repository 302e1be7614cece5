import Router from '@koa/router';
import {
  ComputeBodySchema,
  FlagBodySchema,
  ManualEntryBodySchema,
  ManualQuerySchema,
  ResultsQuerySchema,
  ScorecardQuerySchema,
  ScorecardVersionBodySchema,
} from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { sendDownload } from '../../http/files';
import { ADMINS, apiRoutes } from '../../http/route';
import type { AppState } from '../../http/types';
import { bulletinOf, bulletinXlsx } from './bulletin';
import { computeFor } from './scorecards.compute';
import { getResults } from './scorecards.results';
import { listManual } from './manual.read';
import { enterManual, flagBranch, getScorecard, putScorecard } from './scorecards.service';

/** 支部评分 · 星级评定 and the 季度通报 (issue 18). Who may do what is in the policy module ('scorecard.*'). */
export function scorecardsRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const api = apiRoutes(router, auth);

  api.get('/scorecards/card', { roles: ADMINS, query: ScorecardQuerySchema }, (me, { query }) =>
    getScorecard(me, query.org, query.at),
  );
  api.put('/scorecards/card', { roles: ADMINS, body: ScorecardVersionBodySchema }, (me, { body }) =>
    putScorecard(me, body),
  );
  api.put('/scorecards/manual', { roles: ADMINS, body: ManualEntryBodySchema }, (me, { body }) =>
    enterManual(me, body),
  );
  api.get('/scorecards/manual', { roles: ADMINS, query: ManualQuerySchema }, (me, { query }) =>
    listManual(me, query.branch, query.quarter),
  );
  api.put('/scorecards/flags', { roles: ADMINS, body: FlagBodySchema }, (me, { body }) => flagBranch(me, body));
  api.post('/scorecards/compute', { roles: ADMINS, body: ComputeBodySchema }, (me, { body }) =>
    computeFor(me, body.org, body.quarter),
  );
  api.get('/scorecards/results', { roles: ADMINS, query: ResultsQuerySchema }, (me, { query }) =>
    getResults(me, query),
  );
  /** The printable 通报's data (the H5 page renders it for print). */
  api.get('/scorecards/bulletin', { roles: ADMINS, query: ResultsQuerySchema }, (me, { query }) =>
    bulletinOf(me, query),
  );
  api.get('/scorecards/bulletin.xlsx', { roles: ADMINS, query: ResultsQuerySchema }, async (me, { query }, ctx) => {
    const body = await bulletinXlsx(me, query);
    sendDownload(ctx, { body, asciiName: 'bulletin.xlsx', name: `季度通报-${query.quarter}.xlsx` });
  });
  return router;
}
