/**
 * 支部评分 on a schedule (issue 18): the last ended quarter of every county with a card is scored once after it
 * ends — two runners at once (two servers on one database) make one computation — caught up by the next run when
 * a card is defined later, and an admin still recomputes on demand.
 */
import type { ScorecardVersionBody } from '@pioneer/shared';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { adminActor } from './support/sessions';
import { buildAdmin, buildCounty, buildMember, buildOrg, type County } from './support/factories';
import { claimEvent } from '../src/modules/notify/reminders.job';
import { putScorecard } from '../src/modules/scorecards/scorecards.service';
import { lastEndedQuarter, runScoring, scoringKey } from '../src/modules/scorecards/scorecards.job';
import { readResult } from '../src/modules/scorecards/scorecards.store';

let t: TestApp;
let one: County;
let two: County;
let admin1: { id: string };
let admin2: { id: string };

const CARD: Omit<ScorecardVersionBody, 'org'> = {
  effectiveFrom: '2026-01-01',
  indicators: [{ key: 'active', label: '党员活跃率', kind: 'auto', source: 'activeRate', target: 80, weight: 100 }],
  stars: [60, 70, 80, 90],
  candidatesPerTownship: 1,
  weakBelow: 50,
};
/** 2 October 2026, 09:00 Shanghai: Q3 has ended. */
const OCT2 = new Date('2026-10-02T01:00:00Z');

beforeAll(async () => {
  ({ t, county: one } = await startCountyApp());
  two = await buildCounty();
  admin1 = await buildAdmin({ of: one.county, branch: await buildOrg('agency', '县委组织部', one.county) });
  admin2 = await buildAdmin({ of: two.county, branch: await buildOrg('agency', '县委组织部', two.county) });
  await buildMember({ branch: one.branchA });
  await putScorecard(adminActor(admin1.id, one.county.id), { org: one.county.id, ...CARD }, new Date('2025-12-01'));
});
afterAll(() => t.close());

test('the last ended quarter, Shanghai time', () => {
  expect(lastEndedQuarter(OCT2)).toBe('2026Q3');
  expect(lastEndedQuarter(new Date('2026-09-30T15:59:00Z'))).toBe('2026Q2'); // 23:59 on 30 September
  expect(lastEndedQuarter(new Date('2026-09-30T16:00:00Z'))).toBe('2026Q3'); // 00:00 on 1 October
  expect(lastEndedQuarter(new Date('2027-01-01T00:00:00Z'))).toBe('2026Q4');
});

test('two runners at once: one computes the quarter, the other finds it claimed', async () => {
  const [a, b] = await Promise.all([runScoring(OCT2), runScoring(OCT2)]);
  expect([...a.computed, ...b.computed]).toEqual([one.county.id]);
  const result = await readResult(one.county.id, '2026Q3');
  expect(result?.computedAt.toISOString()).toBe(OCT2.toISOString());
  expect(result?.branches.map((r) => r.name)).toContain('甲村党支部');
  // The county without a card is left alone (nothing to score it by), and not claimed.
  expect(await readResult(two.county.id, '2026Q3')).toBeNull();
  // Later runs of the same quarter find nothing to do.
  expect((await runScoring(new Date('2026-10-20T01:00:00Z'))).computed).toEqual([]);
});

test('a card defined later: the next run catches the quarter up', async () => {
  // In force from today: the quarter just ended is scored by it (the county's first card).
  const card = { org: two.county.id, ...CARD, effectiveFrom: '2026-10-05' };
  await putScorecard(adminActor(admin2.id, two.county.id), card, new Date('2026-10-05T02:00:00Z'));
  const run = await runScoring(new Date('2026-10-05T02:00:00Z'));
  expect(run.computed).toEqual([two.county.id]);
  expect(await readResult(two.county.id, '2026Q3')).not.toBeNull();
});

test('a claim left pending by a stopped process is taken over once it is stale, by one runner', async () => {
  const key = scoringKey(one.county.id, '2026Q4');
  const jan = new Date('2027-01-01T02:00:00Z');
  expect(await claimEvent(key, jan)).toBe(true); // a process claimed Q4, then stopped before computing
  // A minute later the claim is still fresh: Q4 is not computed for it (the other county's Q4 is).
  expect((await runScoring(new Date(jan.getTime() + 60_000))).computed).toEqual([two.county.id]);
  const later = new Date(jan.getTime() + 3600_000);
  const [a, b] = await Promise.all([runScoring(later), runScoring(later)]);
  expect([...a.computed, ...b.computed]).toEqual([one.county.id]);
  expect((await readResult(one.county.id, '2026Q4'))?.computedAt.toISOString()).toBe(later.toISOString());
});

test('an admin still recomputes on demand', async () => {
  const res = await t
    .http()
    .post('/api/v1/scorecards/compute')
    .set(bearer(t, admin1.id))
    .send({ org: one.county.id, quarter: '2026Q3' });
  expect(res.status).toBe(200);
  expect((await readResult(one.county.id, '2026Q3'))!.computedAt.getTime()).toBeGreaterThan(OCT2.getTime());
});
