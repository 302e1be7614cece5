/**
 * The award's repair gap (issue 17; server/src/jobs/points-repair.ts): an award whose totals moved but whose scope
 * write failed, wholly or in part, is repaired by recovery so every derived view (histograms, members, child sums,
 * boards, feed) equals what `points:rebuild` computes from the same ledger; and recovery finds what to repair by key,
 * never by a filter on the ledger. Real engine; the failures are the engine's own refusals of a statement.
 */
import mongoose from 'mongoose';
import pino from 'pino';
import { monthKey, periodIds } from '@pioneer/shared';
import { engineState } from '../src/db/engine-state';
import { setSharedViewMs } from '../src/db/shared-view';
import { rebuildPoints, reconcilePoints, totalsSnapshot } from '../src/jobs/points-rebuild';
import { recoverOnItsOwn } from '../src/jobs/recovery';
import { feedHolds, flushAppliedMarks, journalEntries, leavePending } from '../src/modules/points/applied-marks';
import { feedId, scopeKey } from '../src/modules/points/keys';
import { rowBlock } from '../src/modules/points/board-blocks';
import { FeedModel, LedgerModel, ScopeStatsModel } from '../src/modules/points/points.model';
import { givePoints } from './support/points-helpers';
import { scopeWritesLanded } from '../src/modules/points/scope-writes';
import { buildCounty, buildMember } from './support/factories';
import { scopeState } from './support/scope-state';
import { startTestApp, type TestApp } from './support/harness';

let t: TestApp;
let county: Awaited<ReturnType<typeof buildCounty>>;
let members: { id: string }[];
beforeAll(async () => {
  t = await startTestApp();
  county = await buildCounty();
  const branches = [county.branchA, county.branchA2, county.branchB];
  members = await Promise.all(Array.from({ length: 9 }, (_, i) => buildMember({ branch: branches[i % 3]! })));
  // Points already on every scope and board, so the failed award moves members between buckets.
  await Promise.all(members.map((m, i) => award(m.id, `seed|${i}`, 1 + (i % 4))));
  await flushAppliedMarks();
});
afterAll(() => t.close());

const award = (userId: string, key: string, points: number) => givePoints(userId, points, key, { refType: 'repair' });

/** Every scope of the county in each current period, stored and as held here (its board too), and every feed. */
async function views() {
  setSharedViewMs(0);
  const state = await scopeState(Object.values(county).map((o) => o.id));
  for (const m of members) {
    const feed = await FeedModel.findById(feedId(m.id, monthKey(new Date()))).lean();
    state[`feed|${m.id}`] = (feed?.items ?? []).map((i) => i.id).sort();
  }
  return state;
}

/** Whether the entry is pending for recovery: in the journal, and its feed does not hold it (applied-marks.ts). */
async function pending(entryId: string): Promise<{ journaled: boolean; inFeed: boolean }> {
  const entry = await LedgerModel.findById(entryId).lean();
  return { journaled: (await journalEntries()).includes(entryId), inFeed: await feedHolds(entry!) };
}

/** Views after recovery and totals, then the same after `points:rebuild` of the same ledger. */
async function recoveredAndRebuilt() {
  const recovered = { views: await views(), totals: await totalsSnapshot() };
  await rebuildPoints();
  return { recovered, rebuilt: { views: await views(), totals: await totalsSnapshot() } };
}

/**
 * Makes documents unwritable for an award's statements (the engine refuses `h.<period>.p<n>` on a number, `$max` of
 * `m.<member>` on a number, `$addToSet` on a number) while `work` runs, then puts them back as they were.
 */
async function unwritable(docs: { _id: string; field: string }[], work: () => Promise<void>): Promise<void> {
  const collection = ScopeStatsModel.collection;
  const saved = await Promise.all(docs.map((d) => collection.findOne({ _id: d._id as never })));
  for (const d of docs)
    await collection.updateOne({ _id: d._id as never }, { $set: { [d.field]: 5 } }, { upsert: true });
  try {
    await work();
  } finally {
    for (const [i, d] of docs.entries())
      if (saved[i]) await collection.replaceOne({ _id: d._id as never }, saved[i]!);
      else await collection.deleteOne({ _id: d._id as never });
  }
}

async function failedAward(userId: string, key: string, docs: { _id: string; field: string }[]) {
  await unwritable(docs, async () => {
    await award(userId, key, 7); // paid: its scope write runs after the reply, and fails there
    await scopeWritesLanded();
    await flushAppliedMarks();
  });
}

