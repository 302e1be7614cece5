import Router from '@koa/router';
import {
  BallotBodySchema,
  ConfirmGradeBodySchema,
  CreateRectifyBodySchema,
  RectifyDoneBodySchema,
  RectifyItemParamsSchema,
  OpenReviewBodySchema,
  ReviewHistoryParamsSchema,
  ReviewMemberParamsSchema,
  ReviewParamsSchema,
  ReviewSettingsBodySchema,
  SetGradeBodySchema,
} from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { sendDownload } from '../../http/files';
import { ADMINS, MANAGERS, apiRoutes } from '../../http/route';
import type { AppState } from '../../http/types';
import { castBallot, closeRound, currentRound, getRound, openRound } from './reviews.service';
import { confirmGrade, history, pendingConfirmations, putSettings, results, setGrade } from './grades.service';
import { resultsXlsx } from './export';
import { closeItem, createItem, listItems, reportDone } from './rectify.service';
import { lifeRoutes } from './life.routes';

/** 民主评议党员 (issue 21). Scope and secrecy rules are in the services and the policy module. */
export function reviewsRoutes(deps: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  // 组织生活会, 谈心谈话, 销号 list and the lists' exports: the second routes file, first (its static paths). Its
  // routes only: the API router's one allowedMethods answers 405/OPTIONS for them (a nested one was a middleware
  // every API request after this module's passed through).
  router.use(lifeRoutes(deps).routes());
  const api = apiRoutes(router, deps.auth);
  const round = '/reviews/:branchId/:year';
  const grade = `${round}/grades/:userId`;
  const item = '/rectify/:branchId/:year/:n';

  api.get('/reviews/current', {}, async (me) => ({ round: await currentRound(me) }));
  api.get('/reviews/pending', { roles: ADMINS }, async (me) => ({ items: await pendingConfirmations(me) }));
  api.put('/reviews/settings', { roles: ADMINS, body: ReviewSettingsBodySchema }, (me, { body }) =>
    putSettings(me, body),
  );
  api.get('/reviews/history/:userId', { params: ReviewHistoryParamsSchema }, async (me, { params }) => ({
    items: await history(me, params.userId),
  }));
  api.post('/reviews', { roles: MANAGERS, body: OpenReviewBodySchema, status: 201 }, (me, { body }) =>
    openRound(me, body),
  );
  api.get(round, { params: ReviewParamsSchema }, (me, { params }) => getRound(me, params.branchId, params.year));
  api.post(
    `${round}/ballot`,
    { params: ReviewParamsSchema, body: BallotBodySchema, status: 201 },
    (me, { params, body }) => castBallot(me, params.branchId, params.year, body),
  );
  api.post(`${round}/close`, { roles: MANAGERS, params: ReviewParamsSchema }, (me, { params }) =>
    closeRound(me, params.branchId, params.year),
  );
  api.get(`${round}/results`, { roles: MANAGERS, params: ReviewParamsSchema }, (me, { params }) =>
    results(me, params.branchId, params.year),
  );
  api.get(`${round}/export`, { roles: MANAGERS, params: ReviewParamsSchema }, async (me, { params }, ctx) => {
    const r = await results(me, params.branchId, params.year);
    const name = `民主评议结果-${r.round.branchName}-${r.round.year}.xlsx`;
    const asciiName = `review-${r.round.year}.xlsx`;
    sendDownload(ctx, { body: await resultsXlsx(r), asciiName, name }, { noStore: true });
  });
  api.put(
    grade,
    { roles: MANAGERS, params: ReviewMemberParamsSchema, body: SetGradeBodySchema },
    (me, { params, body }) => setGrade(me, params.branchId, params.year, params.userId, body),
  );
  api.post(
    `${grade}/confirm`,
    { roles: ADMINS, params: ReviewMemberParamsSchema, body: ConfirmGradeBodySchema },
    async (me, { params, body }) => ({
      grade: await confirmGrade(me, params.branchId, params.year, params.userId, body),
    }),
  );

  // 问题清单 / 整改清单 (issue 21 item 1).
  api.post('/rectify', { roles: MANAGERS, body: CreateRectifyBodySchema, status: 201 }, (me, { body }) =>
    createItem(me, body),
  );
  api.get('/rectify/:branchId/:year', { params: ReviewParamsSchema }, (me, { params }) =>
    listItems(me, params.branchId, params.year),
  );
  api.post(`${item}/done`, { params: RectifyItemParamsSchema, body: RectifyDoneBodySchema }, (me, { params, body }) =>
    reportDone(me, params.branchId, params.year, params.n, body),
  );
  api.post(`${item}/close`, { roles: MANAGERS, params: RectifyItemParamsSchema }, (me, { params }) =>
    closeItem(me, params.branchId, params.year, params.n),
  );
  return router;
}
