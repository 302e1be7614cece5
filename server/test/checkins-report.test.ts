import { REPORT_COLUMNS, formatShanghai, type Report, type ReportRow } from '@pioneer/shared';
import mongoose from 'mongoose';
import { UserModel } from '../src/modules/users/users.model';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildAdmin, buildCounty, buildMember, buildSecretary, type County } from './support/factories';
import { body, checkInOn, near, shanghaiMorning as at } from './support/checkin-helpers';
import { binary, workbookOf } from './support/download';

let t: TestApp;
let county: County;
const auth = (id: string) => bearer(t, id);
const get = (userId: string, url: string) => t.http().get(`/api/v1/checkins${url}`).set(auth(userId));
const people: Record<
  'zhang' | 'li' | 'wang' | 'secretary' | 'countyAdmin' | 'townAdmin' | 'townBAdmin' | 'member',
  string
> = {} as never;

/**
 * A month seeded by hand (March 2025) and what it must add up to:
 * 张驻村 (甲村党支部): present 3/3, 3/4 (twice), 3/5 (accuracy 0: flagged but present), 3/7 (外勤, approved), 3/31;
 *   3/6 外勤 still pending; 3/10 外勤 rejected -> present 5, pending 1, flagged 1, last 3/31 20:00.
 * 李驻村 (甲村第二党支部): 3/12 and 4/1. 王驻村 (乙村党支部, but posted to 甲村 in 甲镇): 3/20.
 */
beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  const cadre = (name: string, branch: typeof county.branchA) =>
    buildMember({ branch, name, roles: ['member', 'cadre'], postedTo: county.villageA });
  people.zhang = (await cadre('张驻村', county.branchA)).id;
  people.li = (await cadre('李驻村', county.branchA2)).id;
  people.wang = (await cadre('王驻村', county.branchB)).id;
  people.secretary = (await buildSecretary(county.branchA)).id;
  people.countyAdmin = (await buildAdmin({ of: county.county, branch: county.branchB })).id;
  people.townAdmin = (await buildAdmin({ of: county.townA, branch: county.branchA })).id;
  people.townBAdmin = (await buildAdmin({ of: county.townB, branch: county.branchB })).id;
  people.member = (await buildMember({ branch: county.branchA })).id;

  const z = people.zhang;
  await checkInOn(z, at('2025-03-03'), body(near(0, 10)));
  await checkInOn(z, at('2025-03-04'), body(near(5)));
  await checkInOn(z, at('2025-03-04', 17), body(near(8)));
  await checkInOn(z, at('2025-03-05'), body(near(12), { accuracy: 0 }));
  await checkInOn(z, at('2025-03-06'), body(near(3000), { reason: '外出培训' }));
  const approved = await checkInOn(z, at('2025-03-07'), body(near(3000, 50), { reason: '陪同群众到镇里办事' }));
  const rejected = await checkInOn(z, at('2025-03-10'), body(near(2500), { reason: '在家休息' }));
  await checkInOn(z, at('2025-03-31', 20), body(near(30)));
  await checkInOn(people.li, at('2025-03-12'), body(near(100)));
  await checkInOn(people.li, at('2025-04-01'), body(near(110)));
  await checkInOn(people.wang, at('2025-03-20'), body(near(200)));

  const review = (id: string, decision: string) =>
    t.http().post(`/api/v1/checkins/${id}/review`).set(auth(people.secretary)).send({ decision });
  expect((await review(approved.id, 'approve')).status).toBe(200);
  expect((await review(rejected.id, 'reject')).status).toBe(200);
  const put = await t
    .http()
    .put('/api/v1/checkins/settings')
    .set(auth(people.countyAdmin))
    .send({ org: county.county.id, requiredDays: 22 });
  expect(put.status).toBe(200);
});
afterAll(() => t.close());

const zhangMarch: Omit<ReportRow, 'userId'> = {
  name: '张驻村',
  branch: '甲村党支部',
  village: '甲村',
  present: 5,
  required: 22,
  pending: 1,
  flagged: 1,
  lastCheckinAt: '2025-03-31T12:00:00.000Z',
};

