import Router from '@koa/router';
import { CreateInviteBodySchema, CreateOrgBodySchema, IdParamSchema, PatchOrgBodySchema } from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { requireRole, sessionUser } from '../../http/auth';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import { createInvite, createOrg, orgView, patchOrg } from './orgs.service';

export function orgsRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();

  // Names and member counts to the org's chain and its managers; fences to those who use them (policy 'org.view').
  router.get(
    '/orgs/:id',
    auth,
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      ctx.body = await orgView(sessionUser(ctx.state), params.id);
    }),
  );

  router.post(
    '/orgs',
    auth,
    requireRole('admin'),
    handle({ body: CreateOrgBodySchema }, async ({ body }, ctx) => {
      ctx.status = 201;
      ctx.body = await createOrg(sessionUser(ctx.state), body);
    }),
  );

  router.patch(
    '/orgs/:id',
    auth,
    requireRole('admin'),
    handle({ params: IdParamSchema, body: PatchOrgBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await patchOrg(sessionUser(ctx.state), params.id, body);
    }),
  );

  router.post(
    '/orgs/:id/invites',
    auth,
    requireRole('secretary', 'admin'),
    handle({ params: IdParamSchema, body: CreateInviteBodySchema }, async ({ params, body }, ctx) => {
      ctx.status = 201;
      ctx.body = await createInvite(sessionUser(ctx.state), params.id, body);
    }),
  );

  return router;
}
