import mongoose from 'mongoose';
import { countEngineCommands } from './engine-commands';
import { flushChangeMarks, recordChangeMarks } from './change-marks';

/** The longest a query waits for a reachable database before it fails (503). */
export const DB_WAIT_MS = 3_000;

/**
 * The process-wide mongoose connection. (Jest gives each test file its own module registry, so each test file
 * gets its own mongoose instance and connects it to a fresh database.)
 */
export async function connectDatabase(uri: string, dbName: string): Promise<typeof mongoose> {
  mongoose.set('strictQuery', true);
  // While the database is away a request must fail fast (503 DB_UNAVAILABLE, see http/errors.ts), not wait: the
  // driver's and mongoose's 10 s defaults made every request hang 10 s and then answer 500. A heartbeat every
  // 2 s (and the driver's immediate re-check when an operation finds no server) reconnects within a second or two
  // of the engine coming back.
  mongoose.set('bufferTimeoutMS', DB_WAIT_MS);
  // engine-commands.ts counts each command per request from the driver's connection itself: the driver's own
  // monitoring (`monitorCommands`) stays off, as it cost ~7 % of a paying request's Node CPU (issue 17).
  await mongoose.connect(uri, {
    dbName,
    autoIndex: false,
    maxPoolSize: 20,
    serverSelectionTimeoutMS: DB_WAIT_MS,
    heartbeatFrequencyMS: 2_000,
  });
  countEngineCommands(mongoose.connection.getClient());
  recordChangeMarks(); // members and orgs held by other processes are told of this one's writes
  await ensureIndexes();
  return mongoose;
}

/** FerretDB answers buildInfo with a `ferretdbVersion`; MongoDB does not. */
async function isFerretdb(): Promise<boolean> {
  const info = await mongoose.connection.db!.admin().command({ buildInfo: 1 });
  return 'ferretdbVersion' in info;
}

/**
 * Creates every model's collection and indexes (again after a database is dropped). Unique indexes carry
 * exactly-once rules, so they exist everywhere before the first request. The other indexes serve MongoDB's
 * queries; FerretDB's SQLite backend never uses them (it pushes down only `{ _id }`) yet updates them on every
 * write (the points totals' index on each award's 20 `$inc`s), so on FerretDB they are left out.
 */
export async function ensureIndexes(): Promise<void> {
  const ferretdb = await isFerretdb();
  await Promise.all(
    Object.values(mongoose.models).map(async (m) => {
      await m.init();
      if (!ferretdb) return void (await m.createIndexes());
      for (const [fields, options] of m.schema.indexes())
        if (options?.unique) await m.collection.createIndex(fields as Record<string, 1 | -1>, { unique: true });
    }),
  );
}

export async function disconnectDatabase(): Promise<void> {
  await flushChangeMarks();
  await mongoose.disconnect();
}

export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number } | null)?.code === 11000;
}
