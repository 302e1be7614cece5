import Router from '@koa/router';
import {
  ArticleListQuerySchema,
  CompleteReadingBodySchema,
  CreateArticleBodySchema,
  IdParamSchema,
  PatchArticleBodySchema,
} from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { ADMINS, apiRoutes } from '../../http/route';
import type { AppState } from '../../http/types';
import { adminArticles, getArticle, listArticles, patchArticle, publishArticle } from './articles.service';
import { studyNow } from './clock';
import { completeReading, openReading, pauseReading, resumeReading } from './reading.service';
import { studyToday } from './today.service';
import { addVideoRoutes } from './videos.routes';

/** 学习 beyond quizzes (issue 20): articles, reading sessions, the daily card, and the console's list. */
export function studyRoutes(deps: RouteDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/study' });
  const api = apiRoutes(router, deps.auth);
  const session = { params: IdParamSchema };

  api.get('/today', {}, (me) => studyToday(me, studyNow()));
  api.get('/articles', { query: ArticleListQuerySchema }, async (me, { query }) => ({
    items: await listArticles(me, query),
  }));
  api.get('/articles/:id', { params: IdParamSchema }, (me, { params }) => getArticle(me, params.id));

  api.post('/articles/:id/sessions', { params: IdParamSchema, status: 201 }, (me, { params }) =>
    openReading(me, params.id, studyNow()),
  );
  api.post('/sessions/:id/pause', session, (me, { params }) => pauseReading(me, params.id, studyNow()));
  api.post('/sessions/:id/resume', session, (me, { params }) => resumeReading(me, params.id, studyNow()));
  api.post(
    '/sessions/:id/complete',
    { params: IdParamSchema, body: CompleteReadingBodySchema },
    (me, { params, body }) => completeReading(me, params.id, body.reachedEnd, studyNow()),
  );

  api.get('/admin/articles', { roles: ADMINS }, async (me) => ({ items: await adminArticles(me) }));
  api.post('/admin/articles', { roles: ADMINS, body: CreateArticleBodySchema, status: 201 }, (me, { body }) =>
    publishArticle(me, body, studyNow()),
  );
  api.patch(
    '/admin/articles/:id',
    { roles: ADMINS, params: IdParamSchema, body: PatchArticleBodySchema },
    (me, { params, body }) => patchArticle(me, params.id, body),
  );

  addVideoRoutes(router, deps);
  return router;
}
