/**
 * 支部评分 · 星级评定 (issue 18 item 2) on a hand-built county whose answers are worked out by hand below: weights and
 * thresholds versioned by date (Q2 scored by the spring card, Q3 by the September one), a branch with no members
 * (不参评), a branch created mid-quarter (held to half the activity target), ranks in the township and the county,
 * stars, 最强党支部 candidates, 软弱涣散 by the line and by an admin's mark, and scope (a township admin sees and
 * enters only its township). Results are read by key.
 */
import type { ScoreResults, ScorecardVersionBody } from '@pioneer/shared';
import { client } from './support/client';
import { adminActor } from './support/sessions';
import { startCountyApp, type TestApp } from './support/harness';
import { buildAdmin, buildMember, buildOrg, type BuiltOrg, type County } from './support/factories';
import { DashboardCountersModel } from '../src/modules/dashboard/dashboard.model';
import { SubtreeModel } from '../src/modules/orgs/subtree.model';
import { requiredDaysOfMonth } from '@pioneer/shared/src/holidays';
import { OrgModel, type OrgDoc } from '../src/modules/orgs/orgs.model';
import { foundedDay } from '../src/modules/scorecards/scorecards.compute';
import { AuditModel } from '../src/modules/audit/audit.model';
import { UserModel } from '../src/modules/users/users.model';
import { putScorecard } from '../src/modules/scorecards/scorecards.service';
import { binary, workbookOf } from './support/download';

let t: TestApp;
let c: County;
let empty: BuiltOrg;
let late: BuiltOrg;
let countyAdmin: { id: string };
let townA: { id: string };
let townB: { id: string };
const as = (id: string) => client(t, id);
const photo = '/api/v1/uploads/2026-09/0123456789abcdef0123456789abcdef.jpg';

/** Spring card (from 2026-01-01) and September card (from 2026-09-15): Q3 ends after the second starts. */
const SPRING: Omit<ScorecardVersionBody, 'org'> = {
  effectiveFrom: '2026-01-01',
  indicators: [
    { key: 'active', label: '党员活跃率', kind: 'auto', source: 'activeRate', target: 80, weight: 30 },
    { key: 'held', label: '开展活动', kind: 'auto', source: 'held', target: 6, weight: 30 },
    { key: 'quiz', label: '答题平均分', kind: 'auto', source: 'quizAvg', target: 80, weight: 20 },
    { key: 'economy', label: '集体经济', kind: 'manual', target: 10, weight: 20 },
  ],
  stars: [60, 70, 80, 90],
  candidatesPerTownship: 1,
  weakBelow: 50,
};
const AUTUMN: Omit<ScorecardVersionBody, 'org'> = {
  ...SPRING,
  effectiveFrom: '2026-09-15',
  indicators: SPRING.indicators.map((i) => ({ ...i, weight: { active: 40, held: 20, quiz: 20, economy: 20 }[i.key]! })),
  stars: [55, 65, 75, 85],
  weakBelow: 60,
};

async function members(branch: BuiltOrg, n: number) {
  for (let i = 0; i < n; i += 1) await buildMember({ branch });
}
async function counters(org: BuiltOrg, slots: Record<string, Record<string, number>>) {
  // Where the live path keeps a branch's counts: its row on its parent's document (dashboard/leaf-counters.ts).
  await DashboardCountersModel.updateOne(
    { _id: `${org.path.at(-1)}|2026` },
    { $set: { [`kids.${org.id}`]: slots } },
    { upsert: true },
  );
}

beforeAll(async () => {
  ({ t, county: c } = await startCountyApp());
  empty = await buildOrg('branch', '乙村空支部', c.villageB);
  late = await buildOrg('branch', '乙村新支部', c.villageB);
  const office = await buildOrg('agency', '县委组织部', c.county);
  countyAdmin = await buildAdmin({ of: c.county, branch: office });
  townA = await buildAdmin({ of: c.townA, branch: office });
  townB = await buildAdmin({ of: c.townB, branch: office });
  // Every org existed long before, except 乙村新支部: set up on 16 August, so 46 of Q3's 92 days.
  await OrgModel.collection.updateMany({}, { $set: { createdAt: new Date('2025-01-01T00:00:00Z') } });
  await OrgModel.collection.updateOne(
    { _id: late.id as never },
    { $set: { createdAt: new Date('2026-08-16T02:00:00Z') } },
  );
  await members(c.branchA, 10);
  await members(c.branchA2, 5);
  await members(c.branchB, 4);
  await members(late, 2);
  await counters(c.branchA, {
    q2: { active: 8, held: 3 },
    q3: { active: 8, held: 6, quizN: 50, quizScore: 200 },
  });
  await counters(c.branchA2, { q3: { active: 2, held: 3, quizN: 10, quizScore: 30 } });
  await counters(c.branchB, { q3: { active: 3, held: 6, quizN: 20, quizScore: 80 } });
  await counters(late, { q3: { active: 2, held: 2, quizN: 2, quizScore: 8 } });
  // 乙乡's one cadre, posted since 1 July, checked in 70 days in Q3 (weekends too): capped at what they owed.
  await SubtreeModel.updateOne({ _id: c.townB.id }, { $set: { 'cadres.cadre-b': { s: '2026-07-01', u: null } } });
  await DashboardCountersModel.create({
    _id: `${c.townB.id}|2026`,
    self: { q3: { cadreDays: 70 } },
    cad: { q3: { 'cadre-b': 70 } },
  });
  await putScorecard(adminActor(countyAdmin.id, c.county.id), { org: c.county.id, ...SPRING }, new Date('2025-12-01'));
  await putScorecard(adminActor(countyAdmin.id, c.county.id), { org: c.county.id, ...AUTUMN }, new Date('2026-09-01'));
});
afterAll(() => t.close());