describe('GET /checkins/mine', () => {
  test('when 张驻村 opens March 2025, then the calendar shows each day as seeded and the month adds up', async () => {
    const res = await get(people.zhang, '/mine?month=2025-03');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      month: '2025-03',
      presentDays: 5,
      pendingDays: 1,
      flaggedDays: 1,
      requiredDays: 22,
    });
    expect(res.body.village).toMatchObject({ name: '甲村', fence: { radiusM: 500 } });
    const status = Object.fromEntries(
      res.body.days.map((d: { day: string; status: string }) => [d.day.slice(8), d.status]),
    );
    expect(res.body.days).toHaveLength(31);
    expect(status).toMatchObject({
      '01': 'absent',
      '03': 'present',
      '04': 'present',
      '05': 'flagged',
      '06': 'pending',
      '07': 'present',
      '10': 'absent',
      '31': 'present',
    });
    expect(res.body.days.find((d: { day: string }) => d.day === '2025-03-05').present).toBe(true);
    expect(res.body.items).toHaveLength(8);
    expect(res.body.items.map((i: { status: string }) => i.status)).toEqual([
      'valid',
      'rejected',
      'approved',
      'pending',
      'valid',
      'valid',
      'valid',
      'valid',
    ]);
  });

  test('when the month is malformed, then 400', async () => {
    expect((await get(people.zhang, '/mine?month=2025-3')).status).toBe(400);
  });
});

