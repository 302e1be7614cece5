import Router from '@koa/router';
import { IdParamSchema, PublishNoticeBodySchema, SubscribeConsentBodySchema } from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { requireRole, sessionUser } from '../../http/auth';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import { listMessages } from '../messages/messages.service';
import { consent, subscriptionState } from '../notify/notify';
import { managedNotices, memberNotices, noticeStats, openNotice, publishNotice, remindUnread } from './notices.service';

/** 通知公告 and 我的 -> 消息 (issue 19). Scope rules are in the policy module ('notice.*'). */
export function noticesRoutes({ auth, config }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const manager = requireRole('secretary', 'admin');

  router.get(
    '/notices',
    auth,
    handle({}, async (_input, ctx) => {
      ctx.body = await memberNotices(sessionUser(ctx.state));
    }),
  );
  router.get(
    '/notices/badge',
    auth,
    handle({}, async (_input, ctx) => {
      ctx.body = { unread: (await memberNotices(sessionUser(ctx.state))).unread };
    }),
  );
  router.get(
    '/notices/managed',
    auth,
    manager,
    handle({}, async (_input, ctx) => {
      ctx.body = await managedNotices(sessionUser(ctx.state));
    }),
  );
  router.post(
    '/notices',
    auth,
    manager,
    handle({ body: PublishNoticeBodySchema }, async ({ body }, ctx) => {
      ctx.status = 201;
      ctx.body = await publishNotice(sessionUser(ctx.state), body);
    }),
  );
  router.get(
    '/notices/:id',
    auth,
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      ctx.body = await openNotice(sessionUser(ctx.state), params.id);
    }),
  );
  router.get(
    '/notices/:id/stats',
    auth,
    manager,
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      ctx.body = await noticeStats(sessionUser(ctx.state), params.id);
    }),
  );
  router.post(
    '/notices/:id/remind',
    auth,
    manager,
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      ctx.body = await remindUnread(sessionUser(ctx.state), params.id);
    }),
  );
  router.get(
    '/me/messages',
    auth,
    handle({}, async (_input, ctx) => {
      ctx.body = await listMessages(sessionUser(ctx.state).id);
    }),
  );
  router.get(
    '/me/subscriptions',
    auth,
    handle({}, async (_input, ctx) => {
      ctx.body = await subscriptionState(config, sessionUser(ctx.state));
    }),
  );
  router.post(
    '/me/subscriptions',
    auth,
    handle({ body: SubscribeConsentBodySchema }, async ({ body }, ctx) => {
      ctx.body = await consent(config, sessionUser(ctx.state), body);
    }),
  );
  return router;
}
