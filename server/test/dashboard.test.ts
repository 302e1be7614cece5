/**
 * 数据看板 (issue 18): counters kept as events happen equal a rebuild from the ledger after a storm of concurrent
 * events; a member counts once as active per period; the read is scoped (a township admin sees only its subtree)
 * and costs at most 3 engine commands.
 */
import type { Dashboard } from '@pioneer/shared';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildAdmin, buildMember, type County } from './support/factories';
import { awardPoints } from '../src/modules/points/points.service';
import { payFor } from './support/points-helpers';
import { QuizResultModel } from '../src/modules/quiz/quiz.model';
import { RecordModel } from '../src/modules/posts/posts.model';
import {
  DashboardCountersModel,
  DashboardMarkModel,
  readCountersYears,
} from '../src/modules/dashboard/dashboard.model';
import { flushCounters } from '../src/modules/dashboard/counters';
import { rebuildDashboard } from '../src/jobs/dashboard-rebuild';
import { rebuildPoints } from '../src/jobs/points-rebuild';
import { ActivityModel } from '../src/modules/activities/activities.model';
import { MemberTotalsModel } from '../src/modules/points/points.model';
import { onCollectionWrite } from '../src/db/engine-commands';

let t: TestApp;
let watching: () => void = () => undefined;
onCollectionWrite('dashboard_counters', (_ids, phase) => phase === 'sent' && watching());
let county: County;
const auth = (id: string) => bearer(t, id);
const BOUND = 3;

beforeAll(async () => ({ t, county } = await startCountyApp()));
afterAll(() => t.close());

async function snapshot() {
  await flushCounters(); // awards are counted after their replies (dashboard/counters.ts)
  const docs = await DashboardCountersModel.find({}).sort({ _id: 1 }).lean();
  const shared = await DashboardMarkModel.find({}).lean();
  // A member's own markers are on their points totals document (`d`).
  const own = await MemberTotalsModel.find({}, { d: 1 }).lean<{ d?: Record<string, 1> }[]>();
  const marks = [...shared.map((m) => m._id), ...own.flatMap((m) => Object.keys(m.d ?? {}))].sort();
  return { docs: docs.map((d) => JSON.parse(JSON.stringify(d)) as unknown), marks };
}

/** Right answers of the storm's i-th event when it is a daily quiz (0..5). */
const score = (i: number) => Math.floor(i / 6) % 6;
const at = (day: string, minute = 0) => new Date(`${day}T10:${String(minute % 60).padStart(2, '0')}:00+08:00`);

async function dashboard(userId: string, query: Record<string, string>) {
  return t.http().get('/api/v1/dashboard').query(query).set(auth(userId));
}

