/** One jest run for the whole repo; `npm test` (test/run-all.mjs) drives it. */
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }];

/**
 * Database-backed scale, sweep and crash tests say `@slow` in their opening comment. `npm test` and a plain `jest`
 * run them; `npm run test:unit` sets PIONEER_SKIP_SLOW_TESTS=1 and leaves them out.
 */
const serverTestDir = `${__dirname}/server/test`;
const isSlow = (file) => /^\/\*\*(?:(?!\*\/)[\s\S])*@slow/.test(readFileSync(`${serverTestDir}/${file}`, 'utf8'));
const slowServerTests =
  process.env.PIONEER_SKIP_SLOW_TESTS === '1'
    ? readdirSync(serverTestDir).filter((f) => f.endsWith('.test.ts') && isSlow(f))
    : [];

// Scratch copies of the repo under .data/ or .cache/ must never be taken for a second @pioneer/shared.
const ignoreScratch = ['<rootDir>/.data/', '<rootDir>/.cache/'];

module.exports = {
  testTimeout: 60000,
  projects: [
    {
      displayName: 'shared',
      rootDir: __dirname,
      modulePathIgnorePatterns: ignoreScratch,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/shared/src/**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
    },
    {
      displayName: 'server',
      rootDir: __dirname,
      modulePathIgnorePatterns: ignoreScratch,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/server/test/**/*.test.ts'],
      testPathIgnorePatterns: [
        '/node_modules/',
        ...slowServerTests.map((f) => `/server/test/${f.replace(/\./g, '\\.')}$`),
      ],
      transform: { '^.+\\.ts$': tsJest },
      globalSetup: '<rootDir>/server/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/server/test/support/global-teardown.ts',
    },
    ...(existsSync(`${__dirname}/miniprogram/jest.config.js`) ? ['<rootDir>/miniprogram/jest.config.js'] : []),
    {
      displayName: 'e2e',
      rootDir: __dirname,
      modulePathIgnorePatterns: ignoreScratch,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
      globalSetup: '<rootDir>/server/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/server/test/support/global-teardown.ts',
    },
  ],
};
