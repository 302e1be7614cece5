/**
 * Group commit of the awards' bulk writes (issue 17; server/src/modules/points/scope-writes.ts): concurrent awards
 * share one write to points_scopes, their statements merged per document, and the views they leave equal what
 * `points:rebuild` computes from the ledger. A shared write that fails fails every award in it, and leaves them
 * pending for reconciliation (in the journal, their feed lines, the write's last statements, not written).
 */
import mongoose from 'mongoose';
import { setSharedViewMs } from '../src/db/shared-view';
import { rebuildPoints, reconcilePoints, totalsSnapshot } from '../src/jobs/points-rebuild';
import { feedHolds, flushAppliedMarks, journalEntries } from '../src/modules/points/applied-marks';
import { LedgerModel, ScopeStatsModel } from '../src/modules/points/points.model';
import { awardPoints } from '../src/modules/points/points.service';
import { holdScopeWrites, MAX_STATEMENTS, scopeWritesLanded } from '../src/modules/points/scope-writes';
import { buildMember, type County } from './support/factories';
import { scopeState as scopeState_ } from './support/scope-state';
import { startCountyApp, type TestApp } from './support/harness';

let t: TestApp;
let county: County;
beforeAll(async () => ({ t, county } = await startCountyApp()));
afterAll(() => t.close());

const DAY = 86_400_000;
/** Every scope of the county in each current period, stored and held (support/scope-state.ts). */
const scopeState = () => scopeState_(Object.values(county).map((o) => o.id));

/** The bulk writes this process sends to points_scopes while `work` runs: their statements each. */
async function scopeWrites(work: () => Promise<unknown>): Promise<number[]> {
  const writes: number[] = [];
  const count = (e: { commandName: string; command: Record<string, unknown> }) => {
    if (e.commandName === 'update' && e.command.update === 'points_scopes')
      writes.push((e.command.updates as unknown[]).length);
  };
  const client = mongoose.connection.getClient();
  client.on('commandStarted', count);
  try {
    await work();
  } finally {
    client.off('commandStarted', count);
  }
  return writes;
}

test('when 100 awards in one county land at once, then they share fewer bulk writes and leave what the rebuild computes', async () => {
  const branches = [county.branchA, county.branchA2, county.branchB];
  const members = await Promise.all(Array.from({ length: 25 }, (_, i) => buildMember({ branch: branches[i % 3]! })));
  setSharedViewMs(60_000);
  await scopeState(); // every scope's view held here: the awards put their moves on them
  const awards = Array.from({ length: 100 }, (_, i) => ({
    // Four awards a member, so one write often carries two moves of one member (p3->p4 and p4->p5: h.p4 nets 0).
    userId: members[i % members.length]!.id,
    reason: 'manual_adjustment' as const,
    points: 1 + (i % 5),
    refType: 'storm',
    refId: `g${i}`,
    idempotencyKey: `group|${i}`,
    // Some dated in the week and the month before: one award moves a period another award's statement drops.
    at: new Date(Date.now() - (i % 10 === 3 ? 8 * DAY : i % 10 === 7 ? 35 * DAY : 0)),
  }));
  const paid = () => Promise.all(awards.map((a) => awardPoints(a))).then(scopeWritesLanded);
  const writes = (await scopeWrites(paid)).length;
  expect(writes).toBeGreaterThan(0);
  expect(writes).toBeLessThan(awards.length / 2);

  const live = await scopeState();
  const liveTotals = await totalsSnapshot();
  setSharedViewMs(0);
  expect(await scopeState()).toEqual(live); // the views held here equal what is stored
  await rebuildPoints();
  expect(await totalsSnapshot()).toEqual(liveTotals);
  expect(await scopeState()).toEqual(live);
  await flushAppliedMarks();
  expect(await pending('group|')).toEqual([]);
}, 120_000);

/** The entries under `prefix` still in the pending journal. */
const pending = async (prefix: string) => (await journalEntries()).filter((id) => id.startsWith(prefix)).sort();

/** The entries of `refType` whose feed holds them (finished, for recovery: applied-marks.ts). */
async function inTheirFeeds(refType: string): Promise<string[]> {
  const entries = await LedgerModel.find({ refType }).lean();
  const held = await Promise.all(entries.map(async (e) => ((await feedHolds(e)) ? [e._id] : [])));
  return held.flat().sort();
}

test('when a shared write fails after the replies, then every award in it stays pending for reconciliation', async () => {
  const inA = await buildMember({ branch: county.branchA });
  const inB = await buildMember({ branch: county.branchB });
  // Township B's document made unwritable for an award: its histograms a number, so `h.<period>.p<n>` cannot be set.
  const saved = await ScopeStatsModel.collection.findOne({ _id: county.townB.id as never });
  await ScopeStatsModel.collection.updateOne({ _id: county.townB.id as never }, { $set: { h: 5 } }, { upsert: true });
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const hold = holdScopeWrites();
    const awards = [inA, inB, inA, inA].map((m, i) =>
      awardPoints({
        userId: m.id,
        reason: 'manual_adjustment',
        points: 2,
        refType: 'fail',
        refId: `f${i}`,
        idempotencyKey: `fail|${i}`,
      }).then(
        () => 'paid',
        (err: unknown) => err,
      ),
    );
    // Paid before their write is sent (it runs after the reply, scope-writes.ts).
    expect(await Promise.all(awards)).toEqual(['paid', 'paid', 'paid', 'paid']);
    expect(hold.gathered()).toBe(awards.length);
    hold.release();
    await scopeWritesLanded();
    // Township A's member's statements were good, but their write was the failed one: none of them is finished. The
    // feed lines are the write's last statements (an ordered write): none landed, so recovery repairs all four.
    await flushAppliedMarks();
    expect(await pending('fail|')).toHaveLength(4);
    expect(await inTheirFeeds('fail')).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
    await ScopeStatsModel.collection.replaceOne({ _id: county.townB.id as never }, saved ?? {}, { upsert: true });
  }
  // The next award writes again (nothing is left held), and reconciliation finishes the four.
  await awardPoints({
    userId: inA.id,
    reason: 'manual_adjustment',
    points: 1,
    refType: 'fail',
    refId: 'after',
    idempotencyKey: 'fail|after',
  });
  expect(await reconcilePoints()).toBeGreaterThanOrEqual(4);
  expect(await pending('fail|')).toEqual([]);
  expect(await inTheirFeeds('fail')).toHaveLength(5);
}, 60_000);

test('when more awards gather than one write may carry, then they go in writes of at most 100 statements', async () => {
  const members = await Promise.all(
    Array.from({ length: 120 }, (_, i) => buildMember({ branch: i % 2 ? county.branchA : county.branchB })),
  );
  const hold = holdScopeWrites();
  const awards = members.map((m, i) =>
    awardPoints({
      userId: m.id,
      reason: 'manual_adjustment',
      points: 1 + (i % 7),
      refType: 'bound',
      refId: `b${i}`,
      idempotencyKey: `bound|${i}`,
    }),
  );
  // Each member's feed line is a statement of its own: 120 of them, with the scopes' and the boards'.
  const writes = await scopeWrites(async () => {
    while (hold.gathered() < awards.length) await new Promise((r) => setTimeout(r, 5));
    hold.release();
    await Promise.all(awards);
    await scopeWritesLanded();
  });
  expect(writes.length).toBeGreaterThanOrEqual(2);
  expect(Math.max(...writes)).toBeLessThanOrEqual(MAX_STATEMENTS);
  expect(writes.reduce((a, b) => a + b, 0)).toBeGreaterThan(120);
}, 60_000);
