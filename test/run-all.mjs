#!/usr/bin/env node
// `npm test`: checks what the run needs (test/preflight.mjs: a browser, a database engine) and fetches what it may,
// then type-checks, builds both mini-program targets, builds the embedded engine, and runs every jest project
// (shared, server, miniprogram, e2e), ending with one `tests: N passed, N failed` line.
// Arguments go to jest (`npm test -- server/test/config.test.ts`); the checks then cover only what those files need.
// SKIP_BUILD=1 reuses existing builds (the e2e test still needs miniprogram/dist/h5).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { needsFor, observe } from './preflight.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = path.join(root, 'test', 'artifacts');
mkdirSync(artifacts, { recursive: true });
const jestArgs = process.argv.slice(2);
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const env = { ...process.env };
// Node refuses to spawn Windows .cmd shims (npm.cmd, npx.cmd) without a shell.
const shellFor = (command) => command.endsWith('.cmd');

function step(title, command, args, extraEnv = {}) {
  const started = Date.now();
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...env, ...extraEnv },
    shell: shellFor(command),
  });
  console.log(
    `  ${title}: ${result.status === 0 ? 'ok' : `FAILED (exit ${result.status})`} in ${Math.round((Date.now() - started) / 1000)} s`,
  );
  return result.status ?? 1;
}

function stop(message) {
  console.error(`\n✖ npm test cannot run: ${message}`);
  process.exit(1);
}

/** The test files jest would run with these arguments; null for the whole suite (or when jest cannot tell). */
function selectedTestFiles() {
  if (jestArgs.length === 0) return null;
  const listed = spawnSync(npx, ['jest', '--listTests', '--json', ...jestArgs], {
    cwd: root,
    encoding: 'utf8',
    env,
    shell: shellFor(npx),
  });
  try {
    return JSON.parse(listed.stdout);
  } catch {
    return null;
  }
}

/** Browser and database engine: decided up front, installed when this machine allows it, or a stop with the command. */
function preflight() {
  const needs = needsFor(selectedTestFiles(), root);
  const checks = observe(root, env);
  const plan = { engineBuild: false };
  if (needs.browser) {
    let browser = checks.browser();
    if (browser.action === 'install') {
      console.log(`preflight: installing ${browser.packages.join(' ')} with apt-get (running as root)`);
      const apt = { DEBIAN_FRONTEND: 'noninteractive' };
      if (
        step('apt-get update', 'apt-get', ['update', '-qq'], apt) ||
        step(
          `apt-get install ${browser.packages.join(' ')}`,
          'apt-get',
          ['install', '-y', '-qq', ...browser.packages],
          apt,
        )
      ) {
        stop(`apt-get could not install ${browser.packages.join(' ')}; run: ${browser.command}`);
      }
      browser = observe(root, env).browser();
      if (browser.action === 'install')
        browser = { action: 'stop', message: `still no browser after installing: run ${browser.command}` };
    }
    if (browser.action === 'stop') stop(browser.message);
    if (browser.warning) console.warn(`preflight: ${browser.warning}`);
    console.log(`preflight: browser ${browser.browser}`);
    env.CHROMIUM_PATH = browser.browser;
  }
  if (needs.engine) {
    const engine = checks.engine();
    if (engine.action === 'stop') stop(engine.message);
    if (engine.warning) console.warn(`preflight: ${engine.warning}`);
    console.log(
      `preflight: database ${engine.action === 'none' ? engine.engine : 'embedded FerretDB (built from Go once, cached in .cache/ferretdb)'}`,
    );
    plan.engineBuild = engine.action === 'build';
  }
  return plan;
}

const plan = preflight();
let failed = 0;
failed += step("preflight's decisions (node --test)", process.execPath, [
  '--test',
  '--test-reporter=dot',
  'test/preflight.test.mjs',
])
  ? 1
  : 0;
// Before the other steps: a first build takes minutes, and a failure here should show before the long part.
if (
  plan.engineBuild &&
  step('build the embedded database (FerretDB; instant once cached)', npm, ['run', 'engine:build'])
) {
  stop('the embedded FerretDB did not build (see above)');
}
failed += step('type-check shared, config, server, miniprogram', npm, ['run', 'typecheck']) ? 1 : 0;
failed += step('lint (ESLint) and format (Prettier, 120 columns)', npm, ['run', 'lint']) ? 1 : 0;
if (!process.env.SKIP_BUILD) {
  failed += step('build mini-program (weapp)', npm, ['run', 'build:weapp']) ? 1 : 0;
  // Also the test that the build pins its own mode: NODE_ENV=development in a developer's shell made
  // babel-preset-taro ask for react-refresh/babel and fail `npm start` (the build scripts now set production).
  failed += step('build mini-program (h5), with NODE_ENV=development in the environment', npm, ['run', 'build:h5'], {
    NODE_ENV: 'development',
  })
    ? 1
    : 0;
}
const report = path.join(artifacts, 'jest-results.json');
const jestStatus = step('jest: shared, server, miniprogram, e2e', npx, [
  'jest',
  '--ci',
  '--json',
  `--outputFile=${report}`,
  ...jestArgs,
]);

// Issue 17: engine commands per action held to test/bench/thresholds.json (1k members, a few requests each; ~30 s),
// so the count cannot silently regress. The whole suite only: a run of chosen test files skips it.
if (jestArgs.length === 0)
  failed += step('bench --check: engine commands per action', npm, ['run', 'bench', '--', '--check']) ? 1 : 0;

let summary = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, numTotalTests: 0 };
try {
  summary = JSON.parse(readFileSync(report, 'utf8'));
} catch {
  console.error('no jest report was written');
}
if (failed > 0) console.error(`\n${failed} build or type-check step(s) failed`);
console.log(
  `\ntests: ${summary.numPassedTests} passed, ${summary.numFailedTests + failed} failed, ${summary.numPendingTests} skipped`,
);
process.exit(failed > 0 || jestStatus !== 0 || summary.numTotalTests === 0 ? 1 : 0);
