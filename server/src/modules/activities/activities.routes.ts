import Router from '@koa/router';
import {
  ActivityListQuerySchema,
  AddAttendeeBodySchema,
  CancelActivityBodySchema,
  CreateActivityBodySchema,
  FrequenciesQuerySchema,
  IdleQuerySchema,
  IdParamSchema,
  LeaveBodySchema,
  LeaveParamsSchema,
  LeaveReviewBodySchema,
  MinutesBodySchema,
  PatchActivityBodySchema,
  PutFrequenciesBodySchema,
  RecordBookQuerySchema,
  SigninBodySchema,
} from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { sendDownload } from '../../http/files';
import { ADMINS, MANAGERS, apiRoutes } from '../../http/route';
import type { AppState } from '../../http/types';
import { createActivity, getActivity, listActivities } from './activities.service';
import { activityAttendance, addAttendee, askLeave, putMinutes, reviewLeave } from './activity-attendance.service';
import { activityQr, signIn } from './activity-signin.service';
import { cancelActivity, patchActivity } from './activity-edit.service';
import { getFrequencies, putFrequencies } from './frequencies.service';
import { idleBranches, recordBook, recordBookXlsx } from './record-book.service';

/** 三会一课 · 主题党日 · 红色星期六. Branch scope is checked in the services. */
export function activitiesRoutes({ auth, config }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const api = apiRoutes(router, auth);

  api.get('/activities', { query: ActivityListQuerySchema }, (me, { query }) => listActivities(me, query));
  api.post('/activities', { roles: MANAGERS, body: CreateActivityBodySchema, status: 201 }, (me, { body }) =>
    createActivity(me, body),
  );

  // Before /activities/:id so these names are not taken for ids.
  api.get('/activities/record-book', { roles: MANAGERS, query: RecordBookQuerySchema }, async (me, { query }, ctx) => {
    const book = await recordBook(me, query);
    if (query.format === 'json') return book;
    const name = `三会一课台账-${book.org.name}-${book.label}.xlsx`;
    const asciiName = `record-book-${book.quarter}.xlsx`;
    sendDownload(ctx, { name, asciiName, body: await recordBookXlsx(book) }, { noStore: true });
  });
  api.get('/activities/frequencies', { roles: MANAGERS, query: FrequenciesQuerySchema }, (me, { query }) =>
    getFrequencies(me, query),
  );
  api.put('/activities/frequencies', { roles: ADMINS, body: PutFrequenciesBodySchema }, (me, { body }) =>
    putFrequencies(me, body),
  );
  api.get('/activities/idle', { roles: MANAGERS, query: IdleQuerySchema }, (me, { query }) => idleBranches(me, query));

  api.get('/activities/:id', { params: IdParamSchema }, (me, { params }) => getActivity(me, params.id));
  api.patch(
    '/activities/:id',
    { roles: MANAGERS, params: IdParamSchema, body: PatchActivityBodySchema },
    (me, { params, body }) => patchActivity(me, params.id, body),
  );
  api.post(
    '/activities/:id/cancel',
    { roles: MANAGERS, params: IdParamSchema, body: CancelActivityBodySchema },
    (me, { params, body }) => cancelActivity(me, params.id, body),
  );
  api.post('/activities/:id/leave', { params: IdParamSchema, body: LeaveBodySchema }, (me, { params, body }) =>
    askLeave(me, params.id, body),
  );
  api.post(
    '/activities/:id/leave/:userId/review',
    { roles: MANAGERS, params: LeaveParamsSchema, body: LeaveReviewBodySchema },
    (me, { params, body }) => reviewLeave(me, params.id, params.userId, body),
  );
  api.get('/activities/:id/qr', { roles: MANAGERS, params: IdParamSchema, noStore: true }, (me, { params }) =>
    activityQr(me, config.jwtSecret, params.id),
  );
  api.post(
    '/activities/:id/signin',
    { params: IdParamSchema, body: SigninBodySchema, status: 201 },
    (me, { params, body }) => signIn(me, config.jwtSecret, params.id, body),
  );
  api.post(
    '/activities/:id/attendees',
    { roles: MANAGERS, params: IdParamSchema, body: AddAttendeeBodySchema, status: 201 },
    (me, { params, body }) => addAttendee(me, params.id, body),
  );
  api.put(
    '/activities/:id/minutes',
    { roles: MANAGERS, params: IdParamSchema, body: MinutesBodySchema },
    (me, { params, body }) => putMinutes(me, params.id, body),
  );
  api.get('/activities/:id/attendance', { roles: MANAGERS, params: IdParamSchema, noStore: true }, (me, { params }) =>
    activityAttendance(me, params.id),
  );

  return router;
}
