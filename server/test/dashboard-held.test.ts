/**
 * 数据看板 held for the shared-view bound (issue 17): the reply is worked out once per bound in a process and says
 * `asOf`; a write this process sends to the counters shows at once, another process's within the bound; every
 * caller is still authorized on the held board's org.
 */
import mongoose from 'mongoose';
import type { Dashboard } from '@pioneer/shared';
import { startTestApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildAdmin, buildCounty, buildMember } from './support/factories';
import { startAnotherProcess, type OtherProcess } from './support/other-process';
import { payFor } from './support/points-helpers';
import { DashboardCountersModel } from '../src/modules/dashboard/dashboard.model';

const BOUND = 1500;
let t: TestApp;
let other: OtherProcess;
const auth = (id: string) => bearer(t, id);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  t = await startTestApp({ sharedViewMs: BOUND });
  // Another process's writes: node with a client of its own (support/other-process.ts), which this process's command
  // hook does not see.
  other = await startAnotherProcess(mongoose.connection.db!.databaseName);
});
afterAll(async () => {
  await other.close();
  await t.close();
});

test('a board is held within the bound and says asOf; this process’s writes show at once, another’s within the bound; each caller is authorized', async () => {
  const c = await buildCounty();
  const m = await buildMember({ branch: c.branchA });
  const admin = await buildAdmin({ of: c.county, branch: c.branchB });
  const townAdmin = await buildAdmin({ of: c.townA, branch: c.branchA });
  const board = async (id = admin.id) => {
    const res = await t.http().get('/api/v1/dashboard').query({ period: 'month', org: c.county.id }).set(auth(id));
    return { status: res.status, body: res.body as Dashboard, commands: Number(res.headers['x-engine-commands']) };
  };
  const pay = (key: string) => payFor(m.id, 'wish_fulfilled', key);

  await pay('held-1');
  const first = await board();
  expect(first.status).toBe(200);
  expect(first.body.values.wishes).toBe(1);
  expect(Date.now() - new Date(first.body.asOf!).getTime()).toBeLessThan(BOUND);
  // Within the bound: the same board, read from memory (no subtree or counters read: the session at most).
  const again = await board();
  expect(again.body).toEqual(first.body);
  expect(again.commands).toBeLessThan(first.commands);

  // A township admin is refused the county's board, held or not.
  expect((await board(townAdmin.id)).status).toBe(403);

  // A write through this process: the next read works the board out again.
  await pay('held-2');
  const mine = await board();
  expect(mine.body.values.wishes).toBe(2);

  // Another process adds a wish to the county's counters: within the bound this process may still show 2, and says
  // it read before the write; past the bound it shows 3.
  const doc = await DashboardCountersModel.findById(`${c.county.id}|${new Date(mine.body.asOf!).getFullYear()}`).lean<{
    _id: string;
    self: Record<string, { wishes?: number }>;
  }>();
  const slot = Object.keys(doc!.self).find((k) => k.startsWith('m'))!;
  const writtenAt = Date.now();
  await other.updateOne('dashboard_counters', { _id: doc!._id }, { $inc: { [`self.${slot}.wishes`]: 1 } });
  const lagging = await board();
  expect(lagging.body.values.wishes).toBe(2);
  expect(new Date(lagging.body.asOf!).getTime()).toBeLessThan(writtenAt);
  await sleep(BOUND + 50);
  const caughtUp = await board();
  expect(caughtUp.body.values.wishes).toBe(3);
  expect(new Date(caughtUp.body.asOf!).getTime()).toBeGreaterThan(writtenAt);
});
