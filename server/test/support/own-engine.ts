import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { MongoClient } from 'mongodb';
import { buildFerretdb, launchFerretdb } from '../../src/db/ferretdb';

/**
 * An embedded engine of the test file's own, in a data directory of its own (the engine tests read its SQLite files:
 * the write-ahead log), started before the file's tests and stopped and removed after them. Call it inside the
 * `describe`: its hooks run before the file's own.
 */
export function ownEngine(prefix: string, maxPoolSize: number): { dataDir: string; client: () => MongoClient } {
  const dataDir = mkdtempSync(path.join(tmpdir(), prefix));
  let child: ChildProcess | undefined;
  let client: MongoClient | undefined;

  beforeAll(async () => {
    const engine = await launchFerretdb(buildFerretdb(), dataDir, '127.0.0.1:0');
    child = engine.child;
    client = await MongoClient.connect(`mongodb://${engine.address}/`, { maxPoolSize });
  });

  afterAll(async () => {
    await client?.close();
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  return { dataDir, client: () => client! };
}