describe('counters', () => {
  test('a member earning three times in a month is one active member; quiz, hours and wishes add up', async () => {
    const a = await buildMember({ branch: county.branchA });
    const b = await buildMember({ branch: county.branchA2 });
    const pay = (userId: string, reason: 'checkin' | 'wish_fulfilled', key: string, day: string) =>
      payFor(userId, reason, key, { at: at(day) });
    await pay(a.id, 'checkin', 'h1', '2026-03-02');
    await pay(a.id, 'checkin', 'h2', '2026-03-03');
    await pay(a.id, 'wish_fulfilled', 'h3', '2026-03-04');
    await pay(a.id, 'wish_fulfilled', 'h3', '2026-03-04'); // the same event again: nothing twice
    await pay(b.id, 'checkin', 'h4', '2026-03-05');
    await flushCounters();
    const doc = await DashboardCountersModel.findById(`${county.townA.id}|2026`).lean<{
      self: Record<string, Record<string, number>>;
      kids: Record<string, Record<string, Record<string, number>>>;
      cad: Record<string, Record<string, number>>;
    }>();
    // Two cadres checked in in March: their present days also count under their ids (应出勤 is owed by postings,
    // read by the board from the subtree documents: dashboard-branches.test.ts).
    expect(doc!.self.m03).toEqual({ active: 2, cadreDays: 3, wishes: 1 });
    expect(doc!.self.q1).toEqual({ active: 2, cadreDays: 3, wishes: 1 });
    expect(Object.values(doc!.cad.m03!).sort()).toEqual([1, 2]);
    expect(doc!.kids[county.villageA.id]!.m03!.active).toBe(2);
    const village = await DashboardCountersModel.findById(`${county.villageA.id}|2026`).lean<{
      kids: Record<string, Record<string, Record<string, number>>>;
    }>();
    expect(village!.kids[county.branchA.id]!.m03).toEqual({ active: 1, cadreDays: 2, wishes: 1 });
    expect(village!.kids[county.branchA2.id]!.m03).toEqual({ active: 1, cadreDays: 1 });
  });

  test("a member's markers ride on their points totals: a cadre capped to nothing still counts once, and after points:rebuild the next award is not counted active again", async () => {
    const c = await buildMember({ branch: county.branchB });
    const pay = (key: string, day: string, reason: 'checkin' | 'wish_fulfilled' = 'checkin') =>
      payFor(c.id, reason, key, { at: at(day) });
    // The branch's own counts as the board reads them (its village's document holds them: leaf-counters.ts).
    const month = async () =>
      (await flushCounters(), await readCountersYears(county.branchB.id, county.branchB.path, 2024)).doc!.self!.m04!;
    // Check-in pays 1 a day (cap 1): the day's second check-in (another key) is granted 0, moves no total, and is
    // still a present day; the month's required days are counted once.
    await pay('m1', '2024-04-01');
    expect((await pay('m2', '2024-04-01')).awarded).toBe(0);
    const first = await month();
    expect(first).toMatchObject({ active: 1, cadreDays: 2 });
    await rebuildPoints();
    await pay('m3', '2024-04-02', 'wish_fulfilled');
    // The rebuild rewrote the member's totals document with their markers: still one active member, one 应出勤.
    expect(await month()).toEqual({ ...first, wishes: 1 });
  });

  test('200 concurrent events (and 20 resends): the live counters equal a rebuild from the ledger', async () => {
    const branches = [county.branchA, county.branchA, county.branchA2, county.branchB, county.branchB];
    const people = await Promise.all(Array.from({ length: 15 }, (_, i) => buildMember({ branch: branches[i % 5]! })));
    const reasons = ['daily_quiz', 'activity_attended', 'post_service', 'wish_fulfilled', 'checkin', 'adjust'] as const;
    const events = Array.from({ length: 200 }, (_, i) => {
      const day = i % 4 === 0 ? '2026-10-12' : i % 7 === 0 ? '2025-12-20' : '2026-11-10';
      return { i, userId: people[i % 15]!.id, reason: reasons[i % 6]!, at: at(day, i), month: day.slice(0, 7) };
    });
    // The activities signed into, with the types that make branchA meet its month (支委会 + 党小组会).
    const types = ['committee', 'group', 'party_congress', 'lecture', 'committee'];
    for (const month of new Set(events.map((e) => e.month)))
      for (let k = 0; k < 5; k++)
        await ActivityModel.collection.insertOne({ _id: `act${month}-${k}`, type: types[k] } as never);
    // The source documents the rebuild reads units from: quiz results (right answers) and service records (hours).
    for (const e of events) {
      if (e.reason === 'daily_quiz')
        await QuizResultModel.create({ _id: `att${e.i}`, userId: e.userId, result: { units: score(e.i) } });
      if (e.reason === 'post_service')
        await RecordModel.collection.insertOne({ _id: `rec${e.i}`, hours: 1 + (e.i % 3) } as never);
    }
    const fire = (e: (typeof events)[number]) => {
      const key = `storm|${e.i}`;
      const base = { userId: e.userId, idempotencyKey: key, at: e.at, refType: 'test' };
      switch (e.reason) {
        case 'daily_quiz':
          return awardPoints({ ...base, reason: 'daily_quiz', units: score(e.i), refId: `att${e.i}` });
        case 'activity_attended':
          return awardPoints({ ...base, reason: 'activity_attended', units: 1, refId: `act${e.month}-${e.i % 5}` });
        case 'post_service':
          return awardPoints({ ...base, reason: 'post_service', units: 1 + (e.i % 3), refId: `rec${e.i}` });
        case 'adjust':
          return awardPoints({ ...base, reason: 'manual_adjustment', points: e.i % 2 ? 3 : -2, refId: key });
        default:
          return awardPoints({ ...base, reason: e.reason, units: 1, refId: key });
      }
    };
    // Concurrent events share the counters' writes (group commit: db/group-commit.ts); one each before.
    let counterWrites = 0;
    watching = () => (counterWrites += 1);
    await Promise.all([...events.map(fire), ...events.slice(0, 20).map(fire)]);
    watching = () => undefined;
    expect(counterWrites).toBeLessThan(150);
    const live = await snapshot();
    const result = await rebuildDashboard();
    expect(result.entries).toBeGreaterThanOrEqual(200);
    const rebuilt = await snapshot();
    expect(rebuilt).toEqual(live);

    // Known answers for the county in November 2026 (the first test's March events are elsewhere).
    const nov = events.filter((e) => e.month === '2026-11');
    const countyDoc = (await DashboardCountersModel.findById(`${county.county.id}|2026`).lean()) as unknown as {
      self: Record<string, Record<string, number>>;
      cad?: Record<string, Record<string, number>>;
    };
    const count = (r: string) => nov.filter((e) => e.reason === r).length;
    expect(countyDoc.self.m11!.quizN).toBe(count('daily_quiz'));
    expect(countyDoc.self.m11!.quizScore).toBe(
      nov.filter((e) => e.reason === 'daily_quiz').reduce((s, e) => s + score(e.i), 0),
    );
    expect(countyDoc.self.m11!.attend).toBe(count('activity_attended'));
    expect(countyDoc.self.m11!.held).toBe(
      new Set(nov.filter((e) => e.reason === 'activity_attended').map((e) => e.i % 5)).size,
    );
    expect(countyDoc.self.m11!.hours).toBe(
      nov.filter((e) => e.reason === 'post_service').reduce((s, e) => s + 1 + (e.i % 3), 0),
    );
    // December 2025 is January's and the year 2026's previous period (read from 2025's own document).
    const dec = events.filter((e) => e.month === '2025-12' && e.reason === 'wish_fulfilled').length;
    const admin = await buildAdmin({ of: county.county, branch: county.branchB });
    const previousOf = async (query: Record<string, string>) =>
      ((await dashboard(admin.id, query)).body as Dashboard).previous;
    expect((await previousOf({ period: 'month', at: '2026-01' })).wishes).toBe(dec);
    expect((await previousOf({ period: 'year', at: '2026-06' })).wishes).toBe(dec);
    // 三会一课: branchA held a 支委会 and a 党小组会 in November, so it met the month, once.
    expect(countyDoc.self.m11!.met).toBe(1);
    expect(Object.keys(countyDoc.cad?.m11 ?? {}).length).toBeGreaterThan(0);
  });
});

