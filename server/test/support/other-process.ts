import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mongo } from 'mongoose';

const { EJSON } = mongo.BSON;

/**
 * Another process over the test's database: node with a client of its own, as another app process or a database
 * shell would be. A second client in the test's own process is not "another process": the command hook sits on the
 * driver's connections (server/src/db/engine-commands.ts), so its writes may be seen and marked like the app's.
 * It stays up between calls, so a call costs a round trip, not a node start (tests that write within a bound).
 */
export interface OtherProcess {
  updateOne(collection: string, filter: object, update: object, options?: object): Promise<void>;
  /** The document the driver returns (before or after the update, as `options` say). */
  findOneAndUpdate<T>(collection: string, filter: object, update: object, options?: object): Promise<T | null>;
  close(): Promise<void>;
}

/** The child: connects, answers `{ id, collection, operation, args }` with the driver's result, exits when cut off. */
const CHILD = `const { MongoClient, BSON } = require('mongoose').mongo;
  const [uri, db] = process.argv.slice(1);
  const ready = new MongoClient(uri).connect();
  ready.then(() => process.send({ ready: true }), (err) => { console.error(err); process.exit(1); });
  process.on('message', async ({ id, collection, operation, args }) => {
    try {
      const result = await (await ready).db(db).collection(collection)[operation](...BSON.EJSON.parse(args));
      process.send({ id, result: BSON.EJSON.stringify(result ?? null) });
    } catch (err) { process.send({ id, error: String((err && err.stack) || err) }); }
  });
  process.on('disconnect', () => ready.then((c) => c.close()).finally(() => process.exit(0)));`;

type Reply = { ready?: true; id?: number; result?: string; error?: string };

export async function startAnotherProcess(database: string): Promise<OtherProcess> {
  const uri = process.env.PIONEER_TEST_MONGODB_URI!;
  const child = spawn(process.execPath, ['-e', CHILD, uri, database], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve(r: unknown): void; reject(e: Error): void }>();
  let seq = 0;
  child.on('message', (reply: Reply) => {
    const call = reply.id === undefined ? undefined : waiting.get(reply.id);
    if (!call) return;
    waiting.delete(reply.id!);
    if (reply.error) call.reject(new Error(`another process: ${reply.error}`));
    else call.resolve(EJSON.parse(reply.result!));
  });
  child.on('exit', (code) => waiting.forEach((call) => call.reject(new Error(`another process exited (${code})`))));
  const [first] = (await Promise.race([once(child, 'message'), once(child, 'exit')])) as [Reply | number];
  if (typeof first !== 'object' || !first?.ready) throw new Error(`another process did not connect (${first})`);

  const call = (collection: string, operation: string, args: object[]) =>
    new Promise<unknown>((resolve, reject) => {
      const id = (seq += 1);
      waiting.set(id, { resolve, reject });
      // Relaxed Extended JSON both ways: numbers stay numbers, dates dates.
      child.send({ id, collection, operation, args: EJSON.stringify(args) });
    });
  return {
    updateOne: async (collection, filter, update, options = {}) => {
      await call(collection, 'updateOne', [filter, update, options]);
    },
    findOneAndUpdate: async <T>(collection: string, filter: object, update: object, options = {}) =>
      (await call(collection, 'findOneAndUpdate', [filter, update, options])) as T | null,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}

/** One `updateOne` sent by another process started for it. */
export async function updateFromAnotherProcess(
  database: string,
  collection: string,
  filter: object,
  update: object,
): Promise<void> {
  const other = await startAnotherProcess(database);
  try {
    await other.updateOne(collection, filter, update);
  } finally {
    await other.close();
  }
}
