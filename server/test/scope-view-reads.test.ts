/**
 * Scope documents read cold for the views (apply.ts scopeView: a rank reads its branch's, the org rankings each
 * branch's) gather while one read is in flight into one `find {_id: {$in}}` (db/key-reads.ts), and hold what was
 * written before they were asked.
 */
import { startTestApp, type TestApp } from './support/harness';
import { buildCounty, buildMember } from './support/factories';
import { commandsSent, named } from './support/commands-sent';
import { awardPoints } from '../src/modules/points/points.service';
import { forgetAllScopeViews, scopeView } from '../src/modules/points/apply';
import { scopeWritesLanded } from '../src/modules/points/scope-writes';
import { periodId } from '@pioneer/shared';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

test('when four scopes are read cold at once, then two reads go (one alone, three gathered) and each holds the award', async () => {
  const county = await buildCounty();
  const member = await buildMember({ branch: county.branchA });
  await awardPoints({
    userId: member.id,
    reason: 'manual_adjustment',
    points: 4,
    refType: 'test',
    refId: 'views',
    idempotencyKey: 'views|1',
  });
  await scopeWritesLanded();
  forgetAllScopeViews();
  const ids = [county.county.id, county.branchA.id, county.branchA2.id, county.branchB.id];
  const { result, sent } = await commandsSent(() => Promise.all(ids.map((id) => scopeView(id))));
  expect(sent.map(named).filter((n) => n.endsWith('points_scopes'))).toEqual([
    'find points_scopes',
    'find points_scopes',
  ]);
  const month = periodId('month', new Date());
  expect(result[0]!.value.n?.[month]).toBe(1); // the county counts the member
  expect(result[1]!.value.h?.[month]).toEqual({ p4: 1 }); // their branch: one member at 4
  expect(result[2]!.value).toEqual({}); // no document yet: an empty view
});
