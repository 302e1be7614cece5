import Router from '@koa/router';
import type { z } from 'zod';
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
import type { AppState, SessionUser } from '../../http/types';
import { handle } from '../../http/validate';
import { createInvite, createOrg, orgView, patchOrg } from './orgs.service';
import { dissolveOrg, moveOrg, orgTree } from './org-tree.service';
import { listInvites, revokeInvite } from './invites.service';

/** A route on one org (`:id`): the service's answer is the reply. */
const onOrg = <T>(act: (actor: SessionUser, id: string) => Promise<T>) =>
  handle({ params: IdParamSchema }, async ({ params }, ctx) => {
    ctx.body = await act(sessionUser(ctx.state), params.id);
  });

/** A write on one org (`:id`) with a body: the service's answer is the reply, with `status`. */
const writeOrg = <S extends z.ZodTypeAny, T>(
  schema: S,
  act: (actor: SessionUser, id: string, body: z.infer<S>) => Promise<T>,
  status = 200,
) =>
  handle({ params: IdParamSchema, body: schema }, async ({ params, body }, ctx) => {
    ctx.status = status;
    ctx.body = await act(sessionUser(ctx.state), params.id, body as z.infer<S>);
  });

export function orgsRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const admins = requireRole('admin');
  const managers = requireRole('secretary', 'admin');

  // Names and member counts to the org's chain and its managers; fences to those who use them (policy 'org.view').
  router.get('/orgs/:id', auth, onOrg(orgView));

  router.post(
    '/orgs',
    auth,
    admins,
    handle({ body: CreateOrgBodySchema }, async ({ body }, ctx) => {
      ctx.status = 201;
      ctx.body = await createOrg(sessionUser(ctx.state), body);
    }),
  );
  router.patch('/orgs/:id', auth, admins, writeOrg(PatchOrgBodySchema, patchOrg));
  router.post('/orgs/:id/invites', auth, managers, writeOrg(CreateInviteBodySchema, createInvite, 201));

  // 组织架构: the subtree as a tree, moving an org under another parent, dissolving an empty one (admins).
  router.get('/orgs/:id/tree', auth, admins, onOrg(orgTree));
  router.post(
    '/orgs/:id/move',
    auth,
    admins,
    writeOrg(MoveOrgBodySchema, (actor, id, body) => moveOrg(actor, id, body)),
  );
  router.delete(
    '/orgs/:id',
    auth,
    admins,
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      await dissolveOrg(sessionUser(ctx.state), params.id);
      ctx.status = 204;
    }),
  );

  router.get('/orgs/:id/invites', auth, managers, onOrg(listInvites));
  router.post(
    '/invites/:code/revoke',
    auth,
    managers,
    handle({ params: InviteCodeParamSchema }, async ({ params }, ctx) => {
      ctx.body = await revokeInvite(sessionUser(ctx.state), params.code);
    }),
  );

  return router;
}
