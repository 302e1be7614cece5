import Router from '@koa/router';
import {
  CreatePlanBodySchema,
  PlanDecisionBodySchema,
  PlanItemParamsSchema,
  PlanParamsSchema,
  PlanProgressBodySchema,
  PlansQuerySchema,
} from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { requireRole, sessionUser } from '../../http/auth';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import { listPlans } from './plans.list';
import { acceptPlan, createPlan, decideItem, getPlan, liftPlan, reportItem } from './plans.service';

/** 整顿 (issue 18): a weak branch's plan. Who may make each move is in the policy module ('zhengdun.*'). */
export function plansRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const manager = requireRole('secretary', 'admin');
  const base = '/rectification-plans/:branchId/:quarter';

  router.get(
    '/rectification-plans',
    auth,
    manager,
    handle({ query: PlansQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await listPlans(sessionUser(ctx.state), query.org);
    }),
  );
  router.post(
    base,
    auth,
    requireRole('admin'),
    handle({ params: PlanParamsSchema, body: CreatePlanBodySchema }, async ({ params, body }, ctx) => {
      ctx.status = 201;
      ctx.body = await createPlan(sessionUser(ctx.state), params.branchId, params.quarter, body);
    }),
  );
  router.get(
    base,
    auth,
    manager,
    handle({ params: PlanParamsSchema }, async ({ params }, ctx) => {
      ctx.body = await getPlan(sessionUser(ctx.state), params.branchId, params.quarter);
    }),
  );
  router.post(
    `${base}/items/:n/progress`,
    auth,
    manager,
    handle({ params: PlanItemParamsSchema, body: PlanProgressBodySchema }, async ({ params: p, body }, ctx) => {
      ctx.body = await reportItem(sessionUser(ctx.state), p.branchId, p.quarter, p.n, body);
    }),
  );
  for (const [verb, accept] of [
    ['accept', true],
    ['return', false],
  ] as const)
    router.post(
      `${base}/items/:n/${verb}`,
      auth,
      requireRole('admin'),
      handle({ params: PlanItemParamsSchema, body: PlanDecisionBodySchema }, async ({ params: p, body }, ctx) => {
        ctx.body = await decideItem(sessionUser(ctx.state), p.branchId, p.quarter, p.n, accept, body);
      }),
    );
  router.post(
    `${base}/accept`,
    auth,
    requireRole('admin'),
    handle({ params: PlanParamsSchema, body: PlanDecisionBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await acceptPlan(sessionUser(ctx.state), params.branchId, params.quarter, body);
    }),
  );
  router.post(
    `${base}/lift`,
    auth,
    requireRole('admin'),
    handle({ params: PlanParamsSchema, body: PlanDecisionBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await liftPlan(sessionUser(ctx.state), params.branchId, params.quarter, body);
    }),
  );
  return router;
}
