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
import { MANAGERS, apiRoutes } from '../../http/route';
import type { AppState } from '../../http/types';
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
  const api = apiRoutes(router, auth);

  api.get('/', { query: WishListQuerySchema }, (me, { query }) => listWishes(me, query));
  api.post('/', { roles: MANAGERS, body: CreateWishBodySchema, status: 201 }, (me, { body }) => createWish(me, body));
  api.get('/:id', { params: IdParamSchema }, (me, { params }) => getWish(me, params.id));
  api.patch('/:id', { roles: MANAGERS, params: IdParamSchema, body: PatchWishBodySchema }, (me, { params, body }) =>
    patchWish(me, params.id, body),
  );

  api.post('/:id/claim', { params: IdParamSchema }, (me, { params }) => claimWish(me, params.id));
  api.delete('/:id/claim', { params: IdParamSchema, status: 204 }, (me, { params }) => releaseWish(me, params.id));
  api.post('/:id/fulfil', { params: IdParamSchema, body: FulfilWishBodySchema }, (me, { params, body }) =>
    fulfilWish(me, params.id, body),
  );
  for (const [verb, decision] of [
    ['confirm', 'confirm'],
    ['return', 'reject'],
  ] as const) {
    api.post(
      `/:id/${verb}`,
      { roles: MANAGERS, params: IdParamSchema, body: ServiceReviewBodySchema },
      (me, { params, body }) => reviewWish(me, params.id, decision, body.comment),
    );
  }

  return router;
}
