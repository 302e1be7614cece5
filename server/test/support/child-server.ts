import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readiness } from '@pioneer/shared';

const root = path.resolve(__dirname, '..', '..', '..');

export interface ChildServer {
  child: ChildProcess;
  base: string;
  /** The connection string of the embedded engine the server started (and supervises). */
  engineUri: string;
  /** Every log line the server wrote (pino JSON), in order. */
  logs: Array<{ level: number; msg: string; time: number }>;
  /** Resolves once `count` log lines match (they arrive through a pipe, a moment after what they report). */
  waitForLog(pattern: RegExp, count: number, withinMs: number): Promise<void>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * The real `server/src/main.ts` in its own process, on its own embedded engine over `dataDir` (no MONGODB_URI),
 * so a test can kill that engine. Resolves once the server listens.
 */
export async function startChildServer(dataDir: string): Promise<ChildServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    H5_DIR: '/nonexistent',
    LOG_LEVEL: 'info',
    SEED_DEMO: 'false',
  };
  delete env.MONGODB_URI;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const logs: ChildServer['logs'] = [];
  let engineUri = '';
  const listening = new Promise<void>((resolve, reject) => {
    // unref'd: a start that failed another way must not leave this deadline holding jest open for 120 s.
    const timer = setTimeout(() => reject(new Error('server did not start within 120 s')), 120_000).unref();
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: { level: number; msg: string; time: number };
      try {
        entry = JSON.parse(line);
      } catch {
        return;
      }
      if (entry.msg === 'request') return;
      logs.push(entry);
      engineUri ||= /FerretDB \(embedded, SQLite\) at (mongodb:\/\/\S+)/.exec(entry.msg)?.[1] ?? '';
      if (entry.msg.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  try {
    await listening;
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  child.removeAllListeners('exit');
  if (!engineUri) throw new Error('the server did not start an embedded engine (is MONGODB_URI or mongod in use?)');
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    engineUri,
    logs,
    waitForLog: async (pattern, count, withinMs) => {
      const deadline = Date.now() + withinMs;
      while (logs.filter((l) => pattern.test(l.msg)).length < count) {
        if (Date.now() > deadline)
          throw new Error(`fewer than ${count} log lines match ${pattern} after ${withinMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

export interface ReadyReply {
  status: number;
  body: Readiness;
}

export async function readiness(base: string): Promise<ReadyReply> {
  const res = await fetch(`${base}/readyz`);
  return { status: res.status, body: (await res.json()) as Readiness };
}

/** Polls /readyz until `want(r)`; returns the ms it took, or throws after `withinMs`. */
export async function waitForReadiness(
  base: string,
  want: (r: ReadyReply) => boolean,
  withinMs: number,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    const r = await readiness(base).catch(() => null);
    if (r && want(r)) return Date.now() - started;
    if (Date.now() - started > withinMs)
      throw new Error(`/readyz did not change within ${withinMs} ms (last: ${JSON.stringify(r)})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
