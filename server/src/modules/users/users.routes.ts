import Router from '@koa/router';
import { z } from 'zod';
import {
  CreateMemberBodySchema,
  IdSchema,
  IdParamSchema,
  JoinBodySchema,
  MemberQuerySchema,
  PatchMeBodySchema,
  PatchMemberBodySchema,
} from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { ADMINS, MANAGERS, apiRoutes } from '../../http/route';
import type { AppState } from '../../http/types';
import { createMember, joinByInvite, patchMe, patchMember, sessionMe } from './users.service';
import { searchMembers } from './member-admin.service';

export function usersRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const api = apiRoutes(router, auth);

  api.get('/me', {}, (me) => sessionMe(me));
  api.patch('/me', { body: PatchMeBodySchema }, (me, { body }) => patchMe(me.id, body));
  api.post('/me/join', { body: JoinBodySchema }, (me, { body }) => joinByInvite(me.id, body.inviteCode));

  api.get(
    '/orgs/:id/members',
    { roles: MANAGERS, params: IdParamSchema, query: MemberQuerySchema },
    (me, { params, query }) => searchMembers(me, params.id, query),
  );
  api.post('/members', { roles: MANAGERS, body: CreateMemberBodySchema, status: 201 }, (me, { body }) =>
    createMember(me, body),
  );
  api.patch(
    '/members/:userId',
    { roles: ADMINS, params: z.object({ userId: IdSchema }), body: PatchMemberBodySchema },
    (me, { params, body }) => patchMember(me, params.userId, body),
  );

  return router;
}
