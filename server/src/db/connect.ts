import mongoose from 'mongoose';

/**
 * The process-wide mongoose connection. (Jest gives each test file its own module registry, so each test file
 * gets its own mongoose instance and connects it to a fresh database.)
 */
export async function connectDatabase(uri: string, dbName: string): Promise<typeof mongoose> {
  mongoose.set('strictQuery', true);
  await mongoose.connect(uri, { dbName, autoIndex: true, maxPoolSize: 20, serverSelectionTimeoutMS: 10_000 });
  // Unique indexes carry the exactly-once rules, so they must exist before the first request.
  await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
  return mongoose;
}

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect();
}

export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number } | null)?.code === 11000;
}
