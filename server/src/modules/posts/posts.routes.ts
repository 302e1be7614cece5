import Router from '@koa/router';
import {
  ClaimIdParamSchema,
  CreatePostBodySchema,
  CreateRecordBodySchema,
  IdParamSchema,
  PatchPostBodySchema,
  PostListQuerySchema,
  ProxyRecordBodySchema,
  RecordListQuerySchema,
  RemoveClaimBodySchema,
  ServiceReviewBodySchema,
} from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { requireRole, sessionUser } from '../../http/auth';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import { claimPost, myClaims, postSeats, releaseClaim, removeClaim } from './claims.service';
import { createPost, getPost, listPosts, patchPost } from './posts.service';
import { recordForMember } from './proxy-records.service';
import { decideRecord, listRecords, logService } from './records.service';

/** 认领公益岗位: posts, claims on them, and the service records members log on their claims. */
export function postsRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const managers = requireRole('secretary', 'admin');

  router.get(
    '/posts',
    auth,
    handle({ query: PostListQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await listPosts(sessionUser(ctx.state), query);
    }),
  );

  router.post(
    '/posts',
    auth,
    managers,
    handle({ body: CreatePostBodySchema }, async ({ body }, ctx) => {
      ctx.status = 201;
      ctx.body = await createPost(sessionUser(ctx.state), body);
    }),
  );

  router.get(
    '/posts/:id',
    auth,
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      ctx.body = await getPost(sessionUser(ctx.state), params.id);
    }),
  );

  router.patch(
    '/posts/:id',
    auth,
    managers,
    handle({ params: IdParamSchema, body: PatchPostBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await patchPost(sessionUser(ctx.state), params.id, body);
    }),
  );

  router.post(
    '/posts/:id/claims',
    auth,
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      ctx.status = 201;
      ctx.body = await claimPost(sessionUser(ctx.state), params.id);
    }),
  );

  router.delete(
    '/posts/:id/claims/mine',
    auth,
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      await releaseClaim(sessionUser(ctx.state), params.id);
      ctx.status = 204;
    }),
  );

  router.get(
    '/posts/:id/claims',
    auth,
    managers,
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      ctx.body = await postSeats(sessionUser(ctx.state), params.id);
    }),
  );

  router.get('/claims/mine', auth, async (ctx) => {
    ctx.body = await myClaims(sessionUser(ctx.state));
  });

  router.post(
    '/claims/:claimId/remove',
    auth,
    managers,
    handle({ params: ClaimIdParamSchema, body: RemoveClaimBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await removeClaim(sessionUser(ctx.state), params.claimId, body);
    }),
  );

  router.post(
    '/claims/:claimId/records',
    auth,
    handle({ params: ClaimIdParamSchema, body: CreateRecordBodySchema }, async ({ params, body }, ctx) => {
      ctx.status = 201;
      ctx.body = await logService(
        sessionUser(ctx.state),
        params.claimId,
        body,
        ctx.get('idempotency-key') || undefined,
      );
    }),
  );

  router.get(
    '/records',
    auth,
    managers,
    handle({ query: RecordListQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await listRecords(sessionUser(ctx.state), query);
    }),
  );

  // 代为登记: the secretary records service for a member of their branch without a smartphone.
  router.post(
    '/records',
    auth,
    managers,
    handle({ body: ProxyRecordBodySchema }, async ({ body }, ctx) => {
      ctx.status = 201;
      ctx.body = await recordForMember(sessionUser(ctx.state), body, ctx.get('idempotency-key') || undefined);
    }),
  );

  router.post(
    '/records/:id/confirm',
    auth,
    managers,
    handle({ params: IdParamSchema, body: ServiceReviewBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await decideRecord(sessionUser(ctx.state), params.id, 'confirm', body.comment);
    }),
  );

  router.post(
    '/records/:id/reject',
    auth,
    managers,
    handle({ params: IdParamSchema, body: ServiceReviewBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await decideRecord(sessionUser(ctx.state), params.id, 'reject', body.comment);
    }),
  );

  return router;
}
