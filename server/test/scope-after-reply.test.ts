/**
 * The award's scope write after its reply (issue 17; server/src/modules/points/scope-writes.ts `afterTheReply`): an
 * award replies once its totals moved, its scopes, boards and feed are written after; this process's views show it
 * at once, its reads of what the write changes wait for it, recovery never recounts under it, and a backlog the
 * engine cannot keep up with makes awards wait again. Real engine; the write is held back with the group commit's
 * test hold (db/group-commit.ts).
 */
import { periodId } from '@pioneer/shared';
import { setSharedViewMs } from '../src/db/shared-view';
import { rebuildPoints, reconcilePoints } from '../src/jobs/points-rebuild';
import { flushAppliedMarks, journalEntries } from '../src/modules/points/applied-marks';
import { forgetScopeViews } from '../src/modules/points/apply';
import { ledgerPage } from '../src/modules/points/points.service';
import { givePoints } from './support/points-helpers';
import { holdScopeWrites, MAX_UNDER_WAY } from '../src/modules/points/scope-writes';
import { rankIn, scopeStanding, topOf } from '../src/modules/points/standings';
import { buildMember, type County } from './support/factories';
import { scopeState } from './support/scope-state';
import { startCountyApp, type TestApp } from './support/harness';

let t: TestApp;
let county: County;
beforeAll(async () => ({ t, county } = await startCountyApp()));
afterAll(() => t.close());
afterEach(() => setSharedViewMs(1000));

const award = (userId: string, key: string, points: number) => givePoints(userId, points, key, { refType: 'after' });

/** 'late' when `p` has not settled within `ms`. */
const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<'late'>((r) => setTimeout(() => r('late'), ms))]);

const month = () => periodId('month', new Date());
const orgIds = () => Object.values(county).map((o) => o.id);

test('when an award’s scope write is held back, then the award replies and this process’s rank and board show it at once', async () => {
  setSharedViewMs(60_000);
  const others = await Promise.all([1, 2].map(() => buildMember({ branch: county.branchA })));
  await Promise.all(others.map((m, i) => award(m.id, `held|other|${i}`, 5 + i)));
  const member = await buildMember({ branch: county.branchA });
  await topOf(county.branchA.id, month(), 2); // the board and the histogram held here
  await scopeStanding(county.branchA.id, month());
  await flushAppliedMarks();

  const hold = holdScopeWrites();
  try {
    expect(await within(award(member.id, 'held|me', 9), 3000)).not.toBe('late');
    expect(hold.gathered()).toBe(1); // its write still held back
    const standing = await scopeStanding(county.branchA.id, month());
    expect(rankIn(standing.histogram, 9)).toBe(1);
    expect(standing.members).toBe(3);
    expect((await topOf(county.branchA.id, month(), 3)).rows.map((r) => [r.userId, r.points])).toEqual([
      [member.id, 9],
      [others[1]!.id, 6],
      [others[0]!.id, 5],
    ]);
  } finally {
    hold.release();
  }
  await flushAppliedMarks();
  expect(await journalEntries()).not.toContain('held|me');
  const live = await scopeState(orgIds());
  await rebuildPoints();
  expect(await scopeState(orgIds())).toEqual(live);
});

test('when a scope’s view or the member’s history is read again while a write is under way, then the read waits for it', async () => {
  const member = await buildMember({ branch: county.branchB });
  await flushAppliedMarks();
  const hold = holdScopeWrites();
  let standing: ReturnType<typeof scopeStanding>;
  let history: ReturnType<typeof ledgerPage>;
  try {
    await award(member.id, 'reread|me', 4);
    forgetScopeViews([county.branchB.id]); // read again, as after the bound
    standing = scopeStanding(county.branchB.id, month());
    history = ledgerPage(member.id, { limit: 20 });
    expect(await within(standing, 300)).toBe('late');
    expect(await within(history, 300)).toBe('late');
  } finally {
    hold.release();
  }
  expect((await standing).histogram).toMatchObject({ p4: 1 });
  expect((await history).items.map((i) => i.id)).toEqual(['reread|me']);
});

test('when recovery starts while a write is under way, then it waits for it and recounts nothing twice', async () => {
  const member = await buildMember({ branch: county.branchA2 });
  await flushAppliedMarks();
  const hold = holdScopeWrites();
  let repaired: Promise<number>;
  try {
    await award(member.id, 'recount|me', 3);
    repaired = reconcilePoints();
    await new Promise((r) => setTimeout(r, 200));
  } finally {
    hold.release();
  }
  expect(await repaired).toBe(0); // its write landed first: nothing pending
  const live = await scopeState(orgIds());
  await rebuildPoints();
  expect(await scopeState(orgIds())).toEqual(live);
});

test('when more awards’ writes are under way than the bound, then the next award waits for its own write', async () => {
  const members = await Promise.all(Array.from({ length: 10 }, () => buildMember({ branch: county.branchB })));
  await flushAppliedMarks();
  const hold = holdScopeWrites();
  let last: Promise<unknown>;
  try {
    const first = Array.from({ length: MAX_UNDER_WAY }, (_, i) => award(members[i % 10]!.id, `bound|${i}`, 1));
    expect(await within(Promise.all(first), 60_000)).not.toBe('late');
    last = award(members[0]!.id, 'bound|last', 1);
    expect(await within(last, 1000)).toBe('late');
  } finally {
    hold.release();
  }
  await last;
  await flushAppliedMarks();
  expect((await journalEntries()).filter((id) => id.startsWith('bound|'))).toEqual([]);
}, 120_000);