const results = (who: string, query: Record<string, string>) => as(who).get('/scorecards/results').query(query);
const compute = (who: string, quarter: string) => as(who).post('/scorecards/compute', { org: c.county.id, quarter });
const manual = (who: string, branch: BuiltOrg, value: number, quarter = '2026Q3') =>
  as(who).put('/scorecards/manual', {
    branch: branch.id,
    quarter,
    key: 'economy',
    value,
    note: '村集体经济收入（万元）',
    photoUrls: [photo],
  });

describe('the card, versioned by date', () => {
  test('the version in force on a day; an edit cannot start in the past', async () => {
    const at = async (day: string) =>
      (await as(countyAdmin.id).get('/scorecards/card').query({ org: c.county.id, at: day })).body as {
        versions: string[];
        version: { effectiveFrom: string } | null;
      };
    expect((await at('2025-12-31')).version).toBeNull();
    expect((await at('2026-06-30')).version!.effectiveFrom).toBe('2026-01-01');
    expect((await at('2026-09-15')).version!.effectiveFrom).toBe('2026-09-15');
    expect((await at('2026-09-15')).versions).toEqual(['2026-01-01', '2026-09-15']);
    const res = await as(countyAdmin.id).put('/scorecards/card', {
      org: c.county.id,
      ...AUTUMN,
      effectiveFrom: '2026-01-02',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('生效日期不能早于今天');
  });

  test('weights must add up to 100, thresholds rise; a township admin cannot define the card', async () => {
    const put = (who: string, body: object) =>
      as(who).put('/scorecards/card', { org: c.county.id, ...AUTUMN, ...body });
    const far = '2099-01-01';
    const heavy = AUTUMN.indicators.map((i) => ({ ...i, weight: 30 }));
    expect((await put(countyAdmin.id, { effectiveFrom: far, indicators: heavy })).body.error.message).toContain('100');
    expect((await put(countyAdmin.id, { effectiveFrom: far, stars: [60, 50, 70, 80] })).status).toBe(400);
    expect((await put(townA.id, { effectiveFrom: far })).status).toBe(403);
    const card = await as(countyAdmin.id).get('/scorecards/card').query({ org: c.county.id });
    expect(card.body.versions).toEqual(['2026-01-01', '2026-09-15']);
  });
});

describe('manual indicators and scope', () => {
  test('a township admin enters for its own branches only, with a photo, within the maximum', async () => {
    expect((await manual(townA.id, c.branchA, 5)).status).toBe(200);
    expect((await manual(townB.id, c.branchB, 10)).status).toBe(200);
    expect((await manual(townA.id, c.branchB, 10)).status).toBe(403);
    const over = await manual(townA.id, c.branchA, 11);
    expect(over.status).toBe(400);
    expect(over.body.error.message).toContain('最高10');
    const bare = await as(townA.id).put('/scorecards/manual', {
      branch: c.branchA.id,
      quarter: '2026Q3',
      key: 'economy',
      value: 3,
      photoUrls: [],
    });
    expect(bare.status).toBe(400);
    expect(JSON.stringify(bare.body)).toContain('请上传佐证照片');
    expect(await AuditModel.countDocuments({ action: 'scorecard.manual' })).toBe(2);
  });

  test("the township admin reads back the quarter's manual indicators and what was entered, by whom", async () => {
    const read = (who: string, branch: BuiltOrg) =>
      as(who).get('/scorecards/manual').query({ branch: branch.id, quarter: '2026Q3' });
    const res = await read(townA.id, c.branchA);
    expect(res.status).toBe(200);
    expect(res.body.indicators).toEqual([{ key: 'economy', label: '集体经济', target: 10 }]);
    expect(res.body.entries).toHaveLength(1);
    const admin = await UserModel.findById(townA.id, { name: 1 }).lean<{ name: string }>();
    expect(res.body.entries[0]).toMatchObject({
      key: 'economy',
      value: 5,
      note: '村集体经济收入（万元）',
      photoUrls: [photo],
      byName: admin!.name,
    });
    expect((await read(townA.id, c.branchA2)).body.entries).toEqual([]);
    expect((await read(townB.id, c.branchA)).status).toBe(403);
  });

  test('only the county admin computes a quarter', async () => {
    expect((await compute(townA.id, '2026Q3')).status).toBe(403);
    expect((await compute(countyAdmin.id, '2099Q1')).status).toBe(400);
  });
});

describe('Q3 2026 by the September card (known answers)', () => {
  let r: ScoreResults;
  beforeAll(async () => {
    expect((await compute(countyAdmin.id, '2026Q3')).status).toBe(200);
    r = (await results(countyAdmin.id, { org: c.county.id, quarter: '2026Q3' })).body as ScoreResults;
  });
  const row = (b: BuiltOrg) => r.branches.find((x) => x.id === b.id)!;

  test('scores: weight x min(1, value/target), counted targets shared out over the days a branch existed', () => {
    expect(r.effectiveFrom).toBe('2026-09-15');
    // 甲村: 8/10 active = 80% -> 40; 6 of 6 held -> 20; quiz 200/50 x 20 = 80 -> 20; economy 5 of 10 -> 10.
    expect(row(c.branchA).score).toBe(90);
    // 甲村第二: 40% -> 20; 3 of 6 -> 10; 30/10 x 20 = 60 -> 15; no economy -> 0.
    expect(row(c.branchA2).score).toBe(45);
    // 乙村: 75% -> 37.5; 6 of 6 -> 20; 80 -> 20; economy 10 -> 20.
    expect(row(c.branchB).score).toBe(97.5);
    // 乙村新支部 (46 of 92 days): 100% -> 40; held 2 of half of 6 = 3 -> 13.3; quiz 80 -> 20 (over its 46 days).
    expect(row(late).score).toBe(73.3);
    expect(row(late).parts.find((p) => p.key === 'held')!.target).toBe(3);
    // No members: not rated, no rank, no stars.
    expect(row(empty)).toMatchObject({ score: null, countyRank: null, townshipRank: null, stars: null });
    expect(row(empty).note).toContain('无党员');
  });

  test('ranks, stars (55/65/75/85), candidates (top 1 per township), weak below 60', () => {
    expect([c.branchB, c.branchA, late, c.branchA2].map((b) => row(b).countyRank)).toEqual([1, 2, 3, 4]);
    expect([c.branchA, c.branchA2, c.branchB, late].map((b) => row(b).townshipRank)).toEqual([1, 2, 1, 2]);
    expect([c.branchA, c.branchA2, c.branchB, late].map((b) => row(b).stars)).toEqual([5, 1, 5, 3]);
    expect(
      r.branches
        .filter((b) => b.candidate)
        .map((b) => b.id)
        .sort(),
    ).toEqual([c.branchA.id, c.branchB.id].sort());
    expect(r.branches.filter((b) => b.weak).map((b) => b.id)).toEqual([c.branchA2.id]);
    expect(row(c.branchA2).weakReason).toBe('得分45，低于60分');
    const town = (id: string) => r.townships.find((x) => x.id === id)!;
    expect(town(c.townA.id)).toMatchObject({ average: 67.5, rank: 2, branches: 2, rated: 2, fiveStars: 1, weak: 1 });
    expect(town(c.townB.id)).toMatchObject({ average: 85.4, rank: 1, branches: 3, rated: 2, fiveStars: 1, weak: 0 });
  });

  test('an admin marks a branch 软弱涣散 with a reason (a reason is required)', async () => {
    const flag = (who: string, body: object) =>
      as(who).put('/scorecards/flags', { branch: c.branchA.id, quarter: '2026Q3', ...body });
    expect((await flag(townA.id, { flagged: true, reason: '' })).status).toBe(400);
    expect((await flag(townB.id, { flagged: true, reason: '班子不团结' })).status).toBe(403);
    expect((await flag(townA.id, { flagged: true, reason: '班子不团结' })).status).toBe(200);
    const after = (await results(townA.id, { quarter: '2026Q3' })).body as ScoreResults;
    const a = after.branches.find((b) => b.id === c.branchA.id)!;
    expect(a).toMatchObject({ weak: true, weakReason: '管理员认定：班子不团结', score: 90, stars: 5 });
    expect((await flag(townA.id, { flagged: false })).status).toBe(200);
    const cleared = (await results(townA.id, { quarter: '2026Q3' })).body as ScoreResults;
    expect(cleared.branches.find((b) => b.id === c.branchA.id)!.weak).toBe(false);
  });

  test('a township admin sees only its township, by key reads', async () => {
    const mine = await results(townA.id, { quarter: '2026Q3' });
    expect(mine.status).toBe(200);
    expect(Number(mine.headers['x-engine-commands'])).toBeLessThanOrEqual(4);
    const body = mine.body as ScoreResults;
    expect(body.branches.map((b) => b.id).sort()).toEqual([c.branchA.id, c.branchA2.id].sort());
    expect(body.townships.map((x) => x.id)).toEqual([c.townA.id]);
    expect(body.branches.find((b) => b.id === c.branchA.id)!.countyRank).toBe(2);
    expect((await results(townA.id, { org: c.townB.id, quarter: '2026Q3' })).status).toBe(403);
    expect((await results(townA.id, { org: c.county.id, quarter: '2026Q3' })).status).toBe(403);
  });
});

describe('季度通报 XLSX', () => {
  test('five sheets read back: summary, township ranking, branch ranking with stars, weak branches, cadres', async () => {
    const res = await as(countyAdmin.id)
      .get('/scorecards/bulletin.xlsx')
      .query({ org: c.county.id, quarter: '2026Q3' })
      .buffer(true)
      .parse(binary);
    expect(res.status).toBe(200);
    const wb = await workbookOf(res.body);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['概况', '乡镇排名', '支部排名', '软弱涣散支部', '驻村干部在岗']);
    const rows = (name: string) =>
      (wb.getWorksheet(name)!.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1));
    expect(rows('概况')[1]).toEqual(['通报', '测试县2026年第3季度基层党组织星级评定情况通报']);
    expect(rows('概况').find((r) => r[0] === '5星支部')![1]).toBe(2);
    expect(
      rows('乡镇排名')
        .slice(1)
        .map((r) => [r[0], r[1], r[4]]),
    ).toEqual([
      [1, '乙乡', 85.4],
      [2, '甲镇', 67.5],
    ]);
    expect(
      rows('支部排名')
        .slice(1)
        .map((r) => [r[0], r[2], r[5], r[6]]),
    ).toEqual([
      [1, '乙村党支部', 97.5, '★★★★★'],
      [2, '甲村党支部', 90, '★★★★★'],
      [3, '乙村新支部', 73.3, '★★★'],
      [4, '甲村第二党支部', 45, '★'],
      ['—', '乙村空支部', '—', '不参评'],
    ]);
    expect(
      rows('软弱涣散支部')
        .slice(1)
        .map((r) => [r[0], r[3], r[4]]),
    ).toEqual([['甲村第二党支部', '得分45，低于60分', '未制定方案']]);
    const owed = ['2026-07', '2026-08', '2026-09'].reduce((s, m) => s + requiredDaysOfMonth(20, m), 0);
    expect(rows('驻村干部在岗')).toEqual([
      ['乡镇', '实到（人天）', '应出勤（人天）', '在岗率（%）'],
      ['甲镇', 0, 0, 0],
      ['乙乡', 70, owed, 100],
    ]);
    expect(
      (await as(townA.id).get('/scorecards/bulletin.xlsx').query({ org: c.county.id, quarter: '2026Q3' })).status,
    ).toBe(403);
  });
});

