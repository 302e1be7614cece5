import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
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
 * each stored document's schema decoded once and cached by its JSON, documents and schemas written into one buffer
 * without a json.Marshal per key and number (same bytes), and (in modernc.org/sqlite, its SQLite driver) each
 * connection's prepared statements kept and reused instead of prepared again per call, and `doc->"_id"` (the `_id`
 * index's expression, computed on the old and the new row of every update) read without parsing the whole document
 * (server/test/engine-numbers.test.ts holds the values, server/engine/ferretdb/*_test.go the rest, run by
 * server/test/engine-go.test.ts). The cache hash below covers them, so any change rebuilds.
 */
const PATCHES = JSON.parse(readFileSync(path.join(FERRETDB_SOURCE_DIR, 'patches.json'), 'utf8')) as Array<{
  /** The Go module patched (FerretDB when absent). */
  module?: string;
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

/**
 * Copies a module's files, linking (not copying) each file and directory no patch touches: modernc.org/sqlite holds
 * 146 MB of generated SQLite for every platform under lib/, and one of its files is patched.
 */
function copyModule(from: string, to: string, patched: string[]): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const inside = patched.filter((file) => file.split('/')[0] === entry.name);
    if (inside.length === 0) symlinkSync(source, path.join(to, entry.name), entry.isDirectory() ? 'dir' : 'file');
    else if (entry.isDirectory())
      copyModule(
        source,
        path.join(to, entry.name),
        inside.map((f) => f.slice(f.indexOf('/') + 1)),
      );
    else cpSync(source, path.join(to, entry.name));
  }
}

/**
 * Copies each patched module (FerretDB, and modernc.org/sqlite: its driver) out of Go's module cache at the version
 * go.mod requires and applies PATCHES; fails loudly if one does not apply. Returns the go.mod `replace` lines.
 */
function patchedModules(workDir: string, log: (msg: string) => void): string[] {
  const goMod = readFileSync(path.join(FERRETDB_SOURCE_DIR, 'go.mod'), 'utf8');
  const modules = [...new Set(PATCHES.map((p) => p.module ?? FERRETDB_MODULE))];
  log(`FerretDB build 1/4: downloading ${modules.join(', ')} (go mod download)`);
  return modules.map((name) => {
    const version = new RegExp(`${name.replace(/\./g, '\\.')} (v[\\w.-]+)`).exec(goMod)?.[1];
    if (!version) throw new Error(`go.mod does not require ${name}`);
    const info = JSON.parse(run('go', ['mod', 'download', '-json', `${name}@${version}`], FERRETDB_SOURCE_DIR)) as {
      Dir: string;
    };
    const target = path.join(workDir, name.replace(/[^\w.-]/g, '_'));
    const patches = PATCHES.filter((p) => (p.module ?? FERRETDB_MODULE) === name);
    log(`FerretDB build 2/4: copying ${name}@${version} and applying ${patches.length} patch(es)`);
    copyModule(
      info.Dir,
      target,
      patches.map((p) => p.file),
    );
    for (const patch of patches) {
      const file = path.join(target, patch.file);
      const source = readFileSync(file, 'utf8');
      if (source.split(patch.from).length !== 2) throw new Error(`patch no longer applies to ${name} ${patch.file}`);
      rmSync(file, { force: true });
      writeFileSync(file, source.replace(patch.from, patch.to));
    }
    return `replace ${name} => ${target}`;
  });
}

/** The wrapper's files in `workDir`/build, its go.mod pointing at the patched modules. Returns that directory. */
function prepareBuildDir(workDir: string, files: string[], log: (msg: string) => void): string {
  const replaces = patchedModules(workDir, log);
  const buildDir = path.join(workDir, 'build');
  for (const file of files) cpSync(path.join(FERRETDB_SOURCE_DIR, file), path.join(buildDir, file));
  appendFileSync(path.join(buildDir, 'go.mod'), `\n${replaces.join('\n')}\n`);
  return buildDir;
}

/**
 * Runs the wrapper's Go tests (server/engine/ferretdb/*_test.go) against the patched modules, as the binary is built
 * (server/test/engine-go.test.ts). Returns `go test`'s output; throws when a test fails.
 */
export function testFerretdbGo(log: (msg: string) => void = () => {}): string {
  const workDir = path.join(CACHE_DIR, `gotest-${process.pid}`);
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(path.join(workDir, 'build'), { recursive: true });
  try {
    const tests = readdirSync(FERRETDB_SOURCE_DIR).filter((f) => f.endsWith('_test.go'));
    const buildDir = prepareBuildDir(workDir, [...WRAPPER_FILES, ...tests], log);
    const result = spawnSync('go', ['test', '-trimpath', '-count=1', '-v', '.'], {
      cwd: buildDir,
      encoding: 'utf8',
      env: engineEnvironment().goBuildEnv,
    });
    const output = `${result.stdout}${result.stderr}`;
    if (result.status !== 0) throw new Error(`go test failed (exit ${result.status}):\n${output}`);
    return output;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
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
    const buildDir = prepareBuildDir(workDir, WRAPPER_FILES, log);
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
