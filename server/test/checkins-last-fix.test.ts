import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildMember, type County } from './support/factories';
import { body, near } from './support/checkin-helpers';
import { LastFixModel } from '../src/modules/checkins/checkins.model';
import { holdLastFixReads } from '../src/modules/checkins/last-fix';
import { flushGroupedMarks } from '../src/db/grouped-marks';
import { commandsSent } from './support/commands-sent';
import { releaseWhenGathered } from './support/held-writes';

/**
 * Issue 17 (H8e): a check-in reads the cadre's last-fix document by key (gathered with others under load) and its
 * update is written after the reply, grouped (checkins/last-fix.ts), where it was one findOneAndUpdate each.
 */
let t: TestApp;
let county: County;
const auth = (id: string) => bearer(t, id);
const post = (userId: string, b: object) => t.http().post('/api/v1/checkins').set(auth(userId)).send(b);
const cadre = () => buildMember({ branch: county.branchA, roles: ['member', 'cadre'], postedTo: county.villageA });

/** The commands sent to `checkin_last_fix` while `work` runs (and its grouped writes after it), by name. */
async function lastFixCommands<T>(work: () => Promise<T>): Promise<{ result: T; sent: string[] }> {
  const { result, sent } = await commandsSent(async () => {
    const done = await work();
    await flushGroupedMarks();
    return done;
  });
  return {
    result,
    sent: sent.filter((e) => e.command[e.commandName] === 'checkin_last_fix').map((e) => e.commandName),
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
  const docs = await LastFixModel.find({ _id: { $in: cadres.map((c) => c.id) } }).lean();
  expect(docs).toHaveLength(30);
  expect(docs.every((d) => typeof d.fix === 'string' && d.validDay)).toBe(true);
});

test('when the last-fix write fails once, then the cadre’s next check-in is still judged against that fix', async () => {
  const c = await cadre();
  const spy = jest
    .spyOn(LastFixModel.collection, 'bulkWrite')
    .mockRejectedValueOnce(new Error('engine away for a moment'));
  expect((await post(c.id, body(near(0)))).body.flags).toEqual([]);
  // Retried a second later; the next check-in does not wait for that: it writes the queue first.
  await new Promise((r) => setTimeout(r, 50));
  expect(spy).toHaveBeenCalledTimes(1);
  spy.mockRestore();
  const far = await post(c.id, body(near(30_000), { reason: '县里开会' }));
  expect(far.body.flags).toContain('too_fast');
});
