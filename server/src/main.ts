import { createServer } from 'node:http';
import pino from 'pino';
import { loadConfig } from '../../config';
import { createApp } from './app';
import { forgetOldReplies } from './http/idempotency';
import { connectDatabase, disconnectDatabase } from './db/connect';
import { resolveEngine } from './db/engine';
import { reconcilePoints } from './jobs/points-rebuild';
import { reconcilePosts } from './jobs/posts-reconcile';
import { reconcileAttendance } from './jobs/activities-reconcile';
import { reconcileCheckins } from './jobs/checkins-reconcile';
import { seedDemoCountyIfEmpty } from './jobs/demo-county';
import { scheduleUploadSweeps } from './modules/uploads/uploads.cleanup';

async function main() {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
  const engine = await resolveEngine({ mongodbUri: config.mongodbUri, dataDir: config.dataDir, log: (msg) => logger.info(msg) });
  await connectDatabase(engine.uri, 'pioneer');
  logger.info({ engine: engine.kind }, `database engine: ${engine.kind}`);

  await forgetOldReplies();
  const repaired = await reconcilePoints();
  if (repaired > 0) logger.warn({ repaired }, 'applied ledger entries left unapplied by an earlier stop');
  // Before listening: the seat recount must not race live claims.
  const posts = await reconcilePosts();
  if (Object.values(posts).some((n) => n > 0)) logger.warn(posts, 'repaired posts and wishes left half-done by an earlier stop');
  const attendance = await reconcileAttendance();
  if (attendance.found > 0) logger.warn(attendance, 'paid activity sign-ins left unpaid by an earlier stop');
  const checkins = await reconcileCheckins();
  if (checkins.found > 0) logger.warn(checkins, 'settled check-ins left half-done by an earlier stop');
  if (config.seedDemo) {
    const seeded = await seedDemoCountyIfEmpty();
    if (seeded) logger.info(seeded, 'demo county loaded into the empty database');
  }
  // Photos uploaded and never used for a day are removed: now, then daily.
  scheduleUploadSweeps(config, logger);

  const app = createApp({ config, engine: engine.kind, logger });
  const server = createServer(app.callback());
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info(`先锋 Pioneer listening on http://${config.host}:${port} (H5 app at /, API at /api/v1)`);
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    // Stop taking requests, let the ones in flight finish, then close the database.
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await disconnectDatabase();
    await engine.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
