import Router from '@koa/router';
import { z } from 'zod';
import {
  DecideTransferBodySchema,
  IdParamSchema,
  IdSchema,
  SetMemberStatusBodySchema,
  StartTransferBodySchema,
  TransferQuerySchema,
} from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { MANAGERS, apiRoutes } from '../../http/route';
import type { AppState } from '../../http/types';
import { setMemberStatus } from './member-admin.service';
import {
  decideTransfer,
  listTransfers,
  memberTransfers,
  startTransfer,
  transferTargets,
  withdrawTransfer,
} from './transfers.service';

/** 党员管理 beyond roles: 党籍 status and 组织关系转接 (policy decides who; see member-admin and transfers services). */
export function memberAdminRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const api = apiRoutes(router, auth);
  const userParam = z.object({ userId: IdSchema });

  api.post(
    '/members/:userId/status',
    { roles: MANAGERS, params: userParam, body: SetMemberStatusBodySchema },
    (me, { params, body }) => setMemberStatus(me, params.userId, body),
  );
  api.get('/members/:userId/transfers', { roles: MANAGERS, params: userParam }, (me, { params }) =>
    memberTransfers(me, params.userId),
  );

  api.get('/transfers/branches', { roles: MANAGERS }, (me) => transferTargets(me));
  api.get('/transfers', { roles: MANAGERS, query: TransferQuerySchema }, (me, { query }) =>
    listTransfers(me, query.org),
  );
  api.post('/transfers', { roles: MANAGERS, body: StartTransferBodySchema, status: 201 }, (me, { body }) =>
    startTransfer(me, body),
  );
  for (const [verb, accept] of [
    ['accept', true],
    ['reject', false],
  ] as const) {
    api.post(
      `/transfers/:id/${verb}`,
      { roles: MANAGERS, params: IdParamSchema, body: DecideTransferBodySchema },
      (me, { params, body }) => decideTransfer(me, params.id, accept, body),
    );
  }
  api.post('/transfers/:id/withdraw', { roles: MANAGERS, params: IdParamSchema }, (me, { params }) =>
    withdrawTransfer(me, params.id),
  );

  return router;
}
