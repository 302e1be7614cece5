import Router from '@koa/router';
import {
  CreateTaskBodySchema,
  IdParamSchema,
  TaskReceiverParamsSchema,
  TaskReportBodySchema,
  TaskReturnBodySchema,
} from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { sendDownload } from '../../http/files';
import { MANAGERS, apiRoutes } from '../../http/route';
import type { AppState } from '../../http/types';
import { acceptTask, createTask, myTasks, reportTask, returnTask, sentTasks } from './tasks.service';
import { taskBoard, taskBoardXlsx } from './tasks.board';

/** 任务督办 (issue 19). Who may send, report, accept or return is in the policy module ('task.*'). */
export function tasksRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const api = apiRoutes(router, auth);
  const receiver = '/tasks/:id/receivers/:receiverId';

  api.post('/tasks', { roles: MANAGERS, body: CreateTaskBodySchema, status: 201 }, (me, { body }) =>
    createTask(me, body),
  );
  api.get('/tasks/sent', { roles: MANAGERS }, (me) => sentTasks(me));
  api.get('/tasks/mine', {}, (me) => myTasks(me));
  api.get('/tasks/:id/board', { roles: MANAGERS, params: IdParamSchema }, (me, { params }) => taskBoard(me, params.id));
  api.get('/tasks/:id/export', { roles: MANAGERS, params: IdParamSchema }, async (me, { params }, ctx) => {
    const body = await taskBoardXlsx(me, params.id);
    sendDownload(ctx, { body, asciiName: 'task.xlsx', name: '督办情况.xlsx' });
  });
  api.post(
    `${receiver}/report`,
    { params: TaskReceiverParamsSchema, body: TaskReportBodySchema },
    (me, { params, body }) => reportTask(me, params.id, params.receiverId, body),
  );
  api.post(`${receiver}/accept`, { roles: MANAGERS, params: TaskReceiverParamsSchema }, (me, { params }) =>
    acceptTask(me, params.id, params.receiverId),
  );
  api.post(
    `${receiver}/return`,
    { roles: MANAGERS, params: TaskReceiverParamsSchema, body: TaskReturnBodySchema },
    (me, { params, body }) => returnTask(me, params.id, params.receiverId, body),
  );
  return router;
}
