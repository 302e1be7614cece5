import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { engineEnvironment } from '../../../config/engine';
import { superviseEngine, type EngineLog } from './supervisor';

/** The small Go main module that embeds FerretDB 1.24 with its SQLite backend (architecture.md "Database"). */
export const FERRETDB_SOURCE_DIR = path.resolve(__dirname, '..', '..', 'engine', 'ferretdb');
const CACHE_DIR = path.resolve(__dirname, '..', '..', '..', '.cache', 'ferretdb');

const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';

/**
 * Fixes applied to FerretDB's source at build time (the module itself is not vendored into this repo), kept next to
 * the wrapper in server/engine/ferretdb/patches.json, each an exact replacement that must match once (README "The
 * database"): `_id` lookups use the `_id` index (FerretDB 1.24 indexes `_ferretdb_sjson->"_id"` but queried
 * `->'$._id'`: 123 ms per findOne at 100k documents, 0.9 ms with the fix); a bulk update closes each statement's query
 * (it held one pooled connection per statement and hung at 100); and the rest only cut CPU per command: no resource
 * tracking (a stack capture, a profile entry and a finalizer per cursor), numbers, dates and plain strings parsed
 * directly instead of by a json.Decoder each, objects split in one pass instead of a reflective decode per level,
 * each stored document's schema decoded once and cached by its JSON
 * (server/test/engine-numbers.test.ts holds the values). The cache hash below covers them, so any change rebuilds.
 */
const PATCHES = JSON.parse(readFileSync(path.join(FERRETDB_SOURCE_DIR, 'patches.json'), 'utf8')) as Array<{
  file: string;
  from: string;
  to: string;
}>;

const WRAPPER_FILES = ['go.mod', 'go.sum', 'main.go', 'proxy.go', 'log.go', 'checkpoint.go'];

/** The binary is cached under a name derived from the wrapper's sources and patches, so any change rebuilds it. */
export function ferretdbBinaryPath(): string {
  const hash = createHash('sha256');
  for (const file of WRAPPER_FILES) hash.update(readFileSync(path.join(FERRETDB_SOURCE_DIR, file)));
  hash.update(JSON.stringify(PATCHES));
  return path.join(CACHE_DIR, hash.digest('hex').slice(0, 12), 'ferretdb-embed');
}

export function goAvailable(): boolean {
  return spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
}

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: engineEnvironment().goBuildEnv,
  });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}) in ${cwd}`);
  return result.stdout;
}

/**
 * Runs `go build -v` through go-build-progress.mjs, which prints how many packages are compiled every 10 s
 * (waited for synchronously like run()).
 */
function buildWithProgress(total: number, args: string[], cwd: string): void {
  const script = path.join(__dirname, 'go-build-progress.mjs');
  const result = spawnSync(process.execPath, [script, String(total), 'go', 'build', '-v', ...args], {
    cwd,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: engineEnvironment().goBuildEnv,
  });
  if (result.status !== 0) throw new Error(`go build ${args.join(' ')} failed (exit ${result.status}) in ${cwd}`);
}

/** Copies the FerretDB module out of Go's module cache and applies PATCHES; fails loudly if one does not apply. */
function patchedModule(workDir: string, log: (msg: string) => void): string {
  const goMod = readFileSync(path.join(FERRETDB_SOURCE_DIR, 'go.mod'), 'utf8');
  const version = new RegExp(`${FERRETDB_MODULE} (v[\\w.-]+)`).exec(goMod)?.[1];
  if (!version) throw new Error(`go.mod does not require ${FERRETDB_MODULE}`);
  log(`FerretDB build 1/4: downloading the module ${FERRETDB_MODULE}@${version} (go mod download)`);
  const info = JSON.parse(
    run('go', ['mod', 'download', '-json', `${FERRETDB_MODULE}@${version}`], FERRETDB_SOURCE_DIR),
  ) as { Dir: string };
  const target = path.join(workDir, 'ferretdb');
  log(`FerretDB build 2/4: copying it and applying ${PATCHES.length} patch(es)`);
  cpSync(info.Dir, target, { recursive: true });
  for (const patch of PATCHES) {
    const file = path.join(target, patch.file);
    const source = readFileSync(file, 'utf8');
    if (source.split(patch.from).length !== 2) throw new Error(`FerretDB patch no longer applies to ${patch.file}`);
    rmSync(file, { force: true });
    writeFileSync(file, source.replace(patch.from, patch.to));
  }
  return target;
}

/** Builds the wrapper once; later calls return the cached binary at once. */
export function buildFerretdb(log: (msg: string) => void = () => {}): string {
  const binary = ferretdbBinaryPath();
  if (existsSync(binary)) return binary;
  const workDir = path.join(path.dirname(binary), `work-${process.pid}`);
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(path.join(workDir, 'build'), { recursive: true });
  log(`building FerretDB (Go) into ${path.relative(process.cwd(), binary)}, once: ~2 minutes on 2 cores, in 4 steps`);
  const started = Date.now();
  try {
    const module = patchedModule(workDir, log);
    const buildDir = path.join(workDir, 'build');
    for (const file of WRAPPER_FILES) cpSync(path.join(FERRETDB_SOURCE_DIR, file), path.join(buildDir, file));
    appendFileSync(path.join(buildDir, 'go.mod'), `\nreplace ${FERRETDB_MODULE} => ${module}\n`);
    log('FerretDB build 3/4: fetching its dependencies (go list -deps)');
    const packages = run('go', ['list', '-deps', '.'], buildDir).split('\n').filter(Boolean).length;
    log(`FerretDB build 4/4: compiling up to ${packages} packages (go build; progress every 10 s)`);
    buildWithProgress(packages, ['-trimpath', '-o', `${binary}.partial`, '.'], buildDir);
    renameSync(`${binary}.partial`, binary);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  log(`FerretDB built in ${Math.round((Date.now() - started) / 1000)} s`);
  return binary;
}

export interface RunningFerretdb {
  uri: string;
  /** The engine process's id right now (it changes when the supervisor restarts it). */
  pid(): number | null;
  stop(): Promise<void>;
}

/** Starts one engine process on `listen` and resolves once it prints its READY line. */
export async function launchFerretdb(
  binary: string,
  dataDir: string,
  listen: string,
): Promise<{ address: string; child: ChildProcess }> {
  // PIONEER_EMBEDDED_SYNC=full: fsync on every commit (config/engine.ts).
  const synchronous = engineEnvironment().embeddedSync;
  const child = spawn(
    binary,
    ['--listen', listen, '--dir', dataDir, '--parent-pid', String(process.pid), '--synchronous', synchronous],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('FerretDB did not start within 30 s'));
    }, 30_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`FerretDB exited during start (code ${code})`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^READY (\S+)$/.exec(line.trim());
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
  child.removeAllListeners('exit');
  return { address, child };
}

/**
 * Starts the embedded engine on a free loopback port over the SQLite files in `dataDir`, supervised: if it dies,
 * it is started again on the same port (see supervisor.ts), so the connection string returned here stays valid.
 */
export async function startFerretdb(dataDir: string, log: EngineLog = () => {}): Promise<RunningFerretdb> {
  const binary = buildFerretdb(log);
  mkdirSync(dataDir, { recursive: true });
  const { address, child } = await launchFerretdb(binary, dataDir, '127.0.0.1:0');
  const supervised = superviseEngine({
    first: child,
    relaunch: async () => (await launchFerretdb(binary, dataDir, address)).child,
    log,
  });
  return { uri: `mongodb://${address}/`, pid: supervised.pid, stop: supervised.stop };
}
