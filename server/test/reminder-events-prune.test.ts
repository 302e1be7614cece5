import mongoose from 'mongoose';
import { startTestApp, type TestApp } from './support/harness';
import { claimEvent, EVENT_KEEP_MS, finishEvent, pruneEvents } from '../src/modules/notify/reminders.job';

/**
 * Claims of told reminders (and scored quarters) are pruned once no run can ask for them again, so
 * `reminder_events` does not grow for ever; a claim younger than EVENT_KEEP_MS stays and still says "told".
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const DAY = 86_400_000;
const ids = async () =>
  (
    await mongoose.connection
      .collection('reminder_events')
      .find({}, { projection: { _id: 1 } })
      .toArray()
  )
    .map((d) => String(d._id))
    .sort();

test('claims older than EVENT_KEEP_MS are deleted, younger ones kept and still claimed', async () => {
  const now = new Date();
  const old = new Date(now.getTime() - EVENT_KEEP_MS - DAY);
  const young = new Date(now.getTime() - EVENT_KEEP_MS + DAY);
  expect(await claimEvent('deadline|old-task|m1', old)).toBe(true);
  await finishEvent('deadline|old-task|m1');
  expect(await claimEvent('scorecard|c1|2026Q1', old)).toBe(true); // left pending by a stopped process
  expect(await claimEvent('deadline|young-task|m1', young)).toBe(true);
  await finishEvent('deadline|young-task|m1');

  expect(await pruneEvents(now)).toBe(2);
  expect(await ids()).toEqual(['deadline|young-task|m1']);
  // The kept claim still stops a second telling.
  expect(await claimEvent('deadline|young-task|m1', now)).toBe(false);
  // Running it again deletes nothing more.
  expect(await pruneEvents(now)).toBe(0);
});
