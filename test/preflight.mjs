// What `npm test` needs besides node_modules, checked before any slow step so a missing piece stops the run at
// once with the one command to run (instead of failing minutes later inside jest):
// - a Chromium or Chrome for the end-to-end project, plus CJK fonts so screenshots show Chinese;
// - a database engine for the server and e2e projects: MONGODB_URI, a mongod, or Go to build the embedded FerretDB.
// The decisions are pure functions of what was observed (preflight.test.mjs covers them); observe() does the looking.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Looked up on PATH in this order after CHROMIUM_PATH (test/e2e/support.ts launches CHROMIUM_PATH). */
export const BROWSER_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
const MAC_CHROME = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
export const BROWSER_PACKAGES = ['chromium', 'fonts-noto-cjk'];
export const GO_DOWNLOAD = 'https://go.dev/dl/';

/** The first `name` found in the PATH directories, or null. */
export function onPath(name, env, isExecutable, platform = process.platform) {
  const delimiter = platform === 'win32' ? ';' : ':';
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

/**
 * What to do about the browser. `facts`: env, platform, uid (null off POSIX), isExecutable(path), cjkFonts
 * (true / false / null when it cannot be told). Returns { action: 'use', browser, warning? },
 * { action: 'install', command, packages } or { action: 'stop', message }.
 */
export function decideBrowser({ env, platform, uid, isExecutable, cjkFonts }) {
  const fontHint = 'screenshots will show boxes instead of Chinese';
  const aptGet = platform === 'linux' ? onPath('apt-get', env, isExecutable, platform) : null;
  const mayInstall = Boolean(aptGet) && uid === 0;
  if (env.CHROMIUM_PATH) {
    // Named explicitly: never replaced by another browser behind the caller's back.
    if (!isExecutable(env.CHROMIUM_PATH))
      return {
        action: 'stop',
        message: `CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file: fix it or unset it`,
      };
    return {
      action: 'use',
      browser: env.CHROMIUM_PATH,
      ...(cjkFonts === false ? { warning: `no CJK font: ${fontHint}` } : {}),
    };
  }
  const found =
    BROWSER_NAMES.map((name) => onPath(name, env, isExecutable, platform)).find(Boolean) ??
    (platform === 'darwin' && isExecutable(MAC_CHROME) ? MAC_CHROME : null);
  if (found) {
    if (cjkFonts !== false) return { action: 'use', browser: found };
    if (mayInstall)
      return { action: 'install', packages: ['fonts-noto-cjk'], command: aptCommand(['fonts-noto-cjk'], false) };
    return {
      action: 'use',
      browser: found,
      warning: `no CJK font (${fontHint}): ${aptGet ? aptCommand(['fonts-noto-cjk'], true) : 'install Noto Sans CJK'}`,
    };
  }
  if (mayInstall)
    return { action: 'install', packages: BROWSER_PACKAGES, command: aptCommand(BROWSER_PACKAGES, false) };
  const install = aptGet ? aptCommand(BROWSER_PACKAGES, true) : 'install Chromium or Google Chrome';
  return {
    action: 'stop',
    message: `the end-to-end tests need Chromium and none was found (CHROMIUM_PATH, ${BROWSER_NAMES.join(', ')} on PATH). Run: ${install} (or set CHROMIUM_PATH=/path/to/chrome)`,
  };
}

function aptCommand(packages, sudo) {
  return `${sudo ? 'sudo ' : ''}apt-get update && ${sudo ? 'sudo ' : ''}apt-get install -y ${packages.join(' ')}`;
}

/** "go version go1.26.8 linux/amd64" -> [1, 26]; null when unreadable. */
export function goVersion(text) {
  const match = /go(\d+)\.(\d+)/.exec(text ?? '');
  return match ? [Number(match[1]), Number(match[2])] : null;
}

/**
 * Which database the server and e2e tests will get (same order as server/src/db/engine.ts). `facts`: env,
 * mongod (path or null), go ("go version" output or null), requiredGo ([major, minor] from go.mod).
 * Returns { action: 'none', engine } (nothing to build), { action: 'build', warning? } or { action: 'stop', message }.
 */
export function decideEngine({ env, mongod, go, requiredGo }) {
  if (env.MONGODB_URI) return { action: 'none', engine: 'MONGODB_URI' };
  if (mongod) return { action: 'none', engine: `mongod at ${mongod}` };
  const have = goVersion(go);
  if (!have) {
    return {
      action: 'stop',
      message: `the tests need a database: install Go ${requiredGo.join('.')}+ (${GO_DOWNLOAD}) so npm test builds the embedded FerretDB, or set MONGODB_URI, or put mongod on PATH`,
    };
  }
  const older = have[0] < requiredGo[0] || (have[0] === requiredGo[0] && have[1] < requiredGo[1]);
  if (!older) return { action: 'build' };
  // Go 1.21+ fetches the toolchain go.mod asks for by itself (GOTOOLCHAIN=auto); older ones cannot.
  if (have[0] === 1 && have[1] < 21) {
    return {
      action: 'stop',
      message: `Go ${have.join('.')} is too old to build the embedded FerretDB: install Go ${requiredGo.join('.')}+ (${GO_DOWNLOAD})`,
    };
  }
  return {
    action: 'build',
    warning: `Go ${have.join('.')} is older than go.mod's ${requiredGo.join('.')}: Go will download that toolchain first`,
  };
}

/** Which checks the jest run needs, from `jest --listTests` output (null: the whole suite). */
export function needsFor(testFiles, root) {
  if (testFiles === null) return { browser: true, engine: true };
  const rel = testFiles.map((f) => path.relative(root, f).split(path.sep).join('/'));
  const e2e = rel.some((f) => f.startsWith('test/e2e/'));
  return { browser: e2e, engine: e2e || rel.some((f) => f.startsWith('server/test/')) };
}

// ---- observing this machine (not pure) ----

function isExecutable(file) {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function output(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return result.status === 0 ? result.stdout : null;
}

/** true / false from fontconfig; null where there is no fc-list (not Linux, or no fontconfig yet). */
function hasCjkFonts() {
  const fonts = output('fc-list', [':lang=zh', 'family']);
  return fonts === null ? null : fonts.trim().length > 0;
}

export function observe(root, env = process.env) {
  const goMod = readFileSync(path.join(root, 'server', 'engine', 'ferretdb', 'go.mod'), 'utf8');
  const required = /^go (\d+)\.(\d+)/m.exec(goMod);
  return {
    browser: () =>
      decideBrowser({
        env,
        platform: process.platform,
        uid: process.getuid?.() ?? null,
        isExecutable,
        cjkFonts: process.platform === 'linux' ? hasCjkFonts() : null,
      }),
    engine: () =>
      decideEngine({
        env,
        mongod:
          env.MONGOMS_SYSTEM_BINARY ||
          onPath(process.platform === 'win32' ? 'mongod.exe' : 'mongod', env, isExecutable),
        go: output('go', ['version']),
        requiredGo: required ? [Number(required[1]), Number(required[2])] : [1, 24],
      }),
  };
}
