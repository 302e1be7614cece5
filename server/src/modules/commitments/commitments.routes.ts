import Router from '@koa/router';
import {
  CommitmentIdParamSchema,
  EvaluateBodySchema,
  MineQuerySchema,
  ProgressBodySchema,
  PutCommitmentBodySchema,
  QueueQuerySchema,
  ReviewCommitmentBodySchema,
  WallQuerySchema,
} from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { MANAGERS, apiRoutes } from '../../http/route';
import type { AppState } from '../../http/types';
import { addProgress, evaluate, myCommitment, putMine, review, submit } from './commitments.service';
import { queue, wall } from './wall.service';

/** 亮承诺. Owner-only moves check the owner in the service; review/evaluate: secretary of the branch or admin of the subtree. */
export function commitmentsRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/commitments' });
  const api = apiRoutes(router, auth);
  const id = CommitmentIdParamSchema;

  api.get('/wall', { query: WallQuerySchema }, (me, { query }) => wall(me, query));
  api.get('/mine', { query: MineQuerySchema }, (me, { query }) => myCommitment(me, query.year));
  api.put('/mine', { body: PutCommitmentBodySchema }, (me, { body }) => putMine(me, body));
  api.get('/queue', { roles: MANAGERS, query: QueueQuerySchema }, (me, { query }) => queue(me, query));

  api.post('/:id/submit', { params: id }, (me, { params }) => submit(me, params.id));
  api.post('/:id/review', { roles: MANAGERS, params: id, body: ReviewCommitmentBodySchema }, (me, { params, body }) =>
    review(me, params.id, body),
  );
  api.post('/:id/progress', { params: id, body: ProgressBodySchema, status: 201 }, (me, { params, body }) =>
    addProgress(me, params.id, body),
  );
  api.post('/:id/evaluate', { roles: MANAGERS, params: id, body: EvaluateBodySchema }, (me, { params, body }) =>
    evaluate(me, params.id, body),
  );

  return router;
}
