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
import { requireRole, sessionUser } from '../../http/auth';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import { createMember, joinByInvite, meView, patchMe, patchMember } from './users.service';
import { searchMembers } from './member-admin.service';

export function usersRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();

  router.get('/me', auth, async (ctx) => {
    ctx.body = await meView(sessionUser(ctx.state).id);
  });

  router.patch(
    '/me',
    auth,
    handle({ body: PatchMeBodySchema }, async ({ body }, ctx) => {
      ctx.body = await patchMe(sessionUser(ctx.state).id, body);
    }),
  );

  router.post(
    '/me/join',
    auth,
    handle({ body: JoinBodySchema }, async ({ body }, ctx) => {
      ctx.body = await joinByInvite(sessionUser(ctx.state).id, body.inviteCode);
    }),
  );

  router.get(
    '/orgs/:id/members',
    auth,
    requireRole('secretary', 'admin'),
    handle({ params: IdParamSchema, query: MemberQuerySchema }, async ({ params, query }, ctx) => {
      ctx.body = await searchMembers(sessionUser(ctx.state), params.id, query);
    }),
  );

  router.post(
    '/members',
    auth,
    requireRole('secretary', 'admin'),
    handle({ body: CreateMemberBodySchema }, async ({ body }, ctx) => {
      ctx.status = 201;
      ctx.body = await createMember(sessionUser(ctx.state), body);
    }),
  );

  router.patch(
    '/members/:userId',
    auth,
    requireRole('admin'),
    handle({ params: z.object({ userId: IdSchema }), body: PatchMemberBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await patchMember(sessionUser(ctx.state), params.userId, body);
    }),
  );

  return router;
}
