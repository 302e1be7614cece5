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
import { requireRole, sessionUser } from '../../http/auth';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import { castBallot, closeRound, currentRound, getRound, openRound } from './reviews.service';
import { confirmGrade, history, pendingConfirmations, putSettings, results, setGrade } from './grades.service';
import { resultsXlsx } from './export';
import { closeItem, createItem, listItems, reportDone } from './rectify.service';
import { lifeRoutes } from './life.routes';

/** 民主评议党员 (issue 21). Scope and secrecy rules are in the services and the policy module. */
export function reviewsRoutes(deps: RouteDeps): Router<AppState> {
  const { auth } = deps;
  const router = new Router<AppState>();
  // 组织生活会, 谈心谈话, 销号 list and the lists' exports: the second routes file, first (its static paths).
  const life = lifeRoutes(deps);
  router.use(life.routes(), life.allowedMethods());
  const manager = requireRole('secretary', 'admin');
  const admin = requireRole('admin');

  router.get(
    '/reviews/current',
    auth,
    handle({}, async (_input, ctx) => {
      ctx.body = { round: await currentRound(sessionUser(ctx.state)) };
    }),
  );
  router.get(
    '/reviews/pending',
    auth,
    admin,
    handle({}, async (_input, ctx) => {
      ctx.body = { items: await pendingConfirmations(sessionUser(ctx.state)) };
    }),
  );
  router.put(
    '/reviews/settings',
    auth,
    admin,
    handle({ body: ReviewSettingsBodySchema }, async ({ body }, ctx) => {
      ctx.body = await putSettings(sessionUser(ctx.state), body);
    }),
  );
  router.get(
    '/reviews/history/:userId',
    auth,
    handle({ params: ReviewHistoryParamsSchema }, async ({ params }, ctx) => {
      ctx.body = { items: await history(sessionUser(ctx.state), params.userId) };
    }),
  );
  router.post(
    '/reviews',
    auth,
    manager,
    handle({ body: OpenReviewBodySchema }, async ({ body }, ctx) => {
      ctx.status = 201;
      ctx.body = await openRound(sessionUser(ctx.state), body);
    }),
  );
  router.get(
    '/reviews/:branchId/:year',
    auth,
    handle({ params: ReviewParamsSchema }, async ({ params }, ctx) => {
      ctx.body = await getRound(sessionUser(ctx.state), params.branchId, params.year);
    }),
  );
  router.post(
    '/reviews/:branchId/:year/ballot',
    auth,
    handle({ params: ReviewParamsSchema, body: BallotBodySchema }, async ({ params, body }, ctx) => {
      ctx.status = 201;
      ctx.body = await castBallot(sessionUser(ctx.state), params.branchId, params.year, body);
    }),
  );
  router.post(
    '/reviews/:branchId/:year/close',
    auth,
    manager,
    handle({ params: ReviewParamsSchema }, async ({ params }, ctx) => {
      ctx.body = await closeRound(sessionUser(ctx.state), params.branchId, params.year);
    }),
  );
  router.get(
    '/reviews/:branchId/:year/results',
    auth,
    manager,
    handle({ params: ReviewParamsSchema }, async ({ params }, ctx) => {
      ctx.body = await results(sessionUser(ctx.state), params.branchId, params.year);
    }),
  );
  router.get(
    '/reviews/:branchId/:year/export',
    auth,
    manager,
    handle({ params: ReviewParamsSchema }, async ({ params }, ctx) => {
      const r = await results(sessionUser(ctx.state), params.branchId, params.year);
      const name = `民主评议结果-${r.round.branchName}-${r.round.year}.xlsx`;
      ctx.set(
        'Content-Disposition',
        `attachment; filename="review-${r.round.year}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
      );
      ctx.set('Cache-Control', 'no-store');
      ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      ctx.body = await resultsXlsx(r);
    }),
  );
  router.put(
    '/reviews/:branchId/:year/grades/:userId',
    auth,
    manager,
    handle({ params: ReviewMemberParamsSchema, body: SetGradeBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await setGrade(sessionUser(ctx.state), params.branchId, params.year, params.userId, body);
    }),
  );
  router.post(
    '/reviews/:branchId/:year/grades/:userId/confirm',
    auth,
    admin,
    handle({ params: ReviewMemberParamsSchema, body: ConfirmGradeBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = {
        grade: await confirmGrade(sessionUser(ctx.state), params.branchId, params.year, params.userId, body),
      };
    }),
  );

  // 问题清单 / 整改清单 (issue 21 item 1).
  router.post(
    '/rectify',
    auth,
    manager,
    handle({ body: CreateRectifyBodySchema }, async ({ body }, ctx) => {
      ctx.status = 201;
      ctx.body = await createItem(sessionUser(ctx.state), body);
    }),
  );
  router.get(
    '/rectify/:branchId/:year',
    auth,
    handle({ params: ReviewParamsSchema }, async ({ params }, ctx) => {
      ctx.body = await listItems(sessionUser(ctx.state), params.branchId, params.year);
    }),
  );
  router.post(
    '/rectify/:branchId/:year/:n/done',
    auth,
    handle({ params: RectifyItemParamsSchema, body: RectifyDoneBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await reportDone(sessionUser(ctx.state), params.branchId, params.year, params.n, body);
    }),
  );
  router.post(
    '/rectify/:branchId/:year/:n/close',
    auth,
    manager,
    handle({ params: RectifyItemParamsSchema }, async ({ params }, ctx) => {
      ctx.body = await closeItem(sessionUser(ctx.state), params.branchId, params.year, params.n);
    }),
  );
  return router;
}
