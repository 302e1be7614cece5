import type { ChildProcess } from 'node:child_process';
import { engineState } from './engine-state';

export type EngineLog = (msg: string, level?: 'info' | 'warn' | 'error') => void;

export interface SupervisorOptions {
  /** The engine process already started (its READY line read). */
  first: ChildProcess;
  /** Starts it again over the same data directory and on the same address, resolving once it is ready. */
  relaunch(): Promise<ChildProcess>;
  log: EngineLog;
  /** More exits than this within RESTART_WINDOW_MS: give up (engineState 'failed'; main.ts exits non-zero). */
  maxRestartsPerMinute?: number;
}

export interface Supervised {
  pid(): number | null;
  stop(): Promise<void>;
}

const RESTART_WINDOW_MS = 60_000;
/** Waits before the n-th restart within the window: 0.5 s, 1 s, 2 s, 4 s, 8 s (a crash loop must not spin). */
export const restartDelayMs = (recentRestarts: number) => Math.min(500 * 2 ** recentRestarts, 8_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function terminate(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  });
}

/**
 * Keeps the embedded engine running: an exit nobody asked for (killed, out of memory, a crash in the engine) is
 * logged, the engine is started again on the same data directory and port (so the driver's connection string
 * stays valid and it reconnects by itself), and engineState tells /readyz, the database gate and the recovery
 * (main.ts) what is happening. A crash loop gives up loudly instead of restarting forever.
 */
export function superviseEngine({ first, relaunch, log, maxRestartsPerMinute = 5 }: SupervisorOptions): Supervised {
  let child = first;
  let stopping = false;
  const restarts: number[] = [];

  const watch = (c: ChildProcess) => {
    c.once('exit', (code, signal) => {
      if (stopping || c !== child) return;
      log(
        `embedded engine (pid ${c.pid}) exited unexpectedly (${signal ?? `exit code ${code}`}); requests get 503 DB_UNAVAILABLE until it is back`,
        'error',
      );
      engineState.down();
      void restart();
    });
  };

  const restart = async () => {
    const outageStarted = Date.now();
    while (!stopping) {
      const now = Date.now();
      const recent = restarts.filter((t) => now - t < RESTART_WINDOW_MS).length;
      if (recent >= maxRestartsPerMinute) {
        log(
          `embedded engine: giving up after ${recent} restarts within a minute; the service cannot serve without its database`,
          'error',
        );
        engineState.failed();
        return;
      }
      restarts.push(now);
      await sleep(restartDelayMs(recent));
      if (stopping) return;
      try {
        const next = await relaunch();
        if (stopping) return void (await terminate(next));
        child = next;
        watch(next);
        log(
          `embedded engine restarted (pid ${next.pid}, restart ${restarts.length}) ${Date.now() - outageStarted} ms after it exited; reconnecting`,
          'warn',
        );
        engineState.restarted(next.pid ?? 0);
        return;
      } catch (err) {
        log(`embedded engine: restart failed: ${(err as Error).message}`, 'error');
      }
    }
  };

  watch(first);
  engineState.started(first.pid ?? null);
  return {
    pid: () => child.pid ?? null,
    stop: async () => {
      stopping = true;
      await terminate(child);
    },
  };
}
