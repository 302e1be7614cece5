/**
 * Overrides for NODE_ENV=test: quiet logs, no demo seed (each test builds what it needs), and no rate limits:
 * tests and the benchmark fire hundreds of writes from one member on 127.0.0.1; rate-limit.test.ts turns them on.
 */
export const test = { logLevel: 'silent', seedDemo: false, port: 0, rateLimit: { loginPerMinIp: 0, writesPerMinUser: 0, writesPerMinIp: 0 } } as const;
