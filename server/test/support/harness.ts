import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import mongoose from 'mongoose';
import supertest from 'supertest';
import { loadConfig, type Config } from '../../../config';
import { createApp } from '../../src/app';
import { connectDatabase } from '../../src/db/connect';
import { flushGroupedMarks } from '../../src/db/grouped-marks';
import { tokenIssuer } from '../../src/http/auth';
import { buildCounty, type County } from './factories';

export interface TestApp {
  config: Config;
  server: Server;
  baseUrl: string;
  http(): supertest.Agent;
  tokenFor(userId: string): string;
  /** Another app over the same database with other settings (e.g. rate limits on), driven in-process. */
  httpWith(overrides: Partial<Record<keyof Config, unknown>>): supertest.Agent;
  close(): Promise<void>;
}

/**
 * The real app on a real HTTP port over a fresh database of the run's engine. Call in beforeAll; close in afterAll.
 */
export async function startTestApp(overrides: Partial<Record<keyof Config, unknown>> = {}): Promise<TestApp> {
  const uri = process.env.PIONEER_TEST_MONGODB_URI;
  if (!uri) throw new Error('no test database: jest globalSetup did not run');
  const dbName = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await connectDatabase(uri, dbName);
  const config = loadConfig({ NODE_ENV: 'test' }, { h5Dir: '/nonexistent', ...overrides });
  const app = createApp({ config, engine: process.env.PIONEER_TEST_ENGINE ?? 'unknown' });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const tokens = tokenIssuer(config.jwtSecret, config.jwtTtlSeconds);
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    config,
    server,
    baseUrl,
    http: () => supertest.agent(server),
    tokenFor: (userId) => tokens.sign(userId),
    httpWith: (more) => {
      const other = loadConfig({ NODE_ENV: 'test' }, { h5Dir: '/nonexistent', ...overrides, ...more });
      return supertest.agent(createApp({ config: other, engine: 'test' }).callback());
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await flushGroupedMarks(); // every mark queued off the requests' path (db/grouped-marks.ts)
      await mongoose.connection.dropDatabase().catch(() => undefined);
      await mongoose.disconnect();
    },
  };
}

/**
 * The set-up most test files share: the app over a fresh database and buildCounty's county in it. Call in beforeAll
 * (`({ t, county } = await startCountyApp())`); close `t` in afterAll.
 */
export async function startCountyApp(
  overrides: Partial<Record<keyof Config, unknown>> = {},
): Promise<{ t: TestApp; county: County }> {
  const t = await startTestApp(overrides);
  return { t, county: await buildCounty() };
}
