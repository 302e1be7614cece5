/** Overrides for NODE_ENV=production: listens on all interfaces behind a proxy; no dev login, no demo data. */
export const production = { host: '0.0.0.0', devLogin: false, seedDemo: false, logLevel: 'info' } as const;
