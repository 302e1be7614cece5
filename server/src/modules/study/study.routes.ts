import Router from '@koa/router';
import {
  ArticleListQuerySchema,
  CompleteReadingBodySchema,
  CreateArticleBodySchema,
  IdParamSchema,
  PatchArticleBodySchema,
} from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { requireRole, sessionUser } from '../../http/auth';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import { adminArticles, getArticle, listArticles, patchArticle, publishArticle } from './articles.service';
import { studyNow } from './clock';
import { completeReading, openReading, pauseReading, resumeReading } from './reading.service';
import { studyToday } from './today.service';
import { addVideoRoutes } from './videos.routes';

/** 学习 beyond quizzes (issue 20): articles, reading sessions, the daily card, and the console's list. */
export function studyRoutes(deps: RouteDeps): Router<AppState> {
  const { auth } = deps;
  const router = new Router<AppState>({ prefix: '/study' });

  router.get('/today', auth, async (ctx) => {
    ctx.body = await studyToday(sessionUser(ctx.state), studyNow());
  });

  router.get(
    '/articles',
    auth,
    handle({ query: ArticleListQuerySchema }, async ({ query }, ctx) => {
      ctx.body = { items: await listArticles(sessionUser(ctx.state), query) };
    }),
  );

  router.get(
    '/articles/:id',
    auth,
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      ctx.body = await getArticle(sessionUser(ctx.state), params.id);
    }),
  );

  router.post(
    '/articles/:id/sessions',
    auth,
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      ctx.status = 201;
      ctx.body = await openReading(sessionUser(ctx.state), params.id, studyNow());
    }),
  );

  router.post(
    '/sessions/:id/pause',
    auth,
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      ctx.body = await pauseReading(sessionUser(ctx.state), params.id, studyNow());
    }),
  );

  router.post(
    '/sessions/:id/resume',
    auth,
    handle({ params: IdParamSchema }, async ({ params }, ctx) => {
      ctx.body = await resumeReading(sessionUser(ctx.state), params.id, studyNow());
    }),
  );

  router.post(
    '/sessions/:id/complete',
    auth,
    handle({ params: IdParamSchema, body: CompleteReadingBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await completeReading(sessionUser(ctx.state), params.id, body.reachedEnd, studyNow());
    }),
  );

  router.get('/admin/articles', auth, requireRole('admin'), async (ctx) => {
    ctx.body = { items: await adminArticles(sessionUser(ctx.state)) };
  });

  router.post(
    '/admin/articles',
    auth,
    requireRole('admin'),
    handle({ body: CreateArticleBodySchema }, async ({ body }, ctx) => {
      ctx.status = 201;
      ctx.body = await publishArticle(sessionUser(ctx.state), body, studyNow());
    }),
  );

  router.patch(
    '/admin/articles/:id',
    auth,
    requireRole('admin'),
    handle({ params: IdParamSchema, body: PatchArticleBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await patchArticle(sessionUser(ctx.state), params.id, body);
    }),
  );

  addVideoRoutes(router, deps);
  return router;
}
