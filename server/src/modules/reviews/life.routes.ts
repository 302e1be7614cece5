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
import type { RouteDeps } from '../../http/deps';
import { sendDownload } from '../../http/files';
import { ADMINS, MANAGERS, apiRoutes } from '../../http/route';
import type { AppContext, AppState } from '../../http/types';
import { getSettings } from './grades.service';
import { lifeMeetingView, openLifeMeeting, readCheck, submitCheck } from './life.service';
import { exportRectify, exportTalks, type XlsxFile } from './lists-export';
import { itemsToClose, overdueAcross } from './rectify-queue';
import { overdueItems } from './rectify.service';
import { recordTalk, talkRegister } from './talks.service';

/** The lists hold members' names: no cache may keep them. */
function sendXlsx(ctx: AppContext, file: XlsxFile, asciiName: string): void {
  sendDownload(ctx, { body: file.body, name: file.name, asciiName }, { noStore: true });
}

/**
 * 组织生活会 (对照检查, 谈心谈话), the township's 销号 list, overdue items, the lists' XLSX and the county's 优秀 share
 * for its screen (issue 21). The second routes file of the reviews module; mounted by reviewsRoutes.
 */
export function lifeRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const api = apiRoutes(router, auth);
  const meeting = '/life-meetings/:branchId/:year';

  api.get('/reviews/settings', { roles: ADMINS, query: ReviewSettingsQuerySchema }, (me, { query }) =>
    getSettings(me, query.org),
  );
  api.get('/rectify/to-close', { roles: ADMINS }, async (me) => ({ items: await itemsToClose(me) }));
  api.get('/rectify/overdue-all', { roles: ADMINS }, async (me) => ({ items: await overdueAcross(me) }));
  api.get('/rectify/overdue', { roles: MANAGERS, query: OverdueQuerySchema }, async (me, { query }) => ({
    items: await overdueItems(me, query.org),
  }));
  api.get(
    '/rectify/:branchId/:year/export',
    { roles: MANAGERS, params: ReviewParamsSchema },
    async (me, { params }, ctx) => {
      const file = await exportRectify(me, params.branchId, params.year);
      sendXlsx(ctx, file, `rectify-${params.year}.xlsx`);
    },
  );
  api.post('/life-meetings', { roles: MANAGERS, body: OpenLifeMeetingBodySchema, status: 201 }, (me, { body }) =>
    openLifeMeeting(me, body),
  );
  api.get(meeting, { params: LifeParamsSchema }, (me, { params }) => lifeMeetingView(me, params.branchId, params.year));
  api.put(`${meeting}/check`, { params: LifeParamsSchema, body: LifeCheckBodySchema }, (me, { params, body }) =>
    submitCheck(me, params.branchId, params.year, body),
  );
  api.get(`${meeting}/checks/:userId`, { params: LifeMemberParamsSchema }, (me, { params }) =>
    readCheck(me, params.branchId, params.year, params.userId),
  );
  api.post(
    `${meeting}/talks`,
    { roles: MANAGERS, params: LifeParamsSchema, body: TalkBodySchema, status: 201 },
    (me, { params, body }) => recordTalk(me, params.branchId, params.year, body),
  );
  api.get(`${meeting}/talks`, { roles: MANAGERS, params: LifeParamsSchema }, (me, { params }) =>
    talkRegister(me, params.branchId, params.year),
  );
  api.get(`${meeting}/talks/export`, { roles: MANAGERS, params: LifeParamsSchema }, async (me, { params }, ctx) => {
    const file = await exportTalks(me, params.branchId, params.year);
    sendXlsx(ctx, file, `talks-${params.year}.xlsx`);
  });
  return router;
}
