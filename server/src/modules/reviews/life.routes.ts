import Router from '@koa/router';
import {
  LifeCheckBodySchema,
  LifeMemberParamsSchema,
  LifeParamsSchema,
  OpenLifeMeetingBodySchema,
  OverdueQuerySchema,
  ReviewParamsSchema,
  ReviewSettingsQuerySchema,
  TalkBodySchema,
} from '@pioneer/shared';
import type { Context } from 'koa';
import type { RouteDeps } from '../../http/deps';
import { requireRole, sessionUser } from '../../http/auth';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import { getSettings } from './grades.service';
import { lifeMeetingView, openLifeMeeting, readCheck, submitCheck } from './life.service';
import { XLSX_TYPE, exportRectify, exportTalks, type XlsxFile } from './lists-export';
import { itemsToClose, overdueAcross } from './rectify-queue';
import { overdueItems } from './rectify.service';
import { recordTalk, talkRegister } from './talks.service';

function sendXlsx(ctx: Context, file: XlsxFile, ascii: string): void {
  ctx.set('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`);
  ctx.set('Cache-Control', 'no-store');
  ctx.type = XLSX_TYPE;
  ctx.body = file.body;
}

/**
 * 组织生活会 (对照检查, 谈心谈话), the township's 销号 list, overdue items, the lists' XLSX and the county's 优秀 share
 * for its screen (issue 21). The second routes file of the reviews module; mounted by reviewsRoutes.
 */
export function lifeRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const manager = requireRole('secretary', 'admin');
  const admin = requireRole('admin');

  router.get(
    '/reviews/settings',
    auth,
    admin,
    handle({ query: ReviewSettingsQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await getSettings(sessionUser(ctx.state), query.org);
    }),
  );
  router.get(
    '/rectify/to-close',
    auth,
    admin,
    handle({}, async (_input, ctx) => {
      ctx.body = { items: await itemsToClose(sessionUser(ctx.state)) };
    }),
  );
  router.get(
    '/rectify/overdue-all',
    auth,
    admin,
    handle({}, async (_input, ctx) => {
      ctx.body = { items: await overdueAcross(sessionUser(ctx.state)) };
    }),
  );
  router.get(
    '/rectify/overdue',
    auth,
    manager,
    handle({ query: OverdueQuerySchema }, async ({ query }, ctx) => {
      ctx.body = { items: await overdueItems(sessionUser(ctx.state), query.org) };
    }),
  );
  router.get(
    '/rectify/:branchId/:year/export',
    auth,
    manager,
    handle({ params: ReviewParamsSchema }, async ({ params }, ctx) => {
      const file = await exportRectify(sessionUser(ctx.state), params.branchId, params.year);
      sendXlsx(ctx, file, `rectify-${params.year}.xlsx`);
    }),
  );
  router.post(
    '/life-meetings',
    auth,
    manager,
    handle({ body: OpenLifeMeetingBodySchema }, async ({ body }, ctx) => {
      ctx.status = 201;
      ctx.body = await openLifeMeeting(sessionUser(ctx.state), body);
    }),
  );
  router.get(
    '/life-meetings/:branchId/:year',
    auth,
    handle({ params: LifeParamsSchema }, async ({ params }, ctx) => {
      ctx.body = await lifeMeetingView(sessionUser(ctx.state), params.branchId, params.year);
    }),
  );
  router.put(
    '/life-meetings/:branchId/:year/check',
    auth,
    handle({ params: LifeParamsSchema, body: LifeCheckBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await submitCheck(sessionUser(ctx.state), params.branchId, params.year, body);
    }),
  );
  router.get(
    '/life-meetings/:branchId/:year/checks/:userId',
    auth,
    handle({ params: LifeMemberParamsSchema }, async ({ params }, ctx) => {
      ctx.body = await readCheck(sessionUser(ctx.state), params.branchId, params.year, params.userId);
    }),
  );
  router.post(
    '/life-meetings/:branchId/:year/talks',
    auth,
    manager,
    handle({ params: LifeParamsSchema, body: TalkBodySchema }, async ({ params, body }, ctx) => {
      ctx.status = 201;
      ctx.body = await recordTalk(sessionUser(ctx.state), params.branchId, params.year, body);
    }),
  );
  router.get(
    '/life-meetings/:branchId/:year/talks',
    auth,
    manager,
    handle({ params: LifeParamsSchema }, async ({ params }, ctx) => {
      ctx.body = await talkRegister(sessionUser(ctx.state), params.branchId, params.year);
    }),
  );
  router.get(
    '/life-meetings/:branchId/:year/talks/export',
    auth,
    manager,
    handle({ params: LifeParamsSchema }, async ({ params }, ctx) => {
      const file = await exportTalks(sessionUser(ctx.state), params.branchId, params.year);
      sendXlsx(ctx, file, `talks-${params.year}.xlsx`);
    }),
  );
  return router;
}