test('when an award’s scope write fails wholly, then recovery leaves every view as points:rebuild computes it', async () => {
  const member = members[0]!; // branch A: county, township A, village A, branch A
  const chain = [county.county, county.townA, county.villageA, county.branchA].map((o) => o.id);
  const periods = periodIds(new Date());
  const before = await views();
  // Every document the award writes refuses it: its four scopes, its rows' block of each scope (every period's rows) and its feed.
  await failedAward(member.id, 'repair|whole', [
    ...chain.map((_id) => ({ _id, field: 'h' })),
    ...chain.map((s) => ({ _id: rowBlock(scopeKey(periods[0]!, s), member.id), field: 'r' })),
    { _id: feedId(member.id, monthKey(new Date())), field: 'items' },
  ]);
  expect(await views()).toEqual(before); // nothing of it landed; its totals moved
  expect(await pending('repair|whole')).toEqual({ journaled: true, inFeed: false });

  expect(await reconcilePoints()).toBe(1);
  const { recovered, rebuilt } = await recoveredAndRebuilt();
  expect(recovered).toEqual(rebuilt);
  expect(recovered.views).not.toEqual(before);
  expect(await reconcilePoints()).toBe(0);
});

test('when the failed write landed in part, then recovery still leaves what points:rebuild computes (nothing twice)', async () => {
  const member = members[1]!; // branch A2: county, township A, village A, branch A2
  const week = periodIds(new Date())[0]!;
  const before = await views();
  // Only township A's document refuses: the county's, before it in the write, lands; the feed line, the write's last
  // statement (an ordered write), does not. Were it written, recovery would take the entry for finished and leave
  // township A without it.
  await failedAward(member.id, 'repair|part', [{ _id: county.townA.id, field: 'h' }]);
  const landed = await views();
  expect(landed[scopeKey(week, county.county.id)]).not.toEqual(before[scopeKey(week, county.county.id)]);
  expect(landed[scopeKey(week, county.townA.id)]).toEqual(before[scopeKey(week, county.townA.id)]);
  expect(await pending('repair|part')).toEqual({ journaled: true, inFeed: false });

  expect(await reconcilePoints()).toBe(1);
  const { recovered, rebuilt } = await recoveredAndRebuilt();
  expect(recovered).toEqual(rebuilt);
});

test('when only the boards refuse an award’s write, then its feed line (the write’s last) is not written and recovery repairs the boards', async () => {
  const member = members[2]!; // branch B: county, township B, village B, branch B
  const chain = [county.county, county.townB, county.villageB, county.branchB].map((o) => o.id);
  const week = periodIds(new Date())[0]!;
  const before = await views();
  // Its rows' blocks refuse (`r` a number): every scope document lands; the rows, then its feed line would follow.
  await failedAward(
    member.id,
    'repair|boards',
    chain.map((s) => ({ _id: rowBlock(scopeKey(week, s), member.id), field: 'r' })),
  );
  const landed = await views();
  expect(landed[scopeKey(week, county.townB.id)]).not.toEqual(before[scopeKey(week, county.townB.id)]);
  // Were the feed line written before the rows, recovery would take the entry for finished: its boards left behind.
  expect(await pending('repair|boards')).toEqual({ journaled: true, inFeed: false });
  expect(await reconcilePoints()).toBe(1);
  const { recovered, rebuilt } = await recoveredAndRebuilt();
  expect(recovered).toEqual(rebuilt);
});

test('when recovery looks for what to repair, then it reads the ledger by key only, however large it is', async () => {
  await failedAward(members[2]!.id, 'repair|keys', [{ _id: county.townB.id, field: 'h' }]);
  const ledgerFilters: unknown[] = [];
  const watch = (e: { commandName: string; command: Record<string, unknown> }) => {
    const c = e.command;
    if (c[e.commandName] !== 'ledger') return;
    if (e.commandName === 'find') ledgerFilters.push(c.filter);
    else if (e.commandName === 'update') ledgerFilters.push(...(c.updates as { q: unknown }[]).map((u) => u.q));
    else if (e.commandName === 'delete') ledgerFilters.push(...(c.deletes as { q: unknown }[]).map((u) => u.q));
    else ledgerFilters.push({ [e.commandName]: c }); // count, aggregate, distinct: never by key
  };
  const client = mongoose.connection.getClient();
  client.on('commandStarted', watch);
  try {
    expect(await reconcilePoints()).toBe(1);
  } finally {
    client.off('commandStarted', watch);
  }
  expect(ledgerFilters.length).toBeGreaterThan(0);
  for (const q of ledgerFilters) {
    expect(Object.keys(q as object)).toEqual(['_id']);
    expect(typeof (q as { _id: unknown })._id).toBe('string');
  }
  const { recovered, rebuilt } = await recoveredAndRebuilt();
  expect(recovered).toEqual(rebuilt);
});

