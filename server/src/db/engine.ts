import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { MongoMemoryServer } from 'mongodb-memory-server-core';
import { engineEnvironment } from '../../../config/engine';
import { goAvailable, startFerretdb } from './ferretdb';
import type { EngineLog } from './supervisor';

export type EngineKind = 'mongodb' | 'mongod' | 'ferretdb' | 'mongodb-memory-server';

export interface Engine {
  kind: EngineKind;
  /** A connection string without a database name; callers choose the database. */
  uri: string;
  stop(): Promise<void>;
}

export interface EngineOptions {
  mongodbUri?: string;
  /** Where a local engine keeps its files; a fresh temporary folder for tests. */
  dataDir: string;
  /** Engine events; a crash of the embedded engine is logged at 'error'. */
  log: EngineLog;
}

function onPath(binary: string): string | null {
  for (const dir of engineEnvironment().searchPath) {
    const candidate = path.join(dir, binary);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

async function startMemoryServer(dataDir: string, systemBinary?: string): Promise<Engine> {
  mkdirSync(dataDir, { recursive: true });
  const server = await MongoMemoryServer.create({
    binary: systemBinary ? { systemBinary } : {},
    instance: { dbPath: dataDir, storageEngine: 'wiredTiger' },
  });
  return {
    kind: systemBinary ? 'mongod' : 'mongodb-memory-server',
    uri: server.getUri(),
    stop: async () => {
      await server.stop({ doCleanup: false });
    },
  };
}

/**
 * Picks the database in the documented order: MONGODB_URI, a mongod on PATH, FerretDB built from its Go module,
 * then mongodb-memory-server's download (which needs the internet).
 */
export async function resolveEngine(options: EngineOptions): Promise<Engine> {
  if (options.mongodbUri) {
    options.log('database: MONGODB_URI');
    return { kind: 'mongodb', uri: options.mongodbUri, stop: async () => {} };
  }
  const mongod = engineEnvironment().mongodBinary || onPath('mongod');
  if (mongod) {
    options.log(`database: mongod at ${mongod}`);
    return startMemoryServer(path.join(options.dataDir, 'mongod'), mongod);
  }
  if (goAvailable()) {
    const engine = await startFerretdb(path.join(options.dataDir, 'ferretdb'), options.log);
    options.log(`database: FerretDB (embedded, SQLite) at ${engine.uri}`);
    return { kind: 'ferretdb', ...engine };
  }
  options.log('database: no MONGODB_URI, mongod or Go toolchain; trying mongodb-memory-server download');
  try {
    return await startMemoryServer(path.join(options.dataDir, 'mongod'));
  } catch (err) {
    throw new Error(
      `no database available: set MONGODB_URI=mongodb://host:27017/pioneer, put mongod on PATH, or install Go ` +
        `so the embedded FerretDB can be built (download failed: ${(err as Error).message})`,
      { cause: err },
    );
  }
}
