import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { connectDatabase } from '../../server/src/db/connect';
import { startFerretdb } from '../../server/src/db/ferretdb';

type Engine = Awaited<ReturnType<typeof startFerretdb>>;

/**
 * Runs a bench script's `work` on a fresh embedded engine (its own data directory, database `dbName`), then stops and
 * removes it, and exits the process: 0 when the work finished, 1 (the error printed) when it threw.
 */
export function onFreshEngine(dbName: string, work: (engine: Engine) => Promise<void>): void {
  const run = async () => {
    const dir = mkdtempSync(path.join(tmpdir(), `${dbName}-`));
    const engine = await startFerretdb(path.join(dir, 'ferretdb'));
    try {
      await connectDatabase(engine.uri, dbName);
      await work(engine);
    } finally {
      await mongoose.disconnect();
      await engine.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  };
  run().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
