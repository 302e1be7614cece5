import { loadConfig } from '../../../config';
import { connectDatabase, disconnectDatabase } from '../../src/db/connect';
import { keyringOf, useKeyring } from '../../src/modules/privacy/field-crypto';
import { useReminders } from '../../src/modules/notify/notify';
import { runReminders } from '../../src/modules/notify/reminders.job';

/**
 * One reminder run in a process of its own (reminders-job.test.ts starts two at once, as two servers on one
 * database would): REMINDERS_CHILD is `{ uri, db, now, overrides }`; prints the run's counts as JSON.
 */
async function main() {
  const input = JSON.parse(process.env.REMINDERS_CHILD ?? '{}') as {
    uri: string;
    db: string;
    now: string;
    overrides: Record<string, unknown>;
  };
  const config = loadConfig({ NODE_ENV: 'test' }, { h5Dir: '/nonexistent', ...input.overrides });
  useKeyring(keyringOf(config));
  useReminders(config);
  await connectDatabase(input.uri, input.db);
  try {
    process.stdout.write(JSON.stringify(await runReminders(new Date(input.now))));
  } finally {
    await disconnectDatabase();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
