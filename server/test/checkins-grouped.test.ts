import mongoose from 'mongoose';
import type { CheckinResult } from '@pioneer/shared';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildMember, type County } from './support/factories';
import { body, near } from './support/checkin-helpers';
import { CheckinModel } from '../src/modules/checkins/checkins.model';
import { LedgerModel } from '../src/modules/points/points.model';
import { checkIn } from '../src/modules/checkins/checkins.service';
import { loadSessionUser } from '../src/modules/users/users.service';
import { holdLastFixReads } from '../src/modules/checkins/last-fix';
import { releaseWhenGathered } from './support/held-writes';

/** Issue 17 (H6e): concurrent check-ins' inserts go to the engine in groups (checkins/insert-group.ts). */
let t: TestApp;
let county: County;
const auth = (id: string) => bearer(t, id);
const post = (userId: string, b: object) => t.http().post('/api/v1/checkins').set(auth(userId)).send(b);
const cadre = () => buildMember({ branch: county.branchA, roles: ['member', 'cadre'], postedTo: county.villageA });

/** The insert commands sent to `checkins` while `work` runs, and the documents they carried. */
async function checkinInserts<T>(work: () => Promise<T>): Promise<{ result: T; inserts: number; docs: number }> {
  const seen = { inserts: 0, docs: 0 };
  const client = mongoose.connection.getClient();
  const watch = (e: { commandName: string; command: Record<string, unknown> }) => {
    if (e.commandName !== 'insert' || e.command.insert !== 'checkins') return;
    seen.inserts += 1;
    seen.docs += (e.command.documents as unknown[]).length;
  };
  client.on('commandStarted', watch);
  try {
    return { result: await work(), ...seen };
  } finally {
    client.off('commandStarted', watch);
  }
}

beforeAll(async () => ({ t, county } = await startCountyApp()));
afterAll(() => t.close());

describe('check-in inserts in groups', () => {
  test('when 30 cadres check in at once, then each is stored and paid, in fewer inserts than check-ins', async () => {
    const cadres = await Promise.all(Array.from({ length: 30 }, () => cadre()));
    // Their last-fix reads held until all 30 have asked (the one command before the insert), so they reach it
    // together whatever the machine's timing, as under load.
    const held = holdLastFixReads();
    const { result, inserts, docs } = await checkinInserts(() =>
      releaseWhenGathered(held, 30, () => Promise.all(cadres.map((c, i) => post(c.id, body(near(i * 10)))))),
    );
    expect(result.map((r) => r.status)).toEqual(Array(30).fill(201));
    expect(result.map((r) => (r.body as CheckinResult).pointsAwarded)).toEqual(Array(30).fill(1));
    expect(docs).toBe(30);
    // One by one this was 30 inserts; grouped, those arriving while one is in flight gather behind it.
    expect(inserts).toBeLessThan(30);
    const stored = await CheckinModel.find({ _id: { $in: result.map((r) => r.body.id as string) } }).lean();
    expect(stored).toHaveLength(30);
    expect(stored.every((c) => c.status === 'valid' && c.settled !== undefined)).toBe(true);
    expect(await LedgerModel.countDocuments({ userId: { $in: cadres.map((c) => c.id) }, reason: 'checkin' })).toBe(30);
  });

  test('when the same Idempotency-Key arrives 20 times at once, in one group, then one check-in is stored and paid once', async () => {
    // Through the service: over HTTP the idempotency store answers the resends with the first reply before they
    // reach an insert.
    const c = await loadSessionUser((await cadre()).id);
    const others = await Promise.all(Array.from({ length: 5 }, async () => loadSessionUser((await cadre()).id)));
    const { result, inserts, docs } = await checkinInserts(() =>
      Promise.all([
        ...others.map((o) => checkIn(o!, body(near(30)))),
        ...Array.from({ length: 20 }, () => checkIn(c!, body(near(20)), { idempotencyKey: 'grouped-resend-1' })),
      ]),
    );
    const mine = result.slice(5);
    expect(new Set(mine.map((r) => r.id)).size).toBe(1);
    expect(mine.reduce((s, r) => s + r.pointsAwarded, 0)).toBe(1);
    expect(result.slice(0, 5).map((r) => r.pointsAwarded)).toEqual([1, 1, 1, 1, 1]);
    expect(docs).toBe(25);
    expect(inserts).toBeLessThan(25);
    expect(await CheckinModel.countDocuments({ userId: c!.id })).toBe(1);
    expect(await LedgerModel.countDocuments({ userId: c!.id, reason: 'checkin' })).toBe(1);
  });

  test('when a check-in is alone, then its insert goes at once (one insert of one document)', async () => {
    const c = await cadre();
    const { result, inserts, docs } = await checkinInserts(() => post(c.id, body(near(40))));
    expect(result.status).toBe(201);
    expect({ inserts, docs }).toEqual({ inserts: 1, docs: 1 });
  });
});
