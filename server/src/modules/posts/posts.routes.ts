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
import { MANAGERS, apiRoutes } from '../../http/route';
import type { AppState } from '../../http/types';
import { claimPost, myClaims, postSeats, releaseClaim, removeClaim } from './claims.service';
import { createPost, getPost, listPosts, patchPost } from './posts.service';
import { recordForMember } from './proxy-records.service';
import { decideRecord, listRecords, logService } from './records.service';

/** 认领公益岗位: posts, claims on them, and the service records members log on their claims. */
export function postsRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const api = apiRoutes(router, auth);

  api.get('/posts', { query: PostListQuerySchema }, (me, { query }) => listPosts(me, query));
  api.post('/posts', { roles: MANAGERS, body: CreatePostBodySchema, status: 201 }, (me, { body }) =>
    createPost(me, body),
  );
  api.get('/posts/:id', { params: IdParamSchema }, (me, { params }) => getPost(me, params.id));
  api.patch(
    '/posts/:id',
    { roles: MANAGERS, params: IdParamSchema, body: PatchPostBodySchema },
    (me, { params, body }) => patchPost(me, params.id, body),
  );

  api.post('/posts/:id/claims', { params: IdParamSchema, status: 201 }, (me, { params }) => claimPost(me, params.id));
  api.delete('/posts/:id/claims/mine', { params: IdParamSchema, status: 204 }, (me, { params }) =>
    releaseClaim(me, params.id),
  );
  api.get('/posts/:id/claims', { roles: MANAGERS, params: IdParamSchema }, (me, { params }) =>
    postSeats(me, params.id),
  );
  api.get('/claims/mine', {}, (me) => myClaims(me));
  api.post(
    '/claims/:claimId/remove',
    { roles: MANAGERS, params: ClaimIdParamSchema, body: RemoveClaimBodySchema },
    (me, { params, body }) => removeClaim(me, params.claimId, body),
  );
  api.post(
    '/claims/:claimId/records',
    { params: ClaimIdParamSchema, body: CreateRecordBodySchema, status: 201 },
    (me, { params, body, key }) => logService(me, params.claimId, body, key),
  );

  api.get('/records', { roles: MANAGERS, query: RecordListQuerySchema }, (me, { query }) => listRecords(me, query));
  // 代为登记: the secretary records service for a member of their branch without a smartphone.
  api.post('/records', { roles: MANAGERS, body: ProxyRecordBodySchema, status: 201 }, (me, { body, key }) =>
    recordForMember(me, body, key),
  );
  for (const decision of ['confirm', 'reject'] as const) {
    api.post(
      `/records/:id/${decision}`,
      { roles: MANAGERS, params: IdParamSchema, body: ServiceReviewBodySchema },
      (me, { params, body }) => decideRecord(me, params.id, decision, body.comment),
    );
  }

  return router;
}
