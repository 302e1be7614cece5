import pino from 'pino';
import { loadConfig } from '../../../config';
import { connectDatabase, disconnectDatabase } from '../db/connect';
import { resolveEngine } from '../db/engine';
import { keyringOf, useKeyring } from '../modules/privacy/field-crypto';

/** Runs a one-off job against the same database `npm start` uses, then stops the engine it started. */
export async function runJob(name: string, job: () => Promise<unknown>): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: 'info' });
  useKeyring(keyringOf(config));
  const engine = await resolveEngine({
    mongodbUri: config.mongodbUri,
    dataDir: config.dataDir,
    log: (msg) => logger.info(msg),
  });
  try {
    await connectDatabase(engine.uri, 'pioneer');
    const result = await job();
    logger.info({ result }, `${name} done`);
  } finally {
    await disconnectDatabase();
    await engine.stop();
  }
}
