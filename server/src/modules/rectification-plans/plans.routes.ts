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
import { ADMINS, MANAGERS, apiRoutes } from '../../http/route';
import type { AppState } from '../../http/types';
import { listPlans } from './plans.list';
import { acceptPlan, createPlan, decideItem, getPlan, liftPlan, reportItem } from './plans.service';

/** 整顿 (issue 18): a weak branch's plan. Who may make each move is in the policy module ('zhengdun.*'). */
export function plansRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const api = apiRoutes(router, auth);
  const base = '/rectification-plans/:branchId/:quarter';

  api.get('/rectification-plans', { roles: MANAGERS, query: PlansQuerySchema }, (me, { query }) =>
    listPlans(me, query.org),
  );
  api.post(
    base,
    { roles: ADMINS, params: PlanParamsSchema, body: CreatePlanBodySchema, status: 201 },
    (me, { params, body }) => createPlan(me, params.branchId, params.quarter, body),
  );
  api.get(base, { roles: MANAGERS, params: PlanParamsSchema }, (me, { params }) =>
    getPlan(me, params.branchId, params.quarter),
  );
  api.post(
    `${base}/items/:n/progress`,
    { roles: MANAGERS, params: PlanItemParamsSchema, body: PlanProgressBodySchema },
    (me, { params: p, body }) => reportItem(me, p.branchId, p.quarter, p.n, body),
  );
  for (const [verb, accept] of [
    ['accept', true],
    ['return', false],
  ] as const)
    api.post(
      `${base}/items/:n/${verb}`,
      { roles: ADMINS, params: PlanItemParamsSchema, body: PlanDecisionBodySchema },
      (me, { params: p, body }) => decideItem(me, p.branchId, p.quarter, p.n, accept, body),
    );
  api.post(
    `${base}/accept`,
    { roles: ADMINS, params: PlanParamsSchema, body: PlanDecisionBodySchema },
    (me, { params, body }) => acceptPlan(me, params.branchId, params.quarter, body),
  );
  api.post(
    `${base}/lift`,
    { roles: ADMINS, params: PlanParamsSchema, body: PlanDecisionBodySchema },
    (me, { params, body }) => liftPlan(me, params.branchId, params.quarter, body),
  );
  return router;
}
