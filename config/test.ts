/**
 * Overrides for NODE_ENV=test: quiet logs, no demo seed (each test builds what it needs), dev login on (the suites
 * sign in as demo identities; auth.test.ts turns it off), and no rate limits: tests and the benchmark fire
 * hundreds of writes from one member on 127.0.0.1; rate-limit.test.ts turns them on. Engine commands per request
 * in a reply header, for the bound test and the benchmark.
 */
export const test = {
  logLevel: 'silent',
  seedDemo: false,
  devLogin: true,
  port: 0,
  rateLimit: { loginPerMinIp: 0, writesPerMinUser: 0, writesPerMinIp: 0, readsPerMinUser: 0 },
  engineCommandHeader: true,
  // No shared views (issue 17): each test reads what it just wrote, in any order; the shared-view and command-bound
  // tests set their own bound, and the benchmark runs with the production default.
  sharedViewMs: 0,
} as const;
