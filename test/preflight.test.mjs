// The decisions npm test makes before it starts (test/preflight.mjs), from made-up machines.
// Run by test/run-all.mjs (`node --test test/preflight.test.mjs`): plain ESM, outside jest.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { decideBrowser, decideEngine, goVersion, needsFor, onPath } from './preflight.mjs';

/** A machine whose only executables are `files`. */
const machine = (files, overrides = {}) => ({
  env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
  platform: 'linux',
  uid: 1000,
  isExecutable: (f) => files.includes(f),
  cjkFonts: true,
  ...overrides,
});

test('CHROMIUM_PATH wins over browsers on PATH', () => {
  const facts = machine(['/opt/chrome/chrome', '/usr/bin/chromium'], {
    env: { PATH: '/usr/bin', CHROMIUM_PATH: '/opt/chrome/chrome' },
  });
  assert.deepEqual(decideBrowser(facts), { action: 'use', browser: '/opt/chrome/chrome' });
});

test('a CHROMIUM_PATH that is not there stops the run, even with chromium on PATH', () => {
  const facts = machine(['/usr/bin/chromium', '/usr/bin/apt-get'], {
    uid: 0,
    env: { PATH: '/usr/bin', CHROMIUM_PATH: '/nope/chrome' },
  });
  const decision = decideBrowser(facts);
  assert.equal(decision.action, 'stop');
  assert.match(decision.message, /CHROMIUM_PATH=\/nope\/chrome/);
});

test("Debian's chromium, then chromium-browser, then google-chrome, in PATH order", () => {
  assert.equal(decideBrowser(machine(['/usr/bin/chromium', '/usr/bin/google-chrome'])).browser, '/usr/bin/chromium');
  assert.equal(
    decideBrowser(machine(['/usr/local/bin/chromium-browser', '/usr/bin/google-chrome'])).browser,
    '/usr/local/bin/chromium-browser',
  );
  assert.equal(decideBrowser(machine(['/usr/bin/google-chrome'])).browser, '/usr/bin/google-chrome');
  assert.equal(decideBrowser(machine(['/usr/bin/google-chrome-stable'])).browser, '/usr/bin/google-chrome-stable');
});

test('no browser, root with apt-get: install chromium and the CJK fonts', () => {
  const decision = decideBrowser(machine(['/usr/bin/apt-get'], { uid: 0, cjkFonts: false }));
  assert.deepEqual(decision.packages, ['chromium', 'fonts-noto-cjk']);
  assert.equal(decision.action, 'install');
  assert.equal(decision.command, 'apt-get update && apt-get install -y chromium fonts-noto-cjk');
});

test('no browser, apt-get but not root: stop at once with the sudo command', () => {
  const decision = decideBrowser(machine(['/usr/bin/apt-get'], { uid: 1000 }));
  assert.equal(decision.action, 'stop');
  assert.match(decision.message, /Run: sudo apt-get update && sudo apt-get install -y chromium fonts-noto-cjk/);
});

test('no browser and no apt-get (root or not): stop, naming Chromium/Chrome and CHROMIUM_PATH', () => {
  for (const uid of [0, 1000]) {
    const decision = decideBrowser(machine([], { uid }));
    assert.equal(decision.action, 'stop');
    assert.match(decision.message, /install Chromium or Google Chrome.*CHROMIUM_PATH/);
  }
});

test('apt-get off Linux is not used', () => {
  assert.equal(decideBrowser(machine(['/usr/bin/apt-get'], { uid: 0, platform: 'darwin' })).action, 'stop');
});

test('a browser without CJK fonts: root installs the fonts, others get a warning and go on', () => {
  const files = ['/usr/bin/chromium', '/usr/bin/apt-get'];
  assert.deepEqual(decideBrowser(machine(files, { uid: 0, cjkFonts: false })).packages, ['fonts-noto-cjk']);
  const user = decideBrowser(machine(files, { cjkFonts: false }));
  assert.equal(user.action, 'use');
  assert.match(user.warning, /sudo apt-get install -y fonts-noto-cjk/);
  assert.equal(decideBrowser(machine(files, { cjkFonts: null })).warning, undefined);
});

test('onPath skips empty PATH entries and honours the platform delimiter', () => {
  const isExecutable = (f) => f === path.join('C:\\go\\bin', 'go');
  assert.equal(onPath('go', { PATH: ';C:\\go\\bin' }, isExecutable, 'win32'), path.join('C:\\go\\bin', 'go'));
  assert.equal(
    onPath('go', { PATH: '' }, () => true),
    null,
  );
});

test('engine: MONGODB_URI or a mongod needs nothing built', () => {
  assert.equal(
    decideEngine({ env: { MONGODB_URI: 'mongodb://db/' }, mongod: null, go: null, requiredGo: [1, 24] }).action,
    'none',
  );
  assert.deepEqual(decideEngine({ env: {}, mongod: '/usr/bin/mongod', go: null, requiredGo: [1, 24] }), {
    action: 'none',
    engine: 'mongod at /usr/bin/mongod',
  });
});

test('engine: Go new enough builds FerretDB; none stops with where to get it', () => {
  assert.deepEqual(
    decideEngine({ env: {}, mongod: null, go: 'go version go1.26.8 linux/amd64', requiredGo: [1, 24] }),
    { action: 'build' },
  );
  const none = decideEngine({ env: {}, mongod: null, go: null, requiredGo: [1, 24] });
  assert.equal(none.action, 'stop');
  assert.match(none.message, /install Go 1\.24\+ \(https:\/\/go\.dev\/dl\/\).*MONGODB_URI.*mongod/);
});

test('engine: Go 1.21-1.23 builds after fetching the toolchain; older Go stops', () => {
  const fetches = decideEngine({ env: {}, mongod: null, go: 'go version go1.22.2 linux/amd64', requiredGo: [1, 24] });
  assert.equal(fetches.action, 'build');
  assert.match(fetches.warning, /older than go\.mod's 1\.24/);
  assert.equal(
    decideEngine({ env: {}, mongod: null, go: 'go version go1.19.8 linux/amd64', requiredGo: [1, 24] }).action,
    'stop',
  );
  assert.deepEqual(goVersion('go version go1.9 x'), [1, 9]);
});

test('checks follow the files jest will run', () => {
  const root = '/repo';
  assert.deepEqual(needsFor(null, root), { browser: true, engine: true });
  assert.deepEqual(needsFor(['/repo/shared/src/a.test.ts', '/repo/miniprogram/test/b.test.tsx'], root), {
    browser: false,
    engine: false,
  });
  assert.deepEqual(needsFor(['/repo/server/test/config.test.ts'], root), { browser: false, engine: true });
  assert.deepEqual(needsFor(['/repo/test/e2e/journey.test.ts'], root), { browser: true, engine: true });
});
