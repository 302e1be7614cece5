import ExcelJS from 'exceljs';
import { currentPeriodKey, type Activity, type RecordBook } from '@pioneer/shared';
import { UserModel } from '../src/modules/users/users.model';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildAdmin, buildMember, buildSecretary, type County } from './support/factories';
import { binary, workbookOf } from './support/download';

/** Issue 15: a 支委会 is measured against the committee (实到 1/13 was against every member). */
let t: TestApp;
const auth = (id: string) => bearer(t, id);
const api = (path: string) => `/api/v1/activities${path}`;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

let county: County;
let secretary: { id: string };
let admin: { id: string };
let organiser: { id: string };
let plain: { id: string }[];

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  secretary = await buildSecretary(county.branchA2, '书记');
  admin = await buildAdmin({ of: county.county, branch: county.branchB });
  organiser = await buildMember({ branch: county.branchA2, name: '组织委员' });
  // The committee is marked by 职务 (from the roster or the 亮身份 card).
  await UserModel.updateOne({ _id: organiser.id }, { $set: { 'identity.dutyTitle': '组织委员' } });
  plain = [];
  for (let i = 0; i < 4; i += 1) plain.push(await buildMember({ branch: county.branchA2, name: `党员${i}` }));
});
afterAll(() => t.close());

async function create(type: string, title: string): Promise<Activity> {
  const res = await t
    .http()
    .post(api(''))
    .set(auth(secretary.id))
    .send({ type, title, startsAt: minutesAgo(20), endsAt: minutesAgo(-60) });
  expect(res.status).toBe(201);
  return res.body as Activity;
}
const record = (id: string, userId: string, by = secretary.id) =>
  t
    .http()
    .post(api(`/${id}/attendees`))
    .set(auth(by))
    .send({ userId, reason: '补录纸质签到' });

describe('支委会 attendance against the committee (issue 15)', () => {
  let committee: Activity;
  let themeDay: Activity;

  beforeAll(async () => {
    committee = await create('committee', '十一月支委会');
    themeDay = await create('theme_day', '十一月主题党日');
    // The organiser came; a plain member sat in (列席); the secretary did not come.
    expect((await record(committee.id, organiser.id)).status).toBe(201);
    expect((await record(committee.id, plain[0]!.id)).status).toBe(201);
    for (const m of [organiser, plain[0]!, plain[1]!]) expect((await record(themeDay.id, m.id)).status).toBe(201);
  });

  test('when a 支委会 is published, then it expects the secretary and members whose 职务 is a committee post', () => {
    expect(committee.expectedCount).toBe(2);
    expect(themeDay.expectedCount).toBe(6);
  });

  test('when the 台账 is read, then the 支委会 counts 1 of 2 committee members, the 主题党日 3 of 6, each type its own rate', async () => {
    const res = await t
      .http()
      .get(api(`/record-book?quarter=${currentPeriodKey('quarter')}&org=${county.branchA2.id}`))
      .set(auth(secretary.id));
    expect(res.status).toBe(200);
    const [b] = (res.body as RecordBook).branches;
    expect(b!.activities.find((a) => a.id === committee.id)).toMatchObject({
      expected: 2,
      attended: 1,
      rate: 0.5,
      expectedScope: 'committee',
    });
    expect(b!.activities.find((a) => a.id === themeDay.id)).toMatchObject({
      expected: 6,
      attended: 3,
      rate: 0.5,
      expectedScope: 'members',
    });
    expect(b!.byType.find((x) => x.type === 'committee')).toMatchObject({ held: 1, rate: 0.5 });
    expect(b!.byType.find((x) => x.type === 'lecture')).toMatchObject({ held: 0, rate: null });
    expect(b!.attendanceRate).toBeCloseTo(4 / 8, 3);
  });

  test('when the 台账 is exported, then both sheets say whom 应到 counts and each type row has its own rate', async () => {
    const res = await t
      .http()
      .get(api(`/record-book?quarter=${currentPeriodKey('quarter')}&format=xlsx&org=${county.branchA2.id}`))
      .set(auth(admin.id))
      .buffer(true)
      .parse(binary);
    expect(res.status).toBe(200);
    const wb = await workbookOf(res.body);
    const values = (name: string) =>
      wb
        .getWorksheet(name)!
        .getSheetValues()
        .slice(1)
        .map((r) => (r as ExcelJS.CellValue[]).slice(1));
    const [head, ...rows] = values('三会一课台账');
    expect(head).toEqual(['支部', '活动类型', '应开次数', '已开次数', '是否达标', '平均出勤率', '应到范围']);
    expect(rows).toContainEqual(['甲村第二党支部', '支委会', 3, 1, '未达标', 0.5, '支委委员']);
    expect(rows).toContainEqual(['甲村第二党支部', '主题党日', 0, 1, '不要求', 0.5, '全体党员']);
    expect(rows).toContainEqual(['甲村第二党支部', '党课', 1, 0, '未达标', '—', '全体党员']);
    const [dHead, ...details] = values('活动明细');
    expect(dHead).toContain('应到范围');
    const at = dHead!.indexOf('应到范围');
    const committeeRow = details.find((r) => r[3] === '十一月支委会')!;
    expect(committeeRow.slice(at, at + 3)).toEqual(['支委委员', 2, 1]);
  });

  test('when a branch has no committee marked at all, then its 支委会 expects every member rather than nobody', async () => {
    const lone = await buildMember({ branch: county.branchB, name: '乙村党员' });
    const res = await t
      .http()
      .post(api(''))
      .set(auth(admin.id))
      .send({
        org: county.branchB.id,
        type: 'committee',
        title: '支委会',
        startsAt: minutesAgo(5),
        endsAt: minutesAgo(-60),
      });
    expect(res.status).toBe(201);
    // 乙村党支部: the county admin and this member, neither a secretary nor with a committee 职务.
    expect(res.body.expectedCount).toBe(2);
    const attendance = await t
      .http()
      .get(api(`/${res.body.id}/attendance`))
      .set(auth(admin.id));
    expect(attendance.body.absent.map((x: { userId: string }) => x.userId)).toContain(lone.id);
  });
});
