import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import type { Logger } from 'pino';
import { engineState } from '../db/engine-state';
import { reconcileAll } from './reconcile-all';

const RETRY_MS = 500;
/** Longer than a request caught by the outage can take (each query waits at most DB_WAIT_MS). */
const DRAIN_MS = 10_000;
const STORAGE_PROBE_MS = 2_000;
/** A probe write this big proves there is room for a real one (a tiny update may fit in space SQLite already holds). */
const PROBE_BYTES = 64 * 1024;

/** Failed repairs after a refused scope write before the gate opens again (recoverOnItsOwn). */
const REPAIR_TRIES = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A database ping that gives up after `deadlineMs` (the driver would wait its whole server-selection timeout). */
export async function pingDatabase(deadlineMs: number): Promise<{ ok: boolean; ms: number }> {
  const started = Date.now();
  const db = mongoose.connection.db;
  if (!db) return { ok: false, ms: 0 };
  let timer: NodeJS.Timeout | undefined;
  const ping = db
    .admin()
    .command({ ping: 1 })
    .then(
      () => true,
      () => false,
    );
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), deadlineMs)));
  const ok = await Promise.race([ping, late]);
  clearTimeout(timer);
  return { ok, ms: Date.now() - started };
}

async function probeWrite(): Promise<void> {
  const probes = mongoose.connection.db!.collection<{ _id: string; pad: string }>('health_probes');
  const _id = randomBytes(8).toString('hex');
  await probes.insertOne({ _id, pad: 'x'.repeat(PROBE_BYTES) });
  await probes.deleteOne({ _id });
}

/**
 * Brings the service back after its database was away, on its own. When the supervised engine is restarted
 * ('up'), a write failed for a full disk ('storage-full') or an award's scope write failed ('views-behind'), this
 * waits until the database answers (and, for a full disk, until a probe write fits), then runs the start-up repairs
 * while the database gate holds requests back, then serves again. Recoveries run one at a time (two concurrent
 * repairs could apply an entry twice); a recovery overtaken by a newer outage stops and leaves the newer one to
 * finish. One that is only a repair (the database never went away) gives up after `tries` failed repairs and serves
 * again: a document the engine keeps refusing must not hold every request back; its awards stay pending.
 */
export function recoverOnItsOwn(logger: Logger): void {
  let generation = 0;
  let queue = Promise.resolve();

  const recover = (why: string, ready: () => Promise<boolean>, tries = Infinity) => {
    const mine = ++generation;
    const started = Date.now();
    queue = queue.then(async () => {
      for (let failed = 0; mine === generation && engineState.snapshot().state === 'running'; failed++) {
        if (failed === tries) {
          engineState.reconciled();
          logger.error(`recovery (${why}): repairs failed ${tries} times; serving again, the rest left pending`);
          return;
        }
        try {
          if (!(await ready())) {
            failed--; // not a failed repair: the database does not answer yet
            await sleep(RETRY_MS);
            continue;
          }
          engineState.reconciling();
          // Requests caught by the outage resume or fail once the database is back; the repairs must not race
          // them (the seat recount against a claim's last step), as at start-up where nothing runs yet.
          if (!(await engineState.drained(DRAIN_MS)))
            logger.warn(`recovery (${why}): requests still under way after ${DRAIN_MS} ms; repairing anyway`);
          await reconcileAll(logger);
          if (mine !== generation) return;
          engineState.reconciled();
          logger.warn({ ms: Date.now() - started }, `database back (${why}): start-up repairs ran; serving again`);
          return;
        } catch (err) {
          logger.warn({ cause: (err as Error).message }, `recovery (${why}): database not usable yet; retrying`);
          await sleep(RETRY_MS);
        }
      }
    });
  };

  /** Writes fit again: the full disk (if any) has room now. Throws while it is still full. */
  const roomToWrite = async () => {
    if (!engineState.snapshot().storageFull) return;
    await probeWrite();
    engineState.setStorageFull(false);
    logger.warn('database disk has room again: writes accepted');
  };
  engineState.on('up', () =>
    recover('engine restarted', async () => (await pingDatabase(RETRY_MS)).ok && (await roomToWrite(), true)),
  );
  // An award's scope write failed at run time (apply.ts): its scopes, boards and feed are repaired now, not at the
  // next restart; the gate holds requests back meanwhile, as after an outage.
  engineState.on('views-behind', () =>
    recover('a scope write failed', async () => (await pingDatabase(RETRY_MS)).ok, REPAIR_TRIES),
  );
  engineState.on('storage-full', () =>
    recover('disk was full', async () => {
      await sleep(STORAGE_PROBE_MS);
      await roomToWrite();
      return true;
    }),
  );
}