describe('GET /checkins/report', () => {
  const rowsOf = (r: Report) => Object.fromEntries(r.rows.map(({ userId: _u, ...row }) => [row.name, row]));

  test('when the branch secretary asks for March 2025, then one row for the branch’s cadre with the hand-counted numbers', async () => {
    const res = await get(people.secretary, '/report?month=2025-03');
    expect(res.status).toBe(200);
    expect(res.body.period).toEqual({ kind: 'month', key: '2025-03', label: '2025年3月', months: ['2025-03'] });
    expect(res.body.requiredPerMonth).toBe(22);
    expect(rowsOf(res.body)).toEqual({ 张驻村: zhangMarch });
  });

  test('when the township admin asks for 2025-Q1, then cadres of its branches and cadres posted into it, required x3', async () => {
    const res = await get(people.townAdmin, `/report?org=${county.townA.id}&quarter=2025-Q1`);
    expect(res.status).toBe(200);
    expect(rowsOf(res.body)).toEqual({
      张驻村: { ...zhangMarch, required: 66 },
      李驻村: {
        name: '李驻村',
        branch: '甲村第二党支部',
        village: '甲村',
        present: 1,
        required: 66,
        pending: 0,
        flagged: 0,
        lastCheckinAt: '2025-03-12T01:00:00.000Z',
      },
      王驻村: {
        name: '王驻村',
        branch: '乙村党支部',
        village: '甲村',
        present: 1,
        required: 66,
        pending: 0,
        flagged: 0,
        lastCheckinAt: '2025-03-20T01:00:00.000Z',
      },
    });
  });

  test('when the half-year and the year are asked, then April counts for 李驻村 and required is 6 and 12 months', async () => {
    const half = await get(people.countyAdmin, '/report?half=2025-H1');
    expect(rowsOf(half.body)['李驻村']).toMatchObject({
      present: 2,
      required: 132,
      lastCheckinAt: '2025-04-01T01:00:00.000Z',
    });
    const year = await get(people.countyAdmin, `/report?org=${county.county.id}&year=2025`);
    expect(rowsOf(year.body)['张驻村']).toMatchObject({ present: 5, required: 264 });
    expect(year.body.rows).toHaveLength(3);
  });

  test('when the county admin pages the year by 2, then the pages hold the whole report in its order and a cursor past the end is an empty page', async () => {
    const whole = (await get(people.countyAdmin, `/report?org=${county.county.id}&year=2025`)).body as Report;
    expect(whole.total).toBe(3);
    expect(whole.nextCursor).toBeNull();
    const first = (await get(people.countyAdmin, `/report?org=${county.county.id}&year=2025&limit=2`)).body as Report;
    expect(first.rows).toHaveLength(2);
    expect(first.nextCursor).toBe('2');
    const second = (
      await get(people.countyAdmin, `/report?org=${county.county.id}&year=2025&limit=2&cursor=${first.nextCursor}`)
    ).body as Report;
    expect(second.nextCursor).toBeNull();
    expect([...first.rows, ...second.rows]).toEqual(whole.rows);
    const past = (await get(people.countyAdmin, `/report?org=${county.county.id}&year=2025&cursor=999999`))
      .body as Report;
    expect(past.rows).toEqual([]);
  });

  test('when a branch secretary reports, then the database is asked for the cadres of their scope, not every cadre', async () => {
    // Cadres elsewhere: another county's, which a secretary's report must not even load.
    const other = await buildCounty();
    for (let i = 0; i < 5; i += 1)
      await buildMember({
        branch: other.branchA,
        name: `外县驻村${i}`,
        roles: ['member', 'cadre'],
        postedTo: other.villageA,
      });
    const filters: unknown[] = [];
    mongoose.set('debug', (coll: string, method: string, filter: unknown) => {
      if (coll === 'users' && method === 'find') filters.push(filter);
    });
    let res;
    try {
      res = await get(people.secretary, '/report?month=2025-03');
    } finally {
      mongoose.set('debug', false);
    }
    expect(res.status).toBe(200);
    expect(rowsOf(res.body)).toEqual({ 张驻村: zhangMarch });
    const loaded = await Promise.all(filters.map((f) => UserModel.countDocuments(f as Record<string, unknown>)));
    expect(loaded.length).toBeGreaterThan(0);
    expect(Math.max(...loaded)).toBeLessThanOrEqual(1);
  });

  test('when the year is outside 2000..next year, then 400 before any work', async () => {
    const next = new Date().getUTCFullYear() + 1;
    for (const q of ['year=1999', `year=${next + 1}`, 'year=9999', 'month=0001-01', 'quarter=9999-Q4']) {
      const res = await get(people.countyAdmin, `/report?${q}`);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/年份|统计/);
    }
    expect((await get(people.countyAdmin, `/report?year=${next}`)).status).toBe(200);
  });

  test('when someone reports outside their scope, then 403; a plain member 403; two periods 400', async () => {
    expect((await get(people.secretary, `/report?org=${county.branchB.id}&month=2025-03`)).status).toBe(403);
    expect((await get(people.townBAdmin, `/report?org=${county.townA.id}&month=2025-03`)).status).toBe(403);
    expect((await get(people.member, '/report?month=2025-03')).status).toBe(403);
    expect((await get(people.zhang, '/report?month=2025-03')).status).toBe(403);
    expect((await get(people.countyAdmin, '/report?month=2025-03&year=2025')).status).toBe(400);
  });

  test('when exported as XLSX, then exceljs reads back exactly the JSON rows under Chinese headers', async () => {
    const json = (await get(people.countyAdmin, '/report?year=2025')).body as Report;
    const res = await get(people.countyAdmin, '/report?year=2025&format=xlsx').buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''");
    expect(decodeURIComponent(res.headers['content-disposition'].split("UTF-8''")[1])).toBe(
      '驻村考勤-测试县-2025年.xlsx',
    );
    const workbook = await workbookOf(res.body);
    const sheet = workbook.getWorksheet('驻村考勤')!;
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual(REPORT_COLUMNS.map((c) => c.header));
    expect(sheet.rowCount).toBe(json.rows.length + 1);
    json.rows.forEach((r, i) => {
      expect(values(i + 2)).toEqual([
        r.name,
        r.branch,
        r.village,
        r.present,
        r.required,
        r.pending,
        r.flagged,
        r.lastCheckinAt ? formatShanghai(r.lastCheckinAt, 'YYYY-MM-DD HH:mm') : '',
      ]);
    });
    expect(values(2)[7]).toBe('2025-03-31 20:00');
  });

  test('when exported as CSV, then it starts with a UTF-8 BOM, has Chinese headers and the JSON numbers', async () => {
    const json = (await get(people.secretary, '/report?month=2025-03')).body as Report;
    const res = await get(people.secretary, '/report?month=2025-03&format=csv').buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('姓名,所在支部,驻村,出勤天数,应出勤天数,待审核天数,存疑天数,最近打卡');
    expect(lines.slice(1)).toEqual(
      json.rows.map(
        (r) =>
          `${r.name},${r.branch},${r.village},${r.present},${r.required},${r.pending},${r.flagged},2025-03-31 20:00`,
      ),
    );
  });
});

