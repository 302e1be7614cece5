/** Overrides for NODE_ENV=development (the default): the demo county is loaded into an empty database. Dev login
 * needs DEV_LOGIN=1 as well (`npm start` sets it). */
export const development = { logLevel: 'info', seedDemo: true } as const;
