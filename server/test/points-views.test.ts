/**
 * The derived views computed member by member (jobs/points-views.ts, issue 17 target 6: the bench seed of 100k
 * members): a member's entries are summed by period and org path before they are spread over the scopes, so a
 * member who moved between branches must still count each entry in the scopes it was earned in, and nowhere else.
 */
import mongoose from 'mongoose';
import { periodIds } from '@pioneer/shared';
import { startTestApp, type TestApp } from './support/harness';
import { buildCounty, buildMember } from './support/factories';
import { talliesOf, type LedgerLine } from '../src/jobs/points-views';
import { writeDerivedViews } from '../src/jobs/points-rebuild';
import { OrgModel } from '../src/modules/orgs/orgs.model';
import { UserModel } from '../src/modules/users/users.model';

let t: TestApp;
let county: Awaited<ReturnType<typeof buildCounty>>;
beforeAll(async () => {
  t = await startTestApp();
  county = await buildCounty();
});
afterAll(() => t.close());

const pathA = () => [county.county.id, county.townA.id, county.villageA.id, county.branchA.id];
const pathB = () => [county.county.id, county.townB.id, county.villageB.id, county.branchB.id];
let seq = 0;
function entry(userId: string, delta: number, at: Date, scopes: string[]): LedgerLine {
  const id = `views|${++seq}`;
  return {
    _id: id,
    userId,
    delta,
    reason: 'wish_fulfilled',
    refType: 'wish',
    refId: id,
    note: null,
    at,
    periods: periodIds(at),
    scopes,
  };
}

test('a member who moved branches counts each entry in the scopes it was earned in; zero entries count nowhere', () => {
  const at1 = new Date('2026-11-03T02:00:00Z');
  const at2 = new Date('2026-11-04T02:00:00Z');
  const at3 = new Date('2026-11-05T02:00:00Z');
  const tallies = talliesOf([
    entry('m1', 5, at1, pathA()),
    entry('m2', 7, at1, pathA()),
    entry('m1', 3, at2, pathB()),
    entry('m1', 0, at3, pathA()),
    entry('m1', -1, at3, pathB()),
  ]);
  const points = (scopeId: string, userId = 'm1') => tallies.get(`all|${scopeId}|${userId}`)?.points;
  expect(points('self')).toBe(7);
  expect(points(county.county.id)).toBe(7);
  expect(points(county.branchA.id)).toBe(5);
  expect(points(county.branchB.id)).toBe(2);
  expect(points(county.branchA.id, 'm2')).toBe(7);
  // The time a total was reached: its latest entry that moved it (the zero entry on branch A did not).
  expect(tallies.get(`all|${county.branchA.id}|m1`)?.reachedAt).toEqual(at1);
  expect(tallies.get(`all|self|m1`)?.reachedAt).toEqual(at3);
  // Four periods, each in self, the county and one branch chain or both: nothing else.
  expect([...tallies.keys()].filter((k) => k.endsWith('|m1') && k.startsWith('all|')).sort()).toEqual(
    ['self', ...new Set([...pathA(), ...pathB()])].map((s) => `all|${s}|m1`).sort(),
  );
});

async function derivedDocs() {
  const db = mongoose.connection.db!;
  const all = async (name: string) =>
    (await db.collection(name).find({}).toArray()).sort((a, b) => (a._id < b._id ? -1 : 1));
  return { totals: await all('points_member_totals'), scopes: await all('points_scopes') };
}

test("the bench seed's way (members and orgs passed in hand) writes what points:rebuild's reads give", async () => {
  const members = await Promise.all(
    [county.branchA, county.branchA, county.branchB].map((branch) => buildMember({ branch })),
  );
  const now = Date.now();
  const entries = members.flatMap((m, i) =>
    [0, 1, 2, 3].map((k) =>
      entry(m.id, 1 + ((i + k) % 4), new Date(now - (i * 3 + k) * 36e5), i === 2 && k === 3 ? pathA() : pathB()),
    ),
  );
  await writeDerivedViews(entries);
  const read = await derivedDocs();
  const [users, orgs] = await Promise.all([UserModel.find({}).lean(), OrgModel.find({}).lean()]);
  await writeDerivedViews(entries, { rows: { members: users, orgs } });
  expect(await derivedDocs()).toEqual(read);
  expect(read.totals.map((d) => d._id).sort()).toEqual(members.map((m) => m.id).sort());
});
