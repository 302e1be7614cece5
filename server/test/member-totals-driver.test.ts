/**
 * The award's totals update (apply.ts bumpMemberTotals, claimMemberMarks) goes through the driver's collection, not a
 * mongoose Query (issue 17: mongoose walked and cast its ~40 dotted paths on every award, ~3 % of a check-in's Node
 * CPU), and writes the document mongoose wrote: the schema's defaults (t, r, v) on a document a marker creates.
 */
import { startCountyApp, type TestApp } from './support/harness';
import { buildMember, type County } from './support/factories';
import { givePoints } from './support/points-helpers';
import { claimMemberMarks } from '../src/modules/points/apply';
import { MemberTotalsModel } from '../src/modules/points/points.model';
import { scopeWritesLanded } from '../src/modules/points/scope-writes';
import { flushGroupedMarks } from '../src/db/grouped-marks';

let t: TestApp;
let county: County;
beforeAll(async () => ({ t, county } = await startCountyApp()));
afterAll(() => t.close());
afterEach(() => jest.restoreAllMocks());

test('when a member is awarded twice, then no mongoose query runs on their totals and the totals add up', async () => {
  const member = await buildMember({ branch: county.branchA });
  // A spy that calls through (the real update runs): only whether the mongoose path was taken is watched.
  const viaMongoose = jest.spyOn(MemberTotalsModel, 'findOneAndUpdate');
  await givePoints(member.id, 3, 'drv|1');
  await givePoints(member.id, 4, 'drv|2');
  await scopeWritesLanded();
  await flushGroupedMarks();
  expect(viaMongoose).not.toHaveBeenCalled();
  const doc = await MemberTotalsModel.findById(member.id).lean<{ t: Record<string, number>; v: number }>();
  expect(doc?.v).toBe(2);
  const totals = Object.entries(doc!.t).filter(([key]) => key.startsWith('all|'));
  expect(totals.length).toBe(5); // self, county, township, village, branch
  expect(totals.every(([, points]) => points === 7)).toBe(true);
});

test('when a marker is the first thing written for a member, then their document holds the schema defaults', async () => {
  const member = await buildMember({ branch: county.branchA });
  await MemberTotalsModel.deleteOne({ _id: member.id });
  const viaMongoose = jest.spyOn(MemberTotalsModel, 'findOneAndUpdate');
  expect([...(await claimMemberMarks(member.id, ['probe']))]).toEqual(['probe']);
  expect([...(await claimMemberMarks(member.id, ['probe']))]).toEqual([]); // set already: won once
  expect(viaMongoose).not.toHaveBeenCalled();
  expect(await MemberTotalsModel.findById(member.id).lean()).toEqual({
    _id: member.id,
    d: { probe: 1 },
    t: {},
    r: {},
    v: 0,
  });
  // An award after it counts from the defaults.
  await givePoints(member.id, 2, 'drv|3');
  const doc = await MemberTotalsModel.findById(member.id).lean<{ v: number; d: object }>();
  expect(doc).toMatchObject({ v: 1, d: { probe: 1 } });
});
