/** Overrides for NODE_ENV=development (the default): dev login on, demo county loaded into an empty database. */
export const development = { logLevel: 'info', seedDemo: true } as const;