describe('county settings and fences', () => {
  test('when a secretary or a township admin changes the required days, then 403; the county admin may', async () => {
    const send = (who: string) =>
      t.http().put('/api/v1/checkins/settings').set(auth(who)).send({ org: county.townA.id, requiredDays: 18 });
    expect((await send(people.secretary)).status).toBe(403);
    expect((await send(people.townAdmin)).status).toBe(403);
    expect((await get(people.zhang, '/settings')).body).toEqual({ countyId: county.county.id, requiredDays: 22 });
    expect(
      (
        await t
          .http()
          .put('/api/v1/checkins/settings')
          .set(auth(people.countyAdmin))
          .send({ org: county.county.id, requiredDays: 40 })
      ).status,
    ).toBe(400);
  });

  test('when an admin lists villages, then only those of the subtree with their fences; others 403', async () => {
    const all = await get(people.countyAdmin, '/villages');
    expect(all.body.items.map((v: { name: string; parentName: string }) => `${v.parentName}/${v.name}`).sort()).toEqual(
      ['乙乡/乙村', '甲镇/甲村'].sort(),
    );
    expect(all.body.items.find((v: { name: string }) => v.name === '甲村').fence).toEqual({
      lat: 30.5447,
      lng: 119.9752,
      radiusM: 500,
    });
    expect((await get(people.townAdmin, '/villages')).body.items.map((v: { name: string }) => v.name)).toEqual([
      '甲村',
    ]);
    expect((await get(people.townAdmin, `/villages?org=${county.townB.id}`)).status).toBe(403);
    expect((await get(people.secretary, '/villages')).status).toBe(403);
  });

  test('when the admin draws a fence for 乙村, then a cadre posted there can check in', async () => {
    const cadre = await buildMember({ branch: county.branchB, roles: ['member', 'cadre'], postedTo: county.villageB });
    const point = { lat: 30.4921, lng: 120.0314, accuracy: 15, coordType: 'gcj02' };
    expect((await t.http().post('/api/v1/checkins').set(auth(cadre.id)).send(point)).status).toBe(403);
    const patch = await t
      .http()
      .patch(`/api/v1/orgs/${county.villageB.id}`)
      .set(auth(people.countyAdmin))
      .send({ fence: { lat: 30.4921, lng: 120.0314, radiusM: 300 } });
    expect(patch.status).toBe(200);
    const res = await t.http().post('/api/v1/checkins').set(auth(cadre.id)).send(point);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'valid', village: { name: '乙村' } });
  });
});

describe('应出勤 and the 法定节假日 calendar (issue 15)', () => {
  test('when a month of 2026 holds 春节, then 应出勤 is its working days (16), not the county number (22)', async () => {
    expect((await get(people.zhang, '/mine?month=2026-02')).body.requiredDays).toBe(16);
    // January: 元旦 off on Thursday and Friday, Sunday 1-4 worked: 21 working days.
    expect((await get(people.zhang, '/mine?month=2026-01')).body.requiredDays).toBe(21);
    expect((await get(people.zhang, '/mine?month=2026-03')).body.requiredDays).toBe(22);
  });

  test('when the report covers 2026-Q1, then each row requires 21 + 16 + 22 days', async () => {
    const res = await get(people.secretary, '/report?quarter=2026-Q1');
    expect(res.status).toBe(200);
    const row = (res.body as Report).rows.find((r) => r.name === '张驻村');
    expect(row).toMatchObject({ required: 59 });
  });
});
