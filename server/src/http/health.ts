import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { Health, Readiness } from '@pioneer/shared';
import { engineState } from '../db/engine-state';
import { pingDatabase } from '../jobs/recovery';
import { dbUnavailable } from './errors';
import type { AppState } from './types';

/** A load balancer's probe must get its answer quickly; a database slower than this counts as not ready. */
export const READY_PING_MS = 500;

/**
 * /healthz is liveness (the process answers; a process manager restarts it when this stops answering) and never
 * touches the database. /readyz is readiness (send me traffic?): the database answers a ping within
 * READY_PING_MS (with MongoDB: the replica set's primary), the embedded engine is running, the start-up repairs
 * are done and the disk takes writes; 503 otherwise.
 */
export function healthRoutes(db: string, version: string): Router<AppState> {
  const router = new Router<AppState>();
  router.get('/healthz', (ctx) => {
    const body: Health = { ok: true, db, version };
    ctx.body = body;
  });
  router.get('/readyz', async (ctx) => {
    const { state, pid, restarts, reconciled, storageFull } = engineState.snapshot();
    // An engine known to be down is not pinged: the probe gets its answer at once.
    const ping = state === 'running' ? await pingDatabase(READY_PING_MS) : { ok: false, ms: 0 };
    const body: Readiness = {
      ready: ping.ok && state === 'running' && reconciled && !storageFull,
      db,
      ping,
      engine: { state, pid, restarts, reconciled, storageFull },
    };
    ctx.set('Cache-Control', 'no-store');
    ctx.status = body.ready ? 200 : 503;
    ctx.body = body;
  });
  return router;
}

/**
 * While the engine is known to be down (or its repairs are still running) an API request is refused at once with
 * 503 DB_UNAVAILABLE and Retry-After, before it reads a body or touches the database: nothing half-done, nothing
 * waiting on the driver, and the mini-program keeps the write in its offline queue. It also counts the requests
 * under way, so a recovery can let the ones caught by the outage finish (or fail) before it repairs.
 */
export function databaseGate(): Middleware<AppState> {
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/api/')) return next();
    if (!engineState.serving) throw dbUnavailable();
    const leave = engineState.enter();
    try {
      await next();
    } finally {
      leave();
    }
  };
}
