import Router from '@koa/router';
import {
  CreateTaskBodySchema,
  IdParamSchema,
  TaskReceiverParamsSchema,
  TaskReportBodySchema,
  TaskReturnBodySchema,
} from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { requireRole, sessionUser } from '../../http/auth';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import { acceptTask, createTask, myTasks, reportTask, returnTask, sentTasks } from './tasks.service';
import { taskBoard, taskBoardXlsx } from './tasks.board';

/** 任务督办 (issue 19). Who may send, report, accept or return is in the policy module ('task.*'). */
export function tasksRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const manager = requireRole('secretary', 'admin');

  router.post(
    '/tasks',
    auth,
    manager,
    handle({ body: CreateTaskBodySchema }, async ({ body }, ctx) => {
      ctx.status = 201;
      ctx.body = await createTask(sessionUser(ctx.state), body);
    }),
  );
  router.get(
    '/tasks/sent',
    auth,
    manager,
    handle({}, async (_input, ctx) => {
      ctx.body = await sentTasks(sessionUser(ctx.state));
    }),
  );
  router.get(
    '/tasks/mine',
    auth,
    handle({}, async (_input, ctx) => {
      ctx.body = await myTasks(sessionUser(ctx.state));
    }),
  );
  router.get(
    '/tasks/:id/board',
    auth,
    manager,
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      ctx.body = await taskBoard(sessionUser(ctx.state), params.id);
    }),
  );
  router.get(
    '/tasks/:id/export',
    auth,
    manager,
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      const buffer = await taskBoardXlsx(sessionUser(ctx.state), params.id);
      ctx.set(
        'Content-Disposition',
        `attachment; filename="task.xlsx"; filename*=UTF-8''${encodeURIComponent('督办情况.xlsx')}`,
      );
      ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      ctx.body = buffer;
    }),
  );
  router.post(
    '/tasks/:id/receivers/:receiverId/report',
    auth,
    handle({ params: TaskReceiverParamsSchema, body: TaskReportBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await reportTask(sessionUser(ctx.state), params.id, params.receiverId, body);
    }),
  );
  router.post(
    '/tasks/:id/receivers/:receiverId/accept',
    auth,
    manager,
    handle({ params: TaskReceiverParamsSchema }, async ({ params }, ctx) => {
      ctx.body = await acceptTask(sessionUser(ctx.state), params.id, params.receiverId);
    }),
  );
  router.post(
    '/tasks/:id/receivers/:receiverId/return',
    auth,
    manager,
    handle({ params: TaskReceiverParamsSchema, body: TaskReturnBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await returnTask(sessionUser(ctx.state), params.id, params.receiverId, body);
    }),
  );
  return router;
}
