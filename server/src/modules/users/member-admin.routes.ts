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
import { requireRole, sessionUser } from '../../http/auth';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
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
  const managers = requireRole('secretary', 'admin');
  const userParam = z.object({ userId: IdSchema });

  router.post(
    '/members/:userId/status',
    auth,
    managers,
    handle({ params: userParam, body: SetMemberStatusBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await setMemberStatus(sessionUser(ctx.state), params.userId, body);
    }),
  );

  router.get(
    '/members/:userId/transfers',
    auth,
    managers,
    handle({ params: userParam }, async ({ params }, ctx) => {
      ctx.body = await memberTransfers(sessionUser(ctx.state), params.userId);
    }),
  );

  router.get('/transfers/branches', auth, managers, async (ctx) => {
    ctx.body = await transferTargets(sessionUser(ctx.state));
  });

  router.get(
    '/transfers',
    auth,
    managers,
    handle({ query: TransferQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await listTransfers(sessionUser(ctx.state), query.org);
    }),
  );

  router.post(
    '/transfers',
    auth,
    managers,
    handle({ body: StartTransferBodySchema }, async ({ body }, ctx) => {
      ctx.status = 201;
      ctx.body = await startTransfer(sessionUser(ctx.state), body);
    }),
  );

  for (const [verb, accept] of [
    ['accept', true],
    ['reject', false],
  ] as const) {
    router.post(
      `/transfers/:id/${verb}`,
      auth,
      managers,
      handle({ params: IdParamSchema, body: DecideTransferBodySchema }, async ({ params, body }, ctx) => {
        ctx.body = await decideTransfer(sessionUser(ctx.state), params.id, accept, body);
      }),
    );
  }

  router.post(
    '/transfers/:id/withdraw',
    auth,
    managers,
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      ctx.body = await withdrawTransfer(sessionUser(ctx.state), params.id);
    }),
  );

  return router;
}
