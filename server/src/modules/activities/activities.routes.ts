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
import { requireRole, sessionUser } from '../../http/auth';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import {
  activityAttendance,
  activityQr,
  addAttendee,
  askLeave,
  createActivity,
  getActivity,
  listActivities,
  putMinutes,
  reviewLeave,
  signIn,
} from './activities.service';
import { cancelActivity, patchActivity } from './activity-edit.service';
import { getFrequencies, putFrequencies } from './frequencies.service';
import { idleBranches, recordBook, recordBookXlsx } from './record-book.service';

/** 三会一课 · 主题党日 · 红色星期六. Branch scope is checked in the services. */
export function activitiesRoutes({ auth, config }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const manager = requireRole('secretary', 'admin');

  router.get(
    '/activities',
    auth,
    handle({ query: ActivityListQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await listActivities(sessionUser(ctx.state), query);
    }),
  );

  router.post(
    '/activities',
    auth,
    manager,
    handle({ body: CreateActivityBodySchema }, async ({ body }, ctx) => {
      ctx.status = 201;
      ctx.body = await createActivity(sessionUser(ctx.state), body);
    }),
  );

  // Before /activities/:id so these names are not taken for ids.
  router.get(
    '/activities/record-book',
    auth,
    manager,
    handle({ query: RecordBookQuerySchema }, async ({ query }, ctx) => {
      const book = await recordBook(sessionUser(ctx.state), query);
      if (query.format === 'json') {
        ctx.body = book;
        return;
      }
      const name = `三会一课台账-${book.org.name}-${book.label}.xlsx`;
      ctx.set(
        'Content-Disposition',
        `attachment; filename="record-book-${book.quarter}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
      );
      ctx.set('Cache-Control', 'no-store');
      ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      ctx.body = await recordBookXlsx(book);
    }),
  );

  router.get(
    '/activities/frequencies',
    auth,
    manager,
    handle({ query: FrequenciesQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await getFrequencies(sessionUser(ctx.state), query);
    }),
  );

  router.put(
    '/activities/frequencies',
    auth,
    requireRole('admin'),
    handle({ body: PutFrequenciesBodySchema }, async ({ body }, ctx) => {
      ctx.body = await putFrequencies(sessionUser(ctx.state), body);
    }),
  );

  router.get(
    '/activities/idle',
    auth,
    manager,
    handle({ query: IdleQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await idleBranches(sessionUser(ctx.state), query);
    }),
  );

  router.get(
    '/activities/:id',
    auth,
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      ctx.body = await getActivity(sessionUser(ctx.state), params.id);
    }),
  );

  router.patch(
    '/activities/:id',
    auth,
    manager,
    handle({ params: IdParamSchema, body: PatchActivityBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await patchActivity(sessionUser(ctx.state), params.id, body);
    }),
  );

  router.post(
    '/activities/:id/cancel',
    auth,
    manager,
    handle({ params: IdParamSchema, body: CancelActivityBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await cancelActivity(sessionUser(ctx.state), params.id, body);
    }),
  );

  router.post(
    '/activities/:id/leave',
    auth,
    handle({ params: IdParamSchema, body: LeaveBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await askLeave(sessionUser(ctx.state), params.id, body);
    }),
  );

  router.post(
    '/activities/:id/leave/:userId/review',
    auth,
    manager,
    handle({ params: LeaveParamsSchema, body: LeaveReviewBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await reviewLeave(sessionUser(ctx.state), params.id, params.userId, body);
    }),
  );

  router.get(
    '/activities/:id/qr',
    auth,
    manager,
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await activityQr(sessionUser(ctx.state), config.jwtSecret, params.id);
    }),
  );

  router.post(
    '/activities/:id/signin',
    auth,
    handle({ params: IdParamSchema, body: SigninBodySchema }, async ({ params, body }, ctx) => {
      ctx.status = 201;
      ctx.body = await signIn(sessionUser(ctx.state), config.jwtSecret, params.id, body);
    }),
  );

  router.post(
    '/activities/:id/attendees',
    auth,
    manager,
    handle({ params: IdParamSchema, body: AddAttendeeBodySchema }, async ({ params, body }, ctx) => {
      ctx.status = 201;
      ctx.body = await addAttendee(sessionUser(ctx.state), params.id, body);
    }),
  );

  router.put(
    '/activities/:id/minutes',
    auth,
    manager,
    handle({ params: IdParamSchema, body: MinutesBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await putMinutes(sessionUser(ctx.state), params.id, body);
    }),
  );

  router.get(
    '/activities/:id/attendance',
    auth,
    manager,
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await activityAttendance(sessionUser(ctx.state), params.id);
    }),
  );

  return router;
}