test('when an entry’s totals never moved (a stop right after its insert), then recovery moves them once', async () => {
  const member = members[3]!;
  await award(member.id, 'repair|stop', 2);
  await flushAppliedMarks();
  const paid = await LedgerModel.collection.findOne({ _id: 'repair|stop' as never });
  // What the stop leaves: the entry and its journal line, written by one command (points.service.ts insertEntry).
  const { _id: _, ...entry } = paid!;
  await LedgerModel.collection.insertOne({
    ...entry,
    _id: 'repair|stopped',
    refId: 'stopped',
  } as never);
  await leavePending('repair|stopped');
  const totals = await totalsSnapshot();
  expect(await reconcilePoints()).toBe(1);
  expect(await reconcilePoints()).toBe(0);
  const moved = await totalsSnapshot();
  expect(moved).not.toEqual(totals);
  const { recovered, rebuilt } = await recoveredAndRebuilt();
  expect(recovered).toEqual(rebuilt);
  expect(recovered.totals).toEqual(moved); // moved once
});

test('when a finished entry is in the journal again (a duplicate request), then recovery does not move it again', async () => {
  const member = members[4]!;
  await award(member.id, 'repair|again', 3);
  await flushAppliedMarks();
  await award(member.id, 'repair|again-next', 1); // the member's next award clears the first's mark on the totals
  await flushAppliedMarks();
  // What a duplicate's ordered insert leaves (the entry matched, its journal line set again), its totals unmarked.
  await leavePending('repair|again');
  expect(await pending('repair|again')).toEqual({ journaled: true, inFeed: true });
  const totals = await totalsSnapshot();
  expect(await reconcilePoints()).toBe(0); // its feed holds it: finished, its journal line dropped
  expect(await totalsSnapshot()).toEqual(totals);
  expect(await pending('repair|again')).toEqual({ journaled: false, inFeed: true });
  const { recovered, rebuilt } = await recoveredAndRebuilt();
  expect(recovered).toEqual(rebuilt);
});

test('when a duplicate request comes while the entry’s scope write failed, then the entry stays in the journal', async () => {
  const member = members[6]!; // branch A: township A
  await unwritable([{ _id: county.townA.id, field: 'h' }], async () => {
    await award(member.id, 'repair|dup', 2); // paid: its scope write fails after the reply
    await scopeWritesLanded();
    const again = await award(member.id, 'repair|dup', 2); // a retry: its insert sets the journal line again
    expect(again.duplicate).toBe(true);
    await flushAppliedMarks();
    expect(await pending('repair|dup')).toEqual({ journaled: true, inFeed: false });
  });
  expect(await reconcilePoints()).toBe(1);
  const { recovered, rebuilt } = await recoveredAndRebuilt();
  expect(recovered).toEqual(rebuilt);
});

test('when a duplicate request comes for a finished entry, then its journal line is dropped again', async () => {
  const member = members[7]!;
  await award(member.id, 'repair|dup-done', 2);
  await flushAppliedMarks();
  expect((await award(member.id, 'repair|dup-done', 2)).duplicate).toBe(true);
  await flushAppliedMarks();
  expect(await pending('repair|dup-done')).toEqual({ journaled: false, inFeed: true });
});

describe('while serving (the recovery of server/src/jobs/recovery.ts listening)', () => {
  beforeAll(() => recoverOnItsOwn(pino({ level: 'silent' })));
  const wait = async (until: () => boolean, ms: number) => {
    for (const end = Date.now() + ms; !until() && Date.now() < end;) await new Promise((r) => setTimeout(r, 20));
    return until();
  };
  const gateClosed = () => !engineState.snapshot().reconciled;

  test('when a scope write fails, then the database gate repairs the views at once, not at the next restart', async () => {
    const member = members[5]!; // branch B: township B
    let closed = false;
    await unwritable([{ _id: county.townB.id, field: 'h' }], async () => {
      await award(member.id, 'repair|live', 3); // paid: its scope write fails after the reply
      // The gate closes (requests held back) once the database answers; its repair fails until the document is back.
      closed = await wait(gateClosed, 10_000);
    });
    expect(closed).toBe(true);
    expect(await wait(() => !gateClosed(), 20_000)).toBe(true);
    await flushAppliedMarks();
    expect(await pending('repair|live')).toEqual({ journaled: false, inFeed: true });
    const { recovered, rebuilt } = await recoveredAndRebuilt();
    expect(recovered).toEqual(rebuilt);
  }, 60_000);

  test('when the repair keeps failing, then the gate opens again after a few tries and the award stays pending', async () => {
    const member = members[8]!; // branch B: township B
    await unwritable([{ _id: county.townB.id, field: 'h' }], async () => {
      await award(member.id, 'repair|stuck', 2);
      expect(await wait(gateClosed, 10_000)).toBe(true);
      // Still refused: every request would wait on it for ever. It serves again, the award left for the next recovery.
      expect(await wait(() => !gateClosed(), 15_000)).toBe(true);
      expect(await pending('repair|stuck')).toEqual({ journaled: true, inFeed: false });
    });
    expect(await reconcilePoints()).toBe(1);
    const { recovered, rebuilt } = await recoveredAndRebuilt();
    expect(recovered).toEqual(rebuilt);
  }, 60_000);
});
