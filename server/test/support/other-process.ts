import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * One `updateOne` sent by another process (node with a client of its own), as another app process or a database shell
 * would send it. A second client in the test's own process is not "another process": the command hook sits on the
 * driver's connections (server/src/db/engine-commands.ts), so its writes are seen and marked like the app's.
 */
export async function updateFromAnotherProcess(
  database: string,
  collection: string,
  filter: object,
  update: object,
): Promise<void> {
  const script = `const { MongoClient } = require('mongoose').mongo;
    (async () => {
      const [uri, db, name, filter, update] = process.argv.slice(1);
      const shell = await new MongoClient(uri).connect();
      try { await shell.db(db).collection(name).updateOne(JSON.parse(filter), JSON.parse(update)); }
      finally { await shell.close(); }
    })().catch((err) => { console.error(err); process.exit(1); });`;
  const uri = process.env.PIONEER_TEST_MONGODB_URI!;
  await execFileAsync(process.execPath, [
    '-e',
    script,
    uri,
    database,
    collection,
    JSON.stringify(filter),
    JSON.stringify(update),
  ]);
}
