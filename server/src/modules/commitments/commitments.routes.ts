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
import { requireRole, sessionUser } from '../../http/auth';
import type { RouteDeps } from '../../http/deps';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import { addProgress, evaluate, myCommitment, putMine, review, submit } from './commitments.service';
import { queue, wall } from './wall.service';

/** 亮承诺. Owner-only moves check the owner in the service; review/evaluate: secretary of the branch or admin of the subtree. */
export function commitmentsRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/commitments' });

  router.get(
    '/wall',
    auth,
    handle({ query: WallQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await wall(sessionUser(ctx.state), query);
    }),
  );

  router.get(
    '/mine',
    auth,
    handle({ query: MineQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await myCommitment(sessionUser(ctx.state), query.year);
    }),
  );

  router.put(
    '/mine',
    auth,
    handle({ body: PutCommitmentBodySchema }, async ({ body }, ctx) => {
      ctx.body = await putMine(sessionUser(ctx.state), body);
    }),
  );

  router.get(
    '/queue',
    auth,
    requireRole('secretary', 'admin'),
    handle({ query: QueueQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await queue(sessionUser(ctx.state), query);
    }),
  );

  router.post(
    '/:id/submit',
    auth,
    handle({ params: CommitmentIdParamSchema }, async ({ params }, ctx) => {
      ctx.body = await submit(sessionUser(ctx.state), params.id);
    }),
  );

  router.post(
    '/:id/review',
    auth,
    requireRole('secretary', 'admin'),
    handle({ params: CommitmentIdParamSchema, body: ReviewCommitmentBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await review(sessionUser(ctx.state), params.id, body);
    }),
  );

  router.post(
    '/:id/progress',
    auth,
    handle({ params: CommitmentIdParamSchema, body: ProgressBodySchema }, async ({ params, body }, ctx) => {
      ctx.status = 201;
      ctx.body = await addProgress(sessionUser(ctx.state), params.id, body);
    }),
  );

  router.post(
    '/:id/evaluate',
    auth,
    requireRole('secretary', 'admin'),
    handle({ params: CommitmentIdParamSchema, body: EvaluateBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await evaluate(sessionUser(ctx.state), params.id, body);
    }),
  );

  return router;
}
