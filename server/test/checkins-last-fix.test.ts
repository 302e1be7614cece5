import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildMember, type County } from './support/factories';
import { body, near } from './support/checkin-helpers';
import { AttendanceMonthModel } from '../src/modules/checkins/checkins.model';
import { monthKey } from '@pioneer/shared';
import { holdLastFixReads } from '../src/modules/checkins/last-fix';
import { flushGroupedMarks } from '../src/db/grouped-marks';
import { commandsSent } from './support/commands-sent';
import { releaseWhenGathered } from './support/held-writes';

/**
 * Issue 17 (H8e, H12d): a check-in reads the cadre's fix from this month's and last month's documents in one key read
 * (gathered with others under load) and keeps its own in its month line's update, written after the reply, grouped
 * (checkins/last-fix.ts, month-lines.ts), where it was a last-fix document's read and update of its own.
 */
let t: TestApp;
let county: County;
const auth = (id: string) => bearer(t, id);
const post = (userId: string, b: object) => t.http().post('/api/v1/checkins').set(auth(userId)).send(b);
const cadre = () => buildMember({ branch: county.branchA, roles: ['member', 'cadre'], postedTo: county.villageA });

/** The commands sent to `collection` while `work` runs (and its grouped writes after it), by name. */
async function lastFixCommands<T>(
  work: () => Promise<T>,
  collection = 'checkin_months',
): Promise<{ result: T; sent: string[] }> {
  const { result, sent } = await commandsSent(async () => {
    const done = await work();
    await flushGroupedMarks();
    return done;
  });
  return {
    result,
    sent: sent.filter((e) => e.command[e.commandName] === collection).map((e) => e.commandName),
  };
}

beforeAll(async () => ({ t, county } = await startCountyApp()));
afterAll(() => t.close());

test('when 30 cadres check in at once, then no findAndModify: their last fixes are read in one command and written in fewer updates than check-ins', async () => {
  const cadres = await Promise.all(Array.from({ length: 30 }, () => cadre()));
  // The reads held until all 30 have asked, as under load (one in flight, the others gathering behind it).
  const held = holdLastFixReads();
  const { result, sent } = await lastFixCommands(() =>
    releaseWhenGathered(held, 30, () => Promise.all(cadres.map((c, k) => post(c.id, body(near(10 + k)))))),
  );
  expect(result.map((r) => r.status)).toEqual(Array(30).fill(201));
  expect(sent).not.toContain('findAndModify');
  expect(sent.filter((s) => s === 'find')).toEqual(['find']);
  expect(sent.filter((s) => s === 'update').length).toBeLessThan(30);
  const month = monthKey(new Date());
  const docs = await AttendanceMonthModel.collection
    .find({ _id: { $in: cadres.map((c) => `${c.id}|${month}`) } as never })
    .toArray();
  expect(docs).toHaveLength(30);
  expect(docs.every((d) => typeof d.fix === 'string' && d.validDay && Object.keys(d.items).length === 1)).toBe(true);
});

test('when a cadre checks in and is paid, then the fix and the month line are one update and nothing goes to checkin_last_fix', async () => {
  const c = await cadre();
  const { sent: months } = await lastFixCommands(() => post(c.id, body(near(10))));
  expect(months).toEqual(['find', 'update']);
  const { result, sent: legacy } = await lastFixCommands(() => post(c.id, body(near(12))), 'checkin_last_fix');
  expect(result.status).toBe(201);
  expect(legacy).toEqual([]);
});

test('when the last-fix write fails once, then the cadre’s next check-in is still judged against that fix', async () => {
  const c = await cadre();
  const spy = jest
    .spyOn(AttendanceMonthModel.collection, 'bulkWrite')
    .mockRejectedValueOnce(new Error('engine away for a moment'));
  expect((await post(c.id, body(near(0)))).body.flags).toEqual([]);
  // Retried a second later; the next check-in does not wait for that: it writes the queue first.
  await new Promise((r) => setTimeout(r, 50));
  expect(spy).toHaveBeenCalledTimes(1);
  spy.mockRestore();
  const far = await post(c.id, body(near(30_000), { reason: '县里开会' }));
  expect(far.body.flags).toContain('too_fast');
});
