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
import { ADMINS, MANAGERS, apiRoutes } from '../../http/route';
import type { AppState } from '../../http/types';
import { createInvite, createOrg, orgView, patchOrg } from './orgs.service';
import { dissolveOrg, moveOrg, orgTree } from './org-tree.service';
import { listInvites, revokeInvite } from './invites.service';

export function orgsRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const api = apiRoutes(router, auth);

  // Names and member counts to the org's chain and its managers; fences to those who use them (policy 'org.view').
  api.get('/orgs/:id', { params: IdParamSchema }, (me, { params }) => orgView(me, params.id));
  api.post('/orgs', { roles: ADMINS, body: CreateOrgBodySchema, status: 201 }, (me, { body }) => createOrg(me, body));
  api.patch('/orgs/:id', { roles: ADMINS, params: IdParamSchema, body: PatchOrgBodySchema }, (me, { params, body }) =>
    patchOrg(me, params.id, body),
  );
  api.post(
    '/orgs/:id/invites',
    { roles: MANAGERS, params: IdParamSchema, body: CreateInviteBodySchema, status: 201 },
    (me, { params, body }) => createInvite(me, params.id, body),
  );

  // 组织架构: the subtree as a tree, moving an org under another parent, dissolving an empty one (admins).
  api.get('/orgs/:id/tree', { roles: ADMINS, params: IdParamSchema }, (me, { params }) => orgTree(me, params.id));
  api.post(
    '/orgs/:id/move',
    { roles: ADMINS, params: IdParamSchema, body: MoveOrgBodySchema },
    (me, { params, body }) => moveOrg(me, params.id, body),
  );
  api.delete('/orgs/:id', { roles: ADMINS, params: IdParamSchema, status: 204 }, (me, { params }) =>
    dissolveOrg(me, params.id),
  );

  api.get('/orgs/:id/invites', { roles: MANAGERS, params: IdParamSchema }, (me, { params }) =>
    listInvites(me, params.id),
  );
  api.post('/invites/:code/revoke', { roles: MANAGERS, params: InviteCodeParamSchema }, (me, { params }) =>
    revokeInvite(me, params.code),
  );

  return router;
}
