import { EventEmitter } from 'node:events';

export type EngineStatus = 'running' | 'restarting' | 'failed';

export interface EngineSnapshot {
  state: EngineStatus;
  /** The embedded engine's process id; null for an external MongoDB. */
  pid: number | null;
  /** Restarts since this process started. */
  restarts: number;
  /** The start-up repairs (reconcilers) have run since the engine last came up. */
  reconciled: boolean;
  /** The last write failed for a full disk and no write has succeeded since. */
  storageFull: boolean;
}

/**
 * What this process knows about its database, process-wide (like mongoose's connection): the supervisor
 * (supervisor.ts) reports the embedded engine's exits and restarts, the recovery (jobs/reconcile-all.ts) reports
 * the repairs, the error middleware reports a full disk. /readyz and the database gate read it, so a request
 * while the engine is known to be down is refused at once instead of waiting on the driver.
 * Events: 'down' (the engine exited), 'up' (the engine was restarted), 'failed' (the supervisor gave up),
 * 'storage-full' (a write failed for a full disk).
 */
class EngineState extends EventEmitter {
  private current: EngineSnapshot = { state: 'running', pid: null, restarts: 0, reconciled: true, storageFull: false };

  /** API requests under way (counted by the database gate): a recovery waits for them before it repairs. */
  private inFlight = 0;

  /** Counts a request in; call the returned function when it is done. */
  enter(): () => void {
    this.inFlight++;
    return () => {
      if (--this.inFlight === 0) this.emit('drained');
    };
  }

  /** Resolves true once no request is under way, false if some still are after `timeoutMs`. */
  drained(timeoutMs: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.off('drained', done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.once('drained', done);
    });
  }

  snapshot(): EngineSnapshot {
    return { ...this.current };
  }

  /** Requests may touch the database: the engine is up and its repairs are done. */
  get serving(): boolean {
    return this.current.state === 'running' && this.current.reconciled;
  }

  started(pid: number | null): void {
    this.current = { ...this.current, state: 'running', pid };
  }

  down(): void {
    this.current = { ...this.current, state: 'restarting', reconciled: false };
    this.emit('down');
  }

  restarted(pid: number): void {
    this.current = { ...this.current, state: 'running', pid, restarts: this.current.restarts + 1, reconciled: false };
    this.emit('up');
  }

  failed(): void {
    this.current = { ...this.current, state: 'failed', pid: null, reconciled: false };
    this.emit('failed');
  }

  reconciling(): void {
    this.current = { ...this.current, reconciled: false };
  }

  reconciled(): void {
    this.current = { ...this.current, reconciled: true };
  }

  /** Emits 'storage-full' when a full disk is first seen (recovery then probes until writes succeed again). */
  setStorageFull(full: boolean): void {
    const was = this.current.storageFull;
    this.current = { ...this.current, storageFull: full };
    if (full && !was) this.emit('storage-full');
  }
}

export const engineState = new EngineState();
