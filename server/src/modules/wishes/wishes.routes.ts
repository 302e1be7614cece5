import Router from '@koa/router';
import {
  CreateWishBodySchema,
  FulfilWishBodySchema,
  IdParamSchema,
  PatchWishBodySchema,
  ServiceReviewBodySchema,
  WishListQuerySchema,
} from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { requireRole, sessionUser } from '../../http/auth';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import {
  claimWish,
  createWish,
  fulfilWish,
  getWish,
  listWishes,
  patchWish,
  releaseWish,
  reviewWish,
} from './wishes.service';

/** 微心愿: the secretary enters a resident's wish, one member claims and fulfils it, the secretary confirms. */
export function wishesRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/wishes' });
  const managers = requireRole('secretary', 'admin');

  router.get(
    '/',
    auth,
    handle({ query: WishListQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await listWishes(sessionUser(ctx.state), query);
    }),
  );

  router.post(
    '/',
    auth,
    managers,
    handle({ body: CreateWishBodySchema }, async ({ body }, ctx) => {
      ctx.status = 201;
      ctx.body = await createWish(sessionUser(ctx.state), body);
    }),
  );

  router.get(
    '/:id',
    auth,
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      ctx.body = await getWish(sessionUser(ctx.state), params.id);
    }),
  );

  router.patch(
    '/:id',
    auth,
    managers,
    handle({ params: IdParamSchema, body: PatchWishBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await patchWish(sessionUser(ctx.state), params.id, body);
    }),
  );

  router.post(
    '/:id/claim',
    auth,
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      ctx.body = await claimWish(sessionUser(ctx.state), params.id);
    }),
  );

  router.delete(
    '/:id/claim',
    auth,
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      await releaseWish(sessionUser(ctx.state), params.id);
      ctx.status = 204;
    }),
  );

  router.post(
    '/:id/fulfil',
    auth,
    handle({ params: IdParamSchema, body: FulfilWishBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await fulfilWish(sessionUser(ctx.state), params.id, body);
    }),
  );

  router.post(
    '/:id/confirm',
    auth,
    managers,
    handle({ params: IdParamSchema, body: ServiceReviewBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await reviewWish(sessionUser(ctx.state), params.id, 'confirm', body.comment);
    }),
  );

  router.post(
    '/:id/return',
    auth,
    managers,
    handle({ params: IdParamSchema, body: ServiceReviewBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await reviewWish(sessionUser(ctx.state), params.id, 'reject', body.comment);
    }),
  );

  return router;
}
