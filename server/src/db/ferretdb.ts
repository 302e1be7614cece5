import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** The small Go main module that embeds FerretDB 1.24 with its SQLite backend (architecture.md "Database"). */
export const FERRETDB_SOURCE_DIR = path.resolve(__dirname, '..', '..', 'engine', 'ferretdb');
const CACHE_DIR = path.resolve(__dirname, '..', '..', '..', '.cache', 'ferretdb');

/** The binary is cached under a name derived from the wrapper's sources, so editing go.mod rebuilds it. */
export function ferretdbBinaryPath(): string {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'main.go']) hash.update(readFileSync(path.join(FERRETDB_SOURCE_DIR, file)));
  return path.join(CACHE_DIR, hash.digest('hex').slice(0, 12), 'ferretdb-embed');
}

export function goAvailable(): boolean {
  return spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
}

/** Builds the wrapper once; later calls return the cached binary at once. */
export function buildFerretdb(log: (msg: string) => void = () => {}): string {
  const binary = ferretdbBinaryPath();
  if (existsSync(binary)) return binary;
  mkdirSync(path.dirname(binary), { recursive: true });
  log(`building FerretDB (Go) into ${path.relative(process.cwd(), binary)}; the first build takes a few minutes`);
  const started = Date.now();
  const partial = `${binary}.partial-${process.pid}`;
  const result = spawnSync('go', ['build', '-trimpath', '-o', partial, '.'], {
    cwd: FERRETDB_SOURCE_DIR,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, CGO_ENABLED: '0' },
  });
  if (result.status !== 0) throw new Error(`go build of FerretDB failed (exit ${result.status}); see the output above`);
  renameSync(partial, binary);
  log(`FerretDB built in ${Math.round((Date.now() - started) / 1000)} s`);
  return binary;
}

export interface RunningFerretdb {
  uri: string;
  stop(): Promise<void>;
}

/** Starts the embedded engine on a free loopback port over the SQLite files in `dataDir`. */
export async function startFerretdb(dataDir: string, log: (msg: string) => void = () => {}): Promise<RunningFerretdb> {
  const binary = buildFerretdb(log);
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(binary, ['--listen', '127.0.0.1:0', '--dir', dataDir, '--parent-pid', String(process.pid)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('FerretDB did not start within 30 s')), 30_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`FerretDB exited during start (code ${code})`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^READY (\S+)$/.exec(line.trim());
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
  child.removeAllListeners('exit');
  return {
    uri: `mongodb://${address}/`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}
