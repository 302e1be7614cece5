import { existsSync } from 'node:fs';
import Koa from 'koa';
import Router from '@koa/router';
import cors from '@koa/cors';
import serve from 'koa-static';
import pino, { type Logger } from 'pino';
import type { Config } from '../../config';
import { SESSION_TOKEN_HEADER, requireAuth, tokenIssuer } from './http/auth';
import { jsonBody } from './http/body';
import type { RouteDeps } from './http/deps';
import { errorMiddleware } from './http/errors';
import { engineCommandHeader } from './db/engine-commands';
import { setSharedViewMs } from './db/shared-view';
import { databaseGate, healthRoutes, livenessFirst } from './http/health';
import { idempotentWrites } from './http/idempotency';
import { requestLogging } from './http/logging';
import { rateLimits } from './http/rate-limit';
import { routesBySegment } from './http/route-index';
import { securityHeaders } from './http/security-headers';
import type { AppState } from './http/types';
import { authRoutes } from './modules/auth/auth.routes';
import { checkinsRoutes } from './modules/checkins/checkins.routes';
import { leaderboardsRoutes } from './modules/leaderboards/leaderboards.routes';
import { orgsRoutes } from './modules/orgs/orgs.routes';
import { pointsRoutes } from './modules/points/points.routes';
import { pointsVersion, POINTS_VERSION_HEADER } from './modules/points/held-totals';
import { quizRoutes } from './modules/quiz/quiz.routes';
import { postsRoutes } from './modules/posts/posts.routes';
import { wishesRoutes } from './modules/wishes/wishes.routes';
import { uploadsRoutes } from './modules/uploads/uploads.routes';
import { keepUsedUploads } from './modules/uploads/uploads.cleanup';
import { commitmentsRoutes } from './modules/commitments/commitments.routes';
import { activitiesRoutes } from './modules/activities/activities.routes';
import { sessionMember } from './modules/users/session-view';
import { usersRoutes } from './modules/users/users.routes';
import { memberAdminRoutes } from './modules/users/member-admin.routes';
import { settingsRoutes } from './modules/settings/settings.routes';
import { auditRoutes } from './modules/audit/audit.routes';
import { privacyRoutes } from './modules/privacy/privacy.routes';
import { keyringOf, useKeyring } from './modules/privacy/field-crypto';
import { rosterRoutes } from './modules/roster/roster.routes';
import { reviewsRoutes } from './modules/reviews/reviews.routes';
import { studyRoutes } from './modules/study/study.routes';
import { dashboardRoutes } from './modules/dashboard/dashboard.routes';
import { inspectionsRoutes } from './modules/inspections/inspections.routes';
import { scorecardsRoutes } from './modules/scorecards/scorecards.routes';
import { plansRoutes } from './modules/rectification-plans/plans.routes';
import { noticesRoutes } from './modules/notices/notices.routes';
import { tasksRoutes } from './modules/tasks/tasks.routes';
import { todoRoutes } from './modules/todo/todo.routes';
import { useReminders } from './modules/notify/notify';

export interface AppOptions {
  config: Config;
  /** Which engine the resolver chose, reported by /healthz. */
  engine: string;
  logger?: Logger;
}

export const VERSION = '0.1.0';

/** Builds the Koa app without listening: tests drive `app.callback()`, main.ts listens. */
export function createApp({ config, engine, logger = pino({ level: config.logLevel }) }: AppOptions): Koa<AppState> {
  // X-Forwarded-For is believed only as far as the configured proxies wrote it: with N proxies the client is the
  // N-th entry from the right (ctx.ip); entries further left are the client's own words (rate-limit.ts keys on it).
  const app = new Koa<AppState>({ proxy: config.trustedProxies > 0, maxIpsCount: config.trustedProxies });
  const tokens = tokenIssuer(config.jwtSecret, config.jwtTtlSeconds);
  const deps: RouteDeps = { config, tokens, auth: requireAuth(tokens, sessionMember) };
  // Personal fields are sealed under the configured keys (issue 24).
  useKeyring(keyringOf(config));
  // 订阅消息 (issue 19): what members are told goes out by WeChat too when reminders are on.
  useReminders(config);
  // Shared views (issue 17): how long a process serves them from memory.
  setSharedViewMs(config.sharedViewMs);

  app.on('error', (err: Error, ctx?: { state?: AppState }) => {
    (ctx?.state?.log ?? logger).error({ err }, 'request failed');
  });

  // A liveness probe first (health.ts): nosniff on its JSON, none of the chain.
  const counted = config.engineCommandHeader ? ['X-Engine-Commands', '0'] : [];
  app.use(livenessFirst(engine, VERSION, ['X-Content-Type-Options', 'nosniff', ...counted]));
  app.use(engineCommandHeader(config.engineCommandHeader));
  app.use(requestLogging(logger));
  app.use(errorMiddleware());
  app.use(securityHeaders());
  app.use(
    cors({
      origin: (ctx) => (config.corsOrigins.includes(ctx.get('origin')) ? ctx.get('origin') : ''),
      allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id', POINTS_VERSION_HEADER],
      exposeHeaders: ['Retry-After', POINTS_VERSION_HEADER, SESSION_TOKEN_HEADER],
    }),
  );
  // While the database is away, API requests get 503 at once (health.ts); /healthz and /readyz still answer.
  app.use(databaseGate());
  // Before the body is read and before the idempotency store: a refused write costs nothing and writes nothing.
  app.use(rateLimits(config.rateLimit, tokens));
  app.use(jsonBody(config.bodyLimitBytes));
  app.use(idempotentWrites(tokens));
  // A write that succeeds keeps the uploads its body names; the rest are swept after a day (uploads.cleanup.ts).
  app.use(keepUsedUploads());
  // A member's totals sequence, read from the client and told back after an award (points/held-totals.ts).
  app.use(pointsVersion());

  const root = healthRoutes(engine, VERSION);
  const api = new Router<AppState>({ prefix: '/api/v1' });
  for (const routes of [
    authRoutes,
    usersRoutes,
    orgsRoutes,
    pointsRoutes,
    leaderboardsRoutes,
    quizRoutes,
    checkinsRoutes,
    postsRoutes,
    wishesRoutes,
    uploadsRoutes,
    commitmentsRoutes,
    settingsRoutes,
    activitiesRoutes,
    auditRoutes,
    memberAdminRoutes,
    rosterRoutes,
    privacyRoutes,
    noticesRoutes,
    tasksRoutes,
    reviewsRoutes,
    studyRoutes,
    dashboardRoutes,
    inspectionsRoutes,
    scorecardsRoutes,
    plansRoutes,
    todoRoutes,
  ]) {
    // The module's routes join the API router's; its one allowedMethods below answers 405/OPTIONS for them all.
    api.use(routes(deps).routes());
  }
  app.use(root.routes());
  // Dispatched by the path's first segment: a request tests only its own module's routes (route-index.ts).
  app.use(routesBySegment(api));
  app.use(api.allowedMethods());

  // The H5 build of the mini-program, served from the same origin so it needs no CORS.
  if (existsSync(config.h5Dir)) app.use(serve(config.h5Dir, { maxage: 60_000, index: 'index.html' }));
  return app;
}
