/** Overrides for NODE_ENV=test: quiet logs, no demo seed (each test builds what it needs). */
export const test = { logLevel: 'silent', seedDemo: false, port: 0 } as const;
