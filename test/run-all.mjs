#!/usr/bin/env node
// `npm test`: type-check, build both mini-program targets, then every jest project (shared, server, miniprogram,
// e2e) against the embedded database, ending with one `tests: N passed, N failed` line.
// SKIP_BUILD=1 reuses existing builds (the e2e test still needs miniprogram/dist/h5).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = path.join(root, 'test', 'artifacts');
mkdirSync(artifacts, { recursive: true });

function step(title, command, args) {
  const started = Date.now();
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  console.log(`  ${title}: ${result.status === 0 ? 'ok' : `FAILED (exit ${result.status})`} in ${Math.round((Date.now() - started) / 1000)} s`);
  return result.status ?? 1;
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let failed = 0;
failed += step('type-check shared, config, server, miniprogram', npm, ['run', 'typecheck']) ? 1 : 0;
if (!process.env.SKIP_BUILD) {
  failed += step('build mini-program (weapp)', npm, ['run', 'build:weapp']) ? 1 : 0;
  failed += step('build mini-program (h5)', npm, ['run', 'build:h5']) ? 1 : 0;
}
const report = path.join(artifacts, 'jest-results.json');
const jestStatus = step('jest: shared, server, miniprogram, e2e', npx, ['jest', '--ci', '--json', `--outputFile=${report}`, ...process.argv.slice(2)]);

let summary = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, numTotalTests: 0 };
try {
  summary = JSON.parse(readFileSync(report, 'utf8'));
} catch {
  console.error('no jest report was written');
}
if (failed > 0) console.error(`\n${failed} build or type-check step(s) failed`);
console.log(`\ntests: ${summary.numPassedTests} passed, ${summary.numFailedTests + failed} failed, ${summary.numPendingTests} skipped`);
process.exit(failed > 0 || jestStatus !== 0 || summary.numTotalTests === 0 ? 1 : 0);
