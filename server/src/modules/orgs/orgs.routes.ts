import Router from '@koa/router';
import {
  CreateInviteBodySchema,
  CreateOrgBodySchema,
  IdParamSchema,
  InviteCodeParamSchema,
  MoveOrgBodySchema,
  PatchOrgBodySchema,
} from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { requireRole, sessionUser } from '../../http/auth';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import { createInvite, createOrg, orgView, patchOrg } from './orgs.service';
import { dissolveOrg, moveOrg, orgTree } from './org-tree.service';
import { listInvites, revokeInvite } from './invites.service';

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

  // 组织架构: the subtree as a tree, moving an org under another parent, dissolving an empty one (admins).
  router.get(
    '/orgs/:id/tree',
    auth,
    requireRole('admin'),
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      ctx.body = await orgTree(sessionUser(ctx.state), params.id);
    }),
  );

  router.post(
    '/orgs/:id/move',
    auth,
    requireRole('admin'),
    handle({ params: IdParamSchema, body: MoveOrgBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await moveOrg(sessionUser(ctx.state), params.id, body);
    }),
  );

  router.delete(
    '/orgs/:id',
    auth,
    requireRole('admin'),
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      await dissolveOrg(sessionUser(ctx.state), params.id);
      ctx.status = 204;
    }),
  );

  router.get(
    '/orgs/:id/invites',
    auth,
    requireRole('secretary', 'admin'),
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      ctx.body = await listInvites(sessionUser(ctx.state), params.id);
    }),
  );

  router.post(
    '/invites/:code/revoke',
    auth,
    requireRole('secretary', 'admin'),
    handle({ params: InviteCodeParamSchema }, async ({ params }, ctx) => {
      ctx.body = await revokeInvite(sessionUser(ctx.state), params.code);
    }),
  );

  return router;
}