describe('when a branch began', () => {
  test('added while its county was being set up: existed before (whole quarter); added later: from that day', () => {
    const branch = { createdAt: new Date('2026-08-16T02:00:00Z') } as unknown as OrgDoc;
    expect(foundedDay(branch, '2026-08-20')).toBe('2000-01-01');
    expect(foundedDay(branch, '2025-01-31')).toBe('2026-08-16');
  });
});

describe('Q2 2026 by the spring card', () => {
  test('the spring weights and line apply; the branch founded in August is not rated', async () => {
    expect((await compute(countyAdmin.id, '2026Q2')).status).toBe(200);
    const r = (await results(countyAdmin.id, { org: c.county.id, quarter: '2026Q2' })).body as ScoreResults;
    expect(r.effectiveFrom).toBe('2026-01-01');
    const row = (b: BuiltOrg) => r.branches.find((x) => x.id === b.id)!;
    // 80% -> 30; 3 of 6 held -> 15; no quiz, no economy: 45 (the September weights would give 50).
    expect(row(c.branchA)).toMatchObject({ score: 45, stars: 1, weak: true, weakReason: '得分45，低于50分' });
    expect(row(late)).toMatchObject({ score: null, stars: null });
    expect(row(late).note).toContain('尚未成立');
  });

  test('a quarter before the first card is scored by the first card', async () => {
    expect((await compute(countyAdmin.id, '2025Q4')).status).toBe(200);
    const r = (await results(countyAdmin.id, { org: c.county.id, quarter: '2025Q4' })).body as ScoreResults;
    expect(r.effectiveFrom).toBe('2026-01-01');
  });
});
