import { loadConfig } from '../../config';
import { createApp } from './app';
import { createHttpServer } from './http/http-server';
import { createLogger, displayUrl, readyBanner, wantsPrettyLogs } from './logger';
import { connectDatabase, disconnectDatabase } from './db/connect';
import { markAllChanged } from './db/change-marks';
import { flushGroupedMarks } from './db/grouped-marks';
import { resolveEngine } from './db/engine';
import { engineState } from './db/engine-state';
import { reconcileAll } from './jobs/reconcile-all';
import { recoverOnItsOwn } from './jobs/recovery';
import { seedDemoCountyIfEmpty } from './jobs/demo-county';
import { scheduleUploadSweeps } from './modules/uploads/uploads.cleanup';
import { scheduleRetention } from './modules/privacy/retention';
import { scheduleReminders } from './modules/notify/reminders.job';
import { scheduleScoring } from './modules/scorecards/scorecards.job';
import { keyringOf, useKeyring, usesDevKeys } from './modules/privacy/field-crypto';
import { sealPersonalData } from './jobs/seal-personal-data';
import { copyConsentsToUsers } from './modules/privacy/consent-copy';

async function main() {
  const config = loadConfig();
  const pretty = wantsPrettyLogs(config.env);
  const logger = createLogger(config, pretty);
  // Personal fields are sealed under these keys (issue 24); production refused to start without its own.
  useKeyring(keyringOf(config));
  if (usesDevKeys(config))
    logger.warn('personal data is encrypted with the public development keys: set DATA_KEYS and PHONE_LOOKUP_KEY');
  const engine = await resolveEngine({
    mongodbUri: config.mongodbUri,
    dataDir: config.dataDir,
    log: (msg, level = 'info') => logger[level](msg),
  });
  await connectDatabase(engine.uri, 'pioneer');
  // Every member marked changed: a mark this process lost when it last stopped (a crash between a write and its mark)
  // cannot leave a session's claims trusted on other processes (db/change-marks.ts, users/session-claims.ts).
  await markAllChanged('users');
  logger.info({ engine: engine.kind }, `database engine: ${engine.kind}`);

  // Before listening: the seat recount must not race live claims.
  await reconcileAll(logger);
  // Before listening: roster lookups read the phone's HMAC key, so clear data from before encryption (or values
  // under a rotated-out key) are sealed first; skipped once done for the current keys.
  const sealed = await sealPersonalData();
  if (!sealed.skipped) logger.info(sealed, 'personal data sealed under the current key');
  // Before listening: each member's privacy answer copied onto them, so the gates read no record (once).
  const copied = await copyConsentsToUsers();
  if (!copied.skipped) logger.info(copied, 'privacy answers copied onto the members');
  // The embedded engine is supervised (db/supervisor.ts): when it is back, the same repairs run again; if it
  // cannot be kept up, exit non-zero so the process manager restarts everything (README "Production").
  recoverOnItsOwn(logger);
  engineState.on('failed', () => {
    logger.fatal('database engine could not be kept running; exiting so the process manager restarts the service');
    process.exit(1);
  });
  if (config.seedDemo) {
    const seeded = await seedDemoCountyIfEmpty();
    if (seeded) logger.info(seeded, 'demo county loaded into the empty database');
  }
  // Photos uploaded and never used for a day are removed: now, then daily.
  scheduleUploadSweeps(config, logger);
  // Location fixes older than each county's retention are reduced to what reports need: now, then daily.
  scheduleRetention(logger);
  // Reminders nobody's request triggers (a deadline tomorrow, an activity within the hour, 民主评议): every 5 min.
  scheduleReminders(logger);
  // 支部评分: each county's quarter scored once after it ends (and caught up at start), claimed across processes.
  scheduleScoring(logger);

  const app = createApp({ config, engine: engine.kind, logger });
  // Request timeout raised for long video uploads (http/http-server.ts).
  const server = createHttpServer(app.callback());
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info(`先锋 Pioneer listening on http://${config.host}:${port} (H5 app at /, API at /api/v1)`);
    // A person at a terminal (npm start): where to open it, which database, who to sign in as.
    if (pretty)
      process.stdout.write(
        readyBanner({
          url: displayUrl(config.host, port),
          engine: engine.kind,
          dataDir: config.dataDir,
          mongodbUri: config.mongodbUri,
          devLogin: config.devLogin,
        }),
      );
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
    // What the last requests queued (db/grouped-marks.ts): check-in month lines, audit filings, counters, then the
    // marks those writes queue in turn (ledger applied, check-in settled, sign-in paid).
    await flushGroupedMarks();
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
