import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveEngine, type Engine } from '../../src/db/engine';

declare global {
  var __PIONEER_ENGINE__: Engine | undefined;
}

/**
 * One real database engine for the whole run (FerretDB here, or MONGODB_URI when set); every test file then
 * opens its own fresh database on it. Workers inherit the address through the environment.
 */
export default async function globalSetup(): Promise<void> {
  if (globalThis.__PIONEER_ENGINE__) return;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pioneer-test-'));
  const engine = await resolveEngine({
    mongodbUri: process.env.MONGODB_URI,
    dataDir,
    log: (msg) => process.stderr.write(`[test db] ${msg}\n`),
  });
  globalThis.__PIONEER_ENGINE__ = engine;
  process.env.PIONEER_TEST_MONGODB_URI = engine.uri;
  process.env.PIONEER_TEST_ENGINE = engine.kind;
  // The engine's files, for tests that read the raw database file (privacy-encryption.test.ts).
  process.env.PIONEER_TEST_DATA_DIR = dataDir;
}