describe('GET /dashboard', () => {
  let countyAdmin: { id: string };
  let townAdmin: { id: string };
  beforeAll(async () => {
    countyAdmin = await buildAdmin({ of: county.county, branch: county.branchB });
    townAdmin = await buildAdmin({ of: county.townB, branch: county.branchB });
  });

  test('the county admin: this month, the one before, a trend line and the townships, in at most 3 commands', async () => {
    const res = await dashboard(countyAdmin.id, { period: 'month', at: '2026-11-15' });
    expect(res.status).toBe(200);
    expect(Number(res.headers['x-engine-commands'])).toBeLessThanOrEqual(BOUND);
    const d = res.body as Dashboard;
    expect(d.label).toBe('2026年11月');
    expect(d.previousLabel).toBe('2026年10月');
    expect(d.trend).toHaveLength(12);
    expect(d.trend.at(-1)!.values).toEqual(d.values);
    expect(d.trend.at(-2)!.values).toEqual(d.previous);
    expect(d.children.map((c) => c.id).sort()).toEqual([county.townA.id, county.townB.id].sort());
    const doc = (await DashboardCountersModel.findById(`${county.county.id}|2026`).lean()) as unknown as {
      self: Record<string, Record<string, number>>;
      kids: Record<string, Record<string, Record<string, number>>>;
    };
    expect(d.values.active).toBe(doc.self.m11!.active);
    expect(d.values.held).toBe(doc.self.m11!.held);
    expect(d.values.activeRate).toBe(Math.round((doc.self.m11!.active! / d.org.memberCount) * 1000) / 10);
    const sum = d.children.reduce((s, c) => s + c.values.active, 0);
    expect(sum).toBe(d.values.active);
    // The year view's previous period is 2025, carried in 2026's document.
    const year = (await dashboard(countyAdmin.id, { period: 'year', at: '2026-06-01' })).body as Dashboard;
    expect(year.previousLabel).toBe('2025年');
    expect(year.previous.wishes).toBeGreaterThan(0);
    const quarter = await dashboard(countyAdmin.id, { period: 'quarter', at: '2026-11' });
    expect(quarter.status).toBe(200);
    expect((quarter.body as Dashboard).trend.map((p) => p.label)).toEqual([
      '2025年第4季度',
      '2026年第1季度',
      '2026年第2季度',
      '2026年第3季度',
      '2026年第4季度',
    ]);
    expect(Number(quarter.headers['x-engine-commands'])).toBeLessThanOrEqual(BOUND);
  });

  test('a township admin sees their township by default and nothing outside it', async () => {
    const own = await dashboard(townAdmin.id, { period: 'month', at: '2026-11-15' });
    expect(own.status).toBe(200);
    expect((own.body as Dashboard).org.id).toBe(county.townB.id);
    expect((own.body as Dashboard).children.map((c) => c.id)).toEqual([county.villageB.id]);
    for (const org of [county.townA.id, county.county.id, county.branchA.id]) {
      const res = await dashboard(townAdmin.id, { period: 'month', org });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe('只能查看本辖区的数据看板');
    }
    const below = await dashboard(townAdmin.id, { period: 'month', org: county.branchB.id });
    expect(below.status).toBe(200);
  });

  test('members and secretaries are refused; bad input is a clear 400', async () => {
    const member = await buildMember({ branch: county.branchA });
    expect((await dashboard(member.id, { period: 'month' })).status).toBe(403);
    expect((await dashboard(member.id, { period: 'month', org: county.branchA.id })).status).toBe(403);
    const bad = await dashboard(countyAdmin.id, { period: 'week' });
    expect(bad.status).toBe(400);
    const badDay = await dashboard(countyAdmin.id, { period: 'month', at: '2026-13-01' });
    expect(badDay.status).toBe(400);
    expect(JSON.stringify(badDay.body)).toContain('日期不存在');
  });
});
