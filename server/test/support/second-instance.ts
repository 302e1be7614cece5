import { createServer } from 'node:http';
import type mongoose from 'mongoose';
import supertest from 'supertest';
import type { Config } from '../../../config';

export interface SecondInstance {
  http(): supertest.Agent;
  close(): Promise<void>;
}

/**
 * The app again, over the same database, with modules of its own (a second process, in this one): loaded in an
 * isolated module registry, so it has its own mongoose client, command monitor, held views and grouped-write queues.
 */
export async function secondInstance(
  dbName: string,
  overrides: Partial<Record<keyof Config, unknown>> = {},
): Promise<SecondInstance> {
  let started!: Promise<SecondInstance>;
  jest.isolateModules(() => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const isolated = require('mongoose') as typeof mongoose;
    const { connectDatabase } = require('../../src/db/connect') as typeof import('../../src/db/connect');
    const { createApp } = require('../../src/app') as typeof import('../../src/app');
    const { loadConfig } = require('../../../config') as typeof import('../../../config');
    /* eslint-enable @typescript-eslint/no-require-imports */
    started = (async () => {
      await connectDatabase(process.env.PIONEER_TEST_MONGODB_URI!, dbName);
      const config = loadConfig({ NODE_ENV: 'test' }, { h5Dir: '/nonexistent', ...overrides });
      const server = createServer(createApp({ config, engine: 'test' }).callback());
      return { http: () => supertest.agent(server), close: () => isolated.disconnect() };
    })();
  });
  return started;
}

/** Polls `check` until it holds; returns how long that took (ms), or fails after `withinMs` (across instances). */
export async function within(withinMs: number, check: () => Promise<boolean>): Promise<number> {
  const from = Date.now();
  while (!(await check())) {
    if (Date.now() - from > withinMs) throw new Error(`not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return Date.now() - from;
}
